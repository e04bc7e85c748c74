import type { DataSourceInstanceSettings } from '@grafana/data';

/**
 * Datasource types that answer PromQL through Grafana's `/api/ds/query` and a Prometheus resources API: the core
 * Prometheus type (also Mimir, Cortex and Thanos), Amazon Managed Service for Prometheus and Azure Monitor managed
 * Prometheus (both run grafana-prometheus-datasource's promlib), and VictoriaMetrics' plugin (renamed from
 * `victoriametrics-datasource` to `victoriametrics-metrics-datasource` in 2025).
 */
export const PROMQL_DATASOURCE_TYPES = [
  'prometheus',
  'grafana-amazonprometheus-datasource',
  'grafana-azureprometheus-datasource',
  'victoriametrics-metrics-datasource',
  'victoriametrics-datasource',
];

export function isPromCompatible(ds: DataSourceInstanceSettings): boolean {
  return PROMQL_DATASOURCE_TYPES.includes(ds.type);
}

export function isTracesDatasource(ds: DataSourceInstanceSettings): boolean {
  return ds.type === 'tempo' || ds.type === 'jaeger';
}
