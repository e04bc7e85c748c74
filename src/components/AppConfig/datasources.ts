import type { DataSourceInstanceSettings } from '@grafana/data';

/** Datasources that answer PromQL: Prometheus (also Mimir, Thanos, Cortex) and VictoriaMetrics' own plugin. */
export function isPromCompatible(ds: DataSourceInstanceSettings): boolean {
  return ds.type === 'prometheus' || ds.type.startsWith('victoriametrics-metrics');
}

export function isTracesDatasource(ds: DataSourceInstanceSettings): boolean {
  return ds.type === 'tempo' || ds.type === 'jaeger';
}

/** Grafana's datasource proxy: the path under which a datasource's own HTTP API is reached. */
export function datasourceProxyUrl(appSubUrl: string, uid: string): string {
  return `${appSubUrl}/api/datasources/proxy/uid/${encodeURIComponent(uid)}`;
}
