/**
 * What the pure cores ask of a PromQL store. The plugin answers through the user's Grafana datasource
 * (services/grafanaPromApi.ts: `/api/ds/query` and the datasource's resources API, as Grafana's own apps do); the
 * tests, the benchmark and the generator's readiness check answer straight from a store's HTTP API
 * (scripts/lib/promHttpApi.ts). Only the transport differs: the queries and their reading are the same.
 */
import type { Sample } from './sample';

/** Why a query failed, in terms a user can act on. */
export type PromErrorKind = 'http' | 'timeout' | 'network' | 'bad-response' | 'query' | 'cancelled';

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

export interface QueryOptions {
  /** Aborting cancels the request: a left page or a replaced time range does not keep the store busy. */
  signal?: AbortSignal;
}

export interface PromApi {
  /** Instant query at `timeSeconds` (unix seconds). */
  instant(expr: string, timeSeconds: number, options?: QueryOptions): Promise<Sample[]>;
}

export interface PromMetaApi {
  /** Label names of the series matching `selector` with samples in [startSeconds, endSeconds]. */
  labelNames(selector: string, startSeconds: number, endSeconds: number, options?: QueryOptions): Promise<string[]>;
  /** Values of `label` among the series matching `selector` in [startSeconds, endSeconds]. */
  labelValues(
    label: string,
    selector: string,
    startSeconds: number,
    endSeconds: number,
    options?: QueryOptions
  ): Promise<string[]>;
}

/** Instant queries and series metadata: what the cardinality budget and the overview's bucket bounds read. */
export type MetricsApi = PromApi & PromMetaApi;

/** One series of a range query: its labels and its points, oldest first; a point without a number is left out. */
export interface RangeSeries {
  labels: Record<string, string>;
  /** `[unix seconds, value]` */
  points: Array<[number, number]>;
}

export interface PromRangeApi {
  /** Range query over [startSeconds, endSeconds] every `stepSeconds` (the store may align both ends to the step). */
  range(
    expr: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
    options?: QueryOptions
  ): Promise<RangeSeries[]>;
}

/** What the overview's timeline reads besides: range queries. */
export type RangeMetricsApi = MetricsApi & PromRangeApi;

/**
 * VictoriaMetrics prefixes its errors with the whole query and its search steps ("error when executing
 * query=\"…\" for (time=…): search error after …: error when searching tsids: the number of matching timeseries
 * exceeds …"), Grafana may put its error type first. The query is the plugin's own, so only the store's reason and
 * advice are worth reading.
 */
export function withoutQueryEcho(error: string): string {
  const seriesLimit = error.indexOf('the number of matching timeseries exceeds');
  if (seriesLimit >= 0) {
    return error.slice(seriesLimit);
  }
  return error.replace(/(^|: )error when executing query=".*?" for \([^)]*\): /s, '$1');
}

/** A `{ status, data }` Prometheus API envelope holding a list of strings, or the reason it is not one. */
export function readStringList(body: unknown, what: string): string[] {
  const envelope =
    body && typeof body === 'object' ? (body as { status?: unknown; data?: unknown; error?: unknown }) : {};
  if (envelope.status === 'error') {
    throw new PromQueryError('query', String(envelope.error ?? 'the metrics datasource returned an error'));
  }
  if (envelope.status !== 'success') {
    throw new PromQueryError('bad-response', `the ${what} answer is not Prometheus JSON`);
  }
  const list = envelope.data;
  if (!Array.isArray(list) || !list.every((n): n is string => typeof n === 'string')) {
    throw new PromQueryError('bad-response', `the ${what} answer is not a list of names`);
  }
  return list;
}
