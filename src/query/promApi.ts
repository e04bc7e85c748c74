import type { Sample } from '../boundary/types';

/** Why a query failed, in terms a user can act on. */
export type PromErrorKind = 'http' | 'timeout' | 'network' | 'bad-response' | 'query';

export class PromQueryError extends Error {
  constructor(
    public readonly kind: PromErrorKind,
    message: string,
    public readonly status?: number
  ) {
    super(message);
    this.name = 'PromQueryError';
  }
}

/** The part of the Prometheus HTTP API the boundary core needs. Implemented over fetch, or over Grafana's proxy. */
export interface PromApi {
  /** Instant query at `timeSeconds` (unix seconds). */
  instant(expr: string, timeSeconds: number): Promise<Sample[]>;
}

export interface PromApiOptions {
  /** Base URL of the Prometheus API, e.g. `http://127.0.0.1:8428` or `/api/datasources/proxy/uid/<uid>`. */
  baseUrl: string;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

interface VectorResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

function describeStatus(status: number, body: string): string {
  const detail = body.trim().slice(0, 300);
  if (status === 401 || status === 403) {
    return `the metrics datasource refused the request (HTTP ${status}): check its credentials`;
  }
  if (status === 404) {
    return `the metrics datasource has no Prometheus query API at this URL (HTTP 404)`;
  }
  if (status >= 500) {
    return `the metrics datasource failed (HTTP ${status})${detail ? `: ${detail}` : ''}`;
  }
  return `the metrics datasource rejected the query (HTTP ${status})${detail ? `: ${detail}` : ''}`;
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
 * One request to a Prometheus HTTP API with a timeout: a timeout or a network failure becomes a
 * PromQueryError; the answer comes back with its text and, when it is JSON, its parsed body.
 */
export async function requestProm<T>(
  fetchFn: typeof fetch,
  url: string,
  timeoutMs: number,
  init: RequestInit = {}
): Promise<{ response: Response; text: string; body?: T }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) {
      const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
      throw new PromQueryError('timeout', `the metrics datasource did not answer within ${limit}`);
    }
    throw new PromQueryError(
      'network',
      `the metrics datasource cannot be reached at ${url.split('?')[0]}: ${describeNetworkError(error)}`
    );
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  try {
    return { response, text, body: JSON.parse(text) as T };
  } catch {
    return { response, text };
  }
}

/**
 * VictoriaMetrics prefixes its errors with the whole query and its search steps ("error when executing
 * query=\"…\" for (time=…): search error after …: error when searching tsids: the number of matching timeseries
 * exceeds …"). The query is the plugin's own, so only the store's reason and advice are worth reading.
 */
export function withoutQueryEcho(error: string): string {
  const seriesLimit = error.indexOf('the number of matching timeseries exceeds');
  if (seriesLimit >= 0) {
    return error.slice(seriesLimit);
  }
  return error.replace(/^error when executing query=".*?" for \([^)]*\): /s, '');
}

export function createPromApi({ baseUrl, timeoutMs = 30_000, fetchFn = fetch }: PromApiOptions): PromApi {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    async instant(expr, timeSeconds) {
      const { response, text, body } = await requestProm<VectorResponse>(fetchFn, `${root}/api/v1/query`, timeoutMs, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr, time: String(timeSeconds) }).toString(),
      });
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
      return parseVector(body);
    },
  };
}
