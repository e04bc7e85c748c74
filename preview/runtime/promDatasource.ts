import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';

export interface PreviewPromQuery extends DataQuery {
  expr: string;
  instant?: boolean;
  range?: boolean;
  legendFormat?: string;
}

/**
 * Stands in for Grafana's Prometheus datasource in the preview. It is the runtime's own DataSourceWithBackend:
 * `query` POSTs to `/api/ds/query` and `getResource` reads `/api/datasources/uid/<uid>/resources/…`, exactly as the
 * real datasource's frontend does; the preview server answers both as Grafana's Prometheus backend would
 * (preview/server). Like the Prometheus frontend, it fills dashboard variables before sending and leaves
 * `$__rate_interval` and friends to the backend.
 */
export class PreviewPromDatasource extends DataSourceWithBackend<PreviewPromQuery> {
  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
  }

  applyTemplateVariables(query: PreviewPromQuery, scopedVars: ScopedVars): PreviewPromQuery {
    return { ...query, expr: getTemplateSrv().replace(query.expr, scopedVars) };
  }

  async testDatasource() {
    return { status: 'success', message: 'ok' };
  }
}
