import type { AppSettings } from '../settings/types';
import {
  labelSelector,
  eq,
  escapeRegex,
  matcher,
  promDuration,
  quantilesQuery,
  seriesSelector,
  sumRate,
  type LabelMatcher,
} from './promql';
import { APP_FAMILIES, APP_LAYER, appLabels, INBOUND, MESH_FAMILIES, MESH_LABELS, MESH_LAYER } from './schema';

export const MESH_QUANTILES = [0.5, 0.95, 0.99];
export const APP_QUANTILES = [0.5, 0.95, 0.99];

/** The overview's queries. Their number is fixed: every service comes back as series of the same few queries. */
export type OverviewRefId = 'meshResponses' | 'meshLatency' | 'appRequests' | 'appLatency';

export interface NamedQuery<R extends string = string> {
  refId: R;
  expr: string;
}

export interface OverviewQueryOptions {
  settings: AppSettings;
  /** Length of the window the figures summarise, in seconds (the dashboard time range). */
  windowSeconds: number;
  /** Restricts the mesh queries (and app queries by `job`) to one namespace; see appMatchers. */
  namespace?: string;
}

export function meshGroupLabels(settings: AppSettings): string[] {
  const labels = MESH_LABELS[settings.labelSchema];
  return [labels.namespace, ...labels.workloads];
}

export function appGroupLabels(settings: AppSettings): string[] {
  const labels = appLabels(settings.appServiceLabel);
  return [labels.service, ...labels.namespaces];
}

function meshInbound(settings: AppSettings, namespace?: string): LabelMatcher[] {
  const matchers = [MESH_LAYER, INBOUND];
  if (namespace) {
    matchers.push(eq(MESH_LABELS[settings.labelSchema].namespace, namespace));
  }
  return matchers;
}

/**
 * App series name their namespace in one of two labels (or in `job`); a selector cannot say "either label",
 * so with `service_name` the app queries stay unfiltered and runOverview keeps the namespace's rows.
 */
function appMatchers(settings: AppSettings, namespace?: string): LabelMatcher[] {
  const matchers = [APP_LAYER];
  if (namespace && settings.appServiceLabel === 'job') {
    matchers.push(matcher('job', '=~', `${escapeRegex(namespace)}/.+`));
  }
  return matchers;
}

/**
 * Mesh inbound responses per service broken down by classification, HTTP status and gRPC status:
 * request rate, success rate, the gRPC trap and the HTTP-only view all come from this one query.
 */
export function buildMeshResponsesQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const selector = seriesSelector(MESH_FAMILIES.responses, meshInbound(settings, namespace));
  return sumRate(
    selector,
    [...meshGroupLabels(settings), 'classification', 'status_code', 'grpc_status', 'error'],
    promDuration(windowSeconds)
  );
}

/** Mesh inbound p50/p95/p99 per service, in milliseconds, tagged with a `quantile` label. */
export function buildMeshLatencyQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const selector = seriesSelector(MESH_FAMILIES.latencyBucket, meshInbound(settings, namespace));
  return quantilesQuery(
    MESH_QUANTILES,
    sumRate(selector, [...meshGroupLabels(settings), 'le'], promDuration(windowSeconds))
  );
}

/**
 * One selector for both app families (`{__name__=~"<http>|<rpc>", …}`): the store reads them in one pass,
 * measurably faster than `rate(http) or rate(rpc)` at 5,000 services (docs/benchmarks.md).
 */
function appFamiliesSelector(settings: AppSettings, suffix: '_count' | '_bucket', namespace?: string): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const names = [http, rpc].map((family) => escapeRegex(`${family.base}${suffix}`)).join('|');
  return labelSelector([matcher('__name__', '=~', names), ...appMatchers(settings, namespace)]);
}

/** App request rate per service and status, HTTP and RPC families together. */
export function buildAppRequestsQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  return sumRate(
    appFamiliesSelector(settings, '_count', namespace),
    [...appGroupLabels(settings), http.statusLabel, rpc.statusLabel],
    promDuration(windowSeconds)
  );
}

/**
 * App p50/p95/p99 per service in the family's unit, tagged with a `quantile` label. Both families of a
 * convention share one unit, so their buckets can be summed per service.
 */
export function buildAppLatencyQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const buckets = sumRate(
    appFamiliesSelector(settings, '_bucket', namespace),
    [...appGroupLabels(settings), 'le'],
    promDuration(windowSeconds)
  );
  return quantilesQuery(APP_QUANTILES, buckets);
}

export function buildOverviewQueries(options: OverviewQueryOptions): Array<NamedQuery<OverviewRefId>> {
  return [
    { refId: 'meshResponses', expr: buildMeshResponsesQuery(options) },
    { refId: 'meshLatency', expr: buildMeshLatencyQuery(options) },
    { refId: 'appRequests', expr: buildAppRequestsQuery(options) },
    { refId: 'appLatency', expr: buildAppLatencyQuery(options) },
  ];
}
