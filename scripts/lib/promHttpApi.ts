/**
 * The Prometheus HTTP API, straight from Node: how the integration tests, the benchmark and the generator's
 * readiness check reach a store. The plugin itself never uses it; it goes through Grafana's datasource
 * (src/services/grafanaPromApi.ts).
 */
import {
  PromQueryError,
  readStringList,
  withoutQueryEcho,
  type QueryOptions,
  type RangeMetricsApi,
  type RangeSeries,
} from '../../src/query/promApi';
import type { Sample } from '../../src/query/sample';

export interface PromHttpApiOptions {
  /** Base URL of the Prometheus API, e.g. `http://127.0.0.1:8428`. */
  baseUrl: string;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

interface VectorResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

function describeStatus(status: number, body: string): string {
  const detail = body.trim().slice(0, 300);
  if (status === 401 || status === 403) {
    return `the metrics datasource refused the request (HTTP ${status}): check its credentials`;
  }
  if (status === 404) {
    return `the metrics datasource has no Prometheus API at this URL (HTTP 404)`;
  }
  if (status >= 500) {
    return `the metrics datasource failed (HTTP ${status})${detail ? `: ${detail}` : ''}`;
  }
  return `the metrics datasource rejected the request (HTTP ${status})${detail ? `: ${detail}` : ''}`;
}

interface MatrixResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** Parses a range-query response; points that are not finite numbers are left out, as Grafana's frames leave them. */
export function parseMatrix(body: MatrixResponse): RangeSeries[] {
  if (body.status !== 'success' || !body.data) {
    throw new PromQueryError('query', body.error ?? 'the metrics datasource returned an error');
  }
  if (body.data.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    throw new PromQueryError('bad-response', `expected a range vector, got ${body.data.resultType}`);
  }
  return body.data.result.map(({ metric, values }) => ({
    labels: metric,
    points: values.map(([t, v]): [number, number] => [Number(t), Number(v)]).filter(([, v]) => Number.isFinite(v)),
  }));
}

/** Parses an instant-query response; values that are not numbers become NaN and are treated as no data later. */
export function parseVector(body: VectorResponse): Sample[] {
  if (body.status !== 'success' || !body.data) {
    throw new PromQueryError('query', body.error ?? 'the metrics datasource returned an error');
  }
  if (body.data.resultType !== 'vector' || !Array.isArray(body.data.result)) {
    throw new PromQueryError('bad-response', `expected an instant vector, got ${body.data.resultType}`);
  }
  return body.data.result.map(({ metric, value }) => ({ labels: metric, value: Number(value?.[1]) }));
}

function messageOf(value: unknown): string | undefined {
  // Duck-typed: errors from another realm (a test sandbox, an iframe) are not `instanceof Error` here.
  return typeof value === 'object' && value !== null && 'message' in value ? String(value.message) : undefined;
}

/** fetch says only "fetch failed"; what went wrong (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
export function describeNetworkError(error: unknown): string {
  const message = messageOf(error) ?? String(error);
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? messageOf(error.cause) : undefined;
  return cause ? `${message} (${cause})` : message;
}

/**
 * One request with a timeout that covers the whole answer, headers and body: a store that stalls mid-body fails
 * like one that never answers. An abort of `signal` cancels it.
 */
export async function requestProm<T>(
  fetchFn: typeof fetch,
  url: string,
  timeoutMs: number,
  init: RequestInit = {},
  signal?: AbortSignal
): Promise<{ response: Response; text: string; body?: T }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const cancel = () => controller.abort();
  signal?.addEventListener('abort', cancel);
  const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
  const failed = (error: unknown): PromQueryError => {
    if (signal?.aborted) {
      return new PromQueryError('cancelled', 'the request was cancelled');
    }
    if (controller.signal.aborted) {
      return new PromQueryError('timeout', `the metrics datasource did not answer within ${limit}`);
    }
    return new PromQueryError(
      'network',
      `the metrics datasource cannot be reached at ${url.split('?')[0]}: ${describeNetworkError(error)}`
    );
  };
  try {
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, signal: controller.signal });
    } catch (error) {
      throw failed(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw failed(error);
    }
    try {
      return { response, text, body: JSON.parse(text) as T };
    } catch {
      return { response, text };
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}

export function createPromHttpApi({
  baseUrl,
  timeoutMs = 30_000,
  fetchFn = fetch,
}: PromHttpApiOptions): RangeMetricsApi {
  const root = baseUrl.replace(/\/+$/, '');
  const getList = async (path: string, params: URLSearchParams, what: string, options?: QueryOptions) => {
    const { response, text, body } = await requestProm<{ error?: string }>(
      fetchFn,
      `${root}${path}?${params.toString()}`,
      timeoutMs,
      {},
      options?.signal
    );
    if (!response.ok) {
      throw new PromQueryError(
        'http',
        body?.error
          ? `the metrics datasource rejected the ${what} request: ${body.error}`
          : describeStatus(response.status, text),
        response.status
      );
    }
    return readStringList(body, what);
  };
  const range = (selector: string, start: number, end: number) =>
    new URLSearchParams({ 'match[]': selector, start: String(Math.floor(start)), end: String(Math.ceil(end)) });
  const query = async <T>(path: string, params: Record<string, string>, options?: QueryOptions): Promise<T> => {
    const { response, text, body } = await requestProm<T & { error?: string }>(
      fetchFn,
      `${root}${path}`,
      timeoutMs,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      },
      options?.signal
    );
    if (!response.ok) {
      // Prometheus answers 400/422 with a JSON error for a bad query.
      const message = body?.error
        ? `the metrics datasource rejected the query: ${withoutQueryEcho(body.error)}`
        : describeStatus(response.status, text);
      throw new PromQueryError('http', message, response.status);
    }
    if (!body) {
      throw new PromQueryError(
        'bad-response',
        'the metrics datasource answered with something that is not Prometheus JSON'
      );
    }
    return body;
  };
  return {
    async instant(expr, timeSeconds, options) {
      return parseVector(
        await query<VectorResponse>('/api/v1/query', { query: expr, time: String(timeSeconds) }, options)
      );
    },
    async range(expr, startSeconds, endSeconds, stepSeconds, options) {
      const params = { query: expr, start: String(startSeconds), end: String(endSeconds), step: String(stepSeconds) };
      return parseMatrix(await query<MatrixResponse>('/api/v1/query_range', params, options));
    },
    labelNames: (selector, start, end, options) =>
      getList('/api/v1/labels', range(selector, start, end), 'label names', options),
    labelValues: (label, selector, start, end, options) =>
      getList(
        `/api/v1/label/${encodeURIComponent(label)}/values`,
        range(selector, start, end),
        'label values',
        options
      ),
  };
}
