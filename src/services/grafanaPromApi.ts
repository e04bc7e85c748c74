import {
  CoreApp,
  dateTime,
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
} from '@grafana/data';
import { getDataSourceSrv, isFetchError } from '@grafana/runtime';
import type { DataQuery } from '@grafana/schema';
import { from, isObservable, type Observable, type Subscription } from 'rxjs';
import { PromQueryError, readStringList, type QueryOptions, type RangeMetricsApi } from '../query/promApi';
import { describeGrafanaError, framesToRangeSeries, framesToSamples, responseError } from './frames';

/** The Prometheus query model Grafana's PromQL datasources read (`pkg/promlib/models/query.go`). */
interface PromQuery extends DataQuery {
  expr: string;
  instant: boolean;
  range: boolean;
  format: 'time_series';
  legendFormat?: string;
  /** The least step of a range query. */
  interval?: string;
}

/** What a datasource with a backend offers besides `query`: its resources API (DataSourceWithBackend). */
interface WithResources {
  getResource<T>(path: string, params?: Record<string, unknown>, options?: { showErrorAlert?: boolean }): Promise<T>;
}

function hasResources(ds: DataSourceApi): ds is DataSourceApi & WithResources {
  return typeof (ds as Partial<WithResources>).getResource === 'function';
}

let requestCounter = 0;

function limitText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/**
 * The first value `isAnswer` accepts. Unsubscribing, on a timeout or when `signal` aborts, cancels the request in
 * flight: Grafana's backendSrv aborts its fetch.
 */
function firstAnswer<T>(
  values: Observable<T>,
  isAnswer: (value: T) => boolean,
  timeoutMs: number,
  signal?: AbortSignal
): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let subscription: Subscription | undefined;
    const settle = (done: () => void) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      subscription?.unsubscribe();
      done();
    };
    const onAbort = () => settle(() => reject(new PromQueryError('cancelled', 'the request was cancelled')));
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new PromQueryError('timeout', `the metrics datasource did not answer within ${limitText(timeoutMs)}`))
        ),
      timeoutMs
    );
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    subscription = values.subscribe({
      next: (value) => {
        if (isAnswer(value)) {
          settle(() => resolve(value));
        }
      },
      error: (error: unknown) => settle(() => reject(error)),
      complete: () =>
        settle(() => reject(new PromQueryError('bad-response', 'the metrics datasource answered nothing'))),
    });
    if (settled) {
      subscription.unsubscribe();
    }
  });
}

/** A promise that gives up after `timeoutMs` or when `signal` aborts (the request itself cannot be cancelled). */
function bounded<T>(promise: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return firstAnswer(from(promise), () => true, timeoutMs, signal);
}

function instantRequest(ds: DataSourceApi, expr: string, timeSeconds: number): DataQueryRequest<PromQuery> {
  const at = dateTime(timeSeconds * 1000);
  const refId = 'A';
  return {
    app: CoreApp.Unknown,
    // Unique per request: Grafana's backendSrv cancels an earlier request with the same id.
    requestId: `meshlens-${++requestCounter}`,
    interval: '15s',
    intervalMs: 15_000,
    range: { from: at, to: at, raw: { from: at, to: at } },
    scopedVars: {},
    targets: [{ refId, expr, instant: true, range: false, format: 'time_series', datasource: ds.getRef() }],
    timezone: 'utc',
    startTime: Date.now(),
  };
}

/**
 * A range query whose step is `stepSeconds`: promlib takes the target's `interval` as the least step and the range
 * over `maxDataPoints` as the step unless that is longer (grafana-prometheus-datasource `pkg/promlib/models/query.go`,
 * `CalculatePrometheusInterval`), so twice the points we want leaves our step; it aligns both ends to the step.
 */
function rangeRequest(
  ds: DataSourceApi,
  expr: string,
  startSeconds: number,
  endSeconds: number,
  stepSeconds: number
): DataQueryRequest<PromQuery> {
  const from = dateTime(startSeconds * 1000);
  const to = dateTime(endSeconds * 1000);
  const interval = `${stepSeconds}s`;
  return {
    app: CoreApp.Unknown,
    requestId: `meshlens-${++requestCounter}`,
    interval,
    intervalMs: stepSeconds * 1000,
    maxDataPoints: 2 * Math.ceil((endSeconds - startSeconds) / stepSeconds + 1),
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets: [
      { refId: 'A', expr, instant: false, range: true, format: 'time_series', interval, datasource: ds.getRef() },
    ],
    timezone: 'utc',
    startTime: Date.now(),
  };
}

/**
 * The metrics datasource as Grafana runs it: instant queries through the datasource's own `query` (for
 * Prometheus and its kin, a POST to `/api/ds/query` handled by the datasource's backend, with every auth mode,
 * header and permission the datasource has), series metadata through its resources API
 * (`/api/datasources/uid/<uid>/resources/api/v1/…`). A refused query fails with Grafana's own message.
 */
export function createGrafanaPromApi(datasourceUid: string, timeoutMs = 60_000): RangeMetricsApi {
  let datasource: Promise<DataSourceApi> | undefined;
  const get = () => {
    datasource ??= getDataSourceSrv()
      .get({ uid: datasourceUid })
      .catch((error: unknown) => {
        datasource = undefined;
        throw new PromQueryError(
          'http',
          `the metrics datasource ${datasourceUid} is not available: ${error instanceof Error ? error.message : String(error)}`
        );
      });
    return datasource;
  };

  const resource = async (path: string, params: Record<string, string>, what: string, options?: QueryOptions) => {
    const ds = await get();
    if (!hasResources(ds)) {
      throw new PromQueryError('http', `the datasource type ${ds.type} has no resources API to list ${what}`);
    }
    try {
      const body = await bounded(
        ds.getResource<unknown>(path, params, { showErrorAlert: false }),
        timeoutMs,
        options?.signal
      );
      return readStringList(body, what);
    } catch (error) {
      if (error instanceof PromQueryError) {
        throw error;
      }
      if (isFetchError(error)) {
        const data = error.data as { message?: string; error?: string } | undefined;
        throw describeGrafanaError(error.status, data?.error ?? data?.message ?? error.statusText ?? 'request failed');
      }
      throw new PromQueryError('network', `the metrics datasource could not be reached: ${String(error)}`);
    }
  };

  const range = (selector: string, start: number, end: number) => ({
    'match[]': selector,
    start: String(Math.floor(start)),
    end: String(Math.ceil(end)),
  });

  const answer = async (request: DataQueryRequest<PromQuery>, ds: DataSourceApi, options?: QueryOptions) => {
    const result = ds.query(request);
    const responses: Observable<DataQueryResponse> = isObservable(result) ? result : from(result);
    const response = await firstAnswer(responses, (r) => r.state !== LoadingState.Loading, timeoutMs, options?.signal);
    const error = responseError(response, 'A');
    if (error) {
      throw error;
    }
    return response;
  };

  return {
    async instant(expr, timeSeconds, options) {
      const ds = await get();
      return framesToSamples((await answer(instantRequest(ds, expr, timeSeconds), ds, options)).data, 'A');
    },
    async range(expr, startSeconds, endSeconds, stepSeconds, options) {
      const ds = await get();
      const request = rangeRequest(ds, expr, startSeconds, endSeconds, stepSeconds);
      return framesToRangeSeries((await answer(request, ds, options)).data, 'A');
    },
    labelNames: (selector, start, end, options) =>
      resource('api/v1/labels', range(selector, start, end), 'label names', options),
    labelValues: (label, selector, start, end, options) =>
      resource(
        `api/v1/label/${encodeURIComponent(label)}/values`,
        range(selector, start, end),
        'label values',
        options
      ),
  };
}
