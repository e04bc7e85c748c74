import {
  DataSourceApi,
  FieldType,
  createDataFrame,
  type DataFrame,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type Labels,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

export interface PreviewPromQuery extends DataQuery {
  expr: string;
  instant?: boolean;
  range?: boolean;
  legendFormat?: string;
}

interface ApiResult {
  status: string;
  error?: string;
  data?: {
    resultType: 'vector' | 'matrix';
    result: Array<{ metric: Labels; value?: [number, string]; values?: Array<[number, string]> }>;
  };
}

function displayName(labels: Labels, legendFormat?: string): string | undefined {
  if (!legendFormat || legendFormat === '__auto') {
    return undefined;
  }
  return legendFormat.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/**
 * Stands in for Grafana's Prometheus datasource in the preview: the same PromQL, sent to the store's HTTP API
 * through the proxy path, answered with one frame per series like Grafana's.
 */
export class PreviewPromDatasource extends DataSourceApi<PreviewPromQuery> {
  constructor(private readonly settings: DataSourceInstanceSettings) {
    super(settings);
  }

  private get base() {
    return `/api/datasources/proxy/uid/${this.settings.uid}/api/v1`;
  }

  async query(request: DataQueryRequest<PreviewPromQuery>): Promise<DataQueryResponse> {
    const start = request.range.from.unix();
    const end = request.range.to.unix();
    const step = Math.max(15, Math.round((request.intervalMs ?? 60_000) / 1000));
    const frames: DataFrame[] = [];
    for (const target of request.targets.filter((t) => !t.hide && t.expr)) {
      const expr = getTemplateSrv()
        .replace(target.expr, { ...request.scopedVars, __range: { text: `${end - start}s`, value: `${end - start}s` } })
        .replace(/\$__rate_interval/g, `${step * 4}s`)
        .replace(/\$__interval/g, `${step}s`);
      const params = target.instant
        ? new URLSearchParams({ query: expr, time: String(end) })
        : new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
      const response = await fetch(`${this.base}/${target.instant ? 'query' : 'query_range'}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      });
      const body = (await response
        .json()
        .catch(() => ({ status: 'error', error: `HTTP ${response.status}` }))) as ApiResult;
      if (!response.ok || body.status !== 'success' || !body.data) {
        throw new Error(body.error ?? `HTTP ${response.status}`);
      }
      for (const series of body.data.result) {
        const points = series.values ?? (series.value ? [series.value] : []);
        const { __name__, ...labels } = series.metric;
        frames.push(
          createDataFrame({
            refId: target.refId,
            name: displayName(labels, target.legendFormat),
            fields: [
              { name: 'Time', type: FieldType.time, values: points.map(([t]) => t * 1000) },
              {
                name: 'Value',
                type: FieldType.number,
                labels: __name__ ? { __name__, ...labels } : labels,
                values: points.map(([, v]) => Number(v)),
                config: { displayNameFromDS: displayName(labels, target.legendFormat) },
              },
            ],
          })
        );
      }
    }
    return { data: frames };
  }

  async testDatasource() {
    return { status: 'success', message: 'ok' };
  }
}
