/**
 * The one Prometheus HTTP endpoint the budget needs besides instant queries: `/api/v1/labels` with `match[]`, the
 * label names of one family. Prometheus, VictoriaMetrics, Mimir and Thanos all serve it; so does Grafana's
 * datasource proxy. Errors are PromQueryErrors, like the query API's.
 */
import { createPromApi, PromQueryError, requestProm, type PromApi, type PromApiOptions } from '../query/promApi';

export interface PromMetaApi {
  /** Label names of the series matching `selector` with samples in [startSeconds, endSeconds]. */
  labelNames(selector: string, startSeconds: number, endSeconds: number): Promise<string[]>;
}

/** What the budget talks to: instant queries and label names. */
export type CardinalityApi = PromApi & PromMetaApi;

interface LabelsResponse {
  status?: string;
  error?: string;
  data?: unknown;
}

function statusMessage(status: number, body: string): string {
  const detail = body.trim().slice(0, 300);
  if (status === 401 || status === 403) {
    return `the metrics datasource refused the request (HTTP ${status}): check its credentials`;
  }
  if (status === 404) {
    return 'the metrics datasource has no Prometheus label names API (/api/v1/labels) at this URL (HTTP 404)';
  }
  return `the metrics datasource failed to list label names (HTTP ${status})${detail ? `: ${detail}` : ''}`;
}

export function createPromMetaApi({ baseUrl, timeoutMs = 30_000, fetchFn = fetch }: PromApiOptions): PromMetaApi {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    async labelNames(selector, startSeconds, endSeconds) {
      const params = new URLSearchParams({
        'match[]': selector,
        start: String(Math.floor(startSeconds)),
        end: String(Math.ceil(endSeconds)),
      });
      const { response, text, body } = await requestProm<LabelsResponse>(
        fetchFn,
        `${root}/api/v1/labels?${params.toString()}`,
        timeoutMs
      );
      if (!response.ok) {
        const message = body?.error
          ? `the metrics datasource rejected the label names request: ${body.error}`
          : statusMessage(response.status, text);
        throw new PromQueryError('http', message, response.status);
      }
      if (!body || body.status !== 'success') {
        if (body?.status === 'error') {
          throw new PromQueryError('query', body.error ?? 'the metrics datasource returned an error');
        }
        throw new PromQueryError('bad-response', 'the label names answer is not Prometheus JSON');
      }
      const names = body.data;
      if (!Array.isArray(names) || !names.every((n): n is string => typeof n === 'string')) {
        throw new PromQueryError('bad-response', 'the label names answer is not a list of names');
      }
      return names;
    },
  };
}

/** Instant queries and label names over the same base URL (a store, or Grafana's datasource proxy). */
export function createCardinalityApi(options: PromApiOptions): CardinalityApi {
  const query = createPromApi(options);
  const meta = createPromMetaApi(options);
  return { instant: (expr, time) => query.instant(expr, time), labelNames: meta.labelNames };
}
