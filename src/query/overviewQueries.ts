import type { AppSettings } from '../settings/types';
import {
  byClause,
  eq,
  escapeRegex,
  labelSelector,
  matcher,
  promDuration,
  quantilesQuery,
  seriesSelector,
  sumRate,
  type LabelMatcher,
} from './promql';
import {
  APP_FAMILIES,
  APP_LAYER,
  appLabels,
  DESTINATION_LABELS,
  INBOUND,
  LINKERD_ADMIN_PORT,
  MESH_FAMILIES,
  MESH_LABELS,
  meshMatchers,
  NOT_ADMIN,
  OUTBOUND,
} from './schema';

export const QUANTILES = [0.5, 0.95, 0.99];
/** The `quantile` label value of the mean (`_sum` / `_count`) in the latency queries. */
export const MEAN = 'mean';

/** The overview's queries. Their number is fixed: every service comes back as series of the same few queries. */
export type OverviewRefId = 'meshResponses' | 'meshLatency' | 'meshCallers' | 'appRequests' | 'appLatency';

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

/** What a mesh series says about its workload: the namespace and every workload kind's label. */
export function meshGroupLabels(settings: AppSettings): string[] {
  const labels = MESH_LABELS[settings.labelSchema];
  return [labels.namespace, ...labels.workloads.map((w) => w.label)];
}

export function destinationGroupLabels(): string[] {
  return [DESTINATION_LABELS.namespace, ...DESTINATION_LABELS.workloads.map((w) => w.label)];
}

export function appGroupLabels(settings: AppSettings): string[] {
  const labels = appLabels(settings.appServiceLabel);
  return [labels.service, ...labels.namespaces];
}

/** The outcome labels of `response_total` (linkerd2-proxy `linkerd/app/core/src/metrics.rs`, `Class`). */
export const OUTCOME_LABELS = ['status_code', 'classification', 'grpc_status', 'error'];

/** Inbound service traffic at the callee's proxy: the admin server's scrapes and probes left out. */
export function meshInbound(settings: AppSettings, namespace?: string): LabelMatcher[] {
  const matchers = [...meshMatchers(settings), INBOUND, NOT_ADMIN];
  if (namespace) {
    matchers.push(eq(MESH_LABELS[settings.labelSchema].namespace, namespace));
  }
  return matchers;
}

/** The proxy's admin server's own requests: what shows a proxy is there, whatever its traffic. */
function meshAdmin(settings: AppSettings, namespace?: string): LabelMatcher[] {
  const matchers = [...meshMatchers(settings), INBOUND, eq('target_port', LINKERD_ADMIN_PORT)];
  if (namespace) {
    matchers.push(eq(MESH_LABELS[settings.labelSchema].namespace, namespace));
  }
  return matchers;
}

/** Outbound traffic at the callers' proxies, towards `namespace` when given. */
export function meshOutbound(settings: AppSettings, namespace?: string): LabelMatcher[] {
  const matchers = [...meshMatchers(settings), OUTBOUND];
  if (namespace) {
    matchers.push(eq(DESTINATION_LABELS.namespace, namespace));
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

/** The label that marks a workload's admin-traffic sample in the responses query: its proxy is there. */
export const PRESENCE_LABEL = 'meshlens_presence';

/**
 * Mesh inbound responses per service broken down by outcome: request rate, success rate, the gRPC trap and the
 * HTTP-only view all come from this one query. Each workload whose proxy answered its admin port in the window
 * (scrapes, probes) comes back once more, tagged `meshlens_presence="admin"`: a meshed workload without service
 * traffic is still meshed.
 */
export function buildMeshResponsesQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const window = promDuration(windowSeconds);
  const group = meshGroupLabels(settings);
  const traffic = sumRate(
    seriesSelector(MESH_FAMILIES.responses, meshInbound(settings, namespace)),
    [...group, ...OUTCOME_LABELS],
    window
  );
  const admin = seriesSelector(MESH_FAMILIES.responses, meshAdmin(settings, namespace));
  const presence = `label_replace(group ${byClause(group)} (last_over_time(${admin}[${window}])), "${PRESENCE_LABEL}", "admin", "", "")`;
  return `${traffic} or ${presence}`;
}

/**
 * Mean of a histogram from its `_sum` and `_count`, tagged `quantile="mean"` beside the quantiles: exact where
 * quantiles are interpolated inside a bucket.
 */
function meanQuery(sumSelector: string, countSelector: string, groupBy: string[], window: string): string {
  return (
    `label_replace(${sumRate(sumSelector, groupBy, window)} / ${sumRate(countSelector, groupBy, window)}, ` +
    `"quantile", "${MEAN}", "", "")`
  );
}

/** Mesh inbound p50/p95/p99 and mean per service, in milliseconds, tagged with a `quantile` label. */
export function buildMeshLatencyQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const matchers = meshInbound(settings, namespace);
  const window = promDuration(windowSeconds);
  const group = meshGroupLabels(settings);
  const buckets = sumRate(seriesSelector(MESH_FAMILIES.latencyBucket, matchers), [...group, 'le'], window);
  const mean = meanQuery(
    seriesSelector(MESH_FAMILIES.latencySum, matchers),
    seriesSelector(MESH_FAMILIES.latencyCount, matchers),
    group,
    window
  );
  return `${quantilesQuery(QUANTILES, buckets)} or ${mean}`;
}

/**
 * The same traffic as the callers' proxies saw it, per destination workload and outcome: where the callee's proxy
 * did not classify gRPC (Linkerd stable-2.13 to 2.14.3) the callers' proxies did, and failures the callers'
 * proxies made themselves never reach the callee.
 */
export function buildMeshCallersQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const selector = seriesSelector(MESH_FAMILIES.responses, meshOutbound(settings, namespace));
  return sumRate(selector, [...destinationGroupLabels(), ...OUTCOME_LABELS], promDuration(windowSeconds));
}

/**
 * One selector for both app families (`{__name__=~"<http>|<rpc>", …}`): the store reads them in one pass,
 * measurably faster than `rate(http) or rate(rpc)` at 5,000 services (docs/benchmarks.md).
 */
function appFamiliesSelector(settings: AppSettings, suffix: '_count' | '_bucket' | '_sum', namespace?: string): string {
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
 * App p50/p95/p99 and mean per service in the family's unit, tagged with a `quantile` label. Both families of a
 * convention share one unit, so their buckets can be summed per service.
 */
export function buildAppLatencyQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const window = promDuration(windowSeconds);
  const group = appGroupLabels(settings);
  const buckets = sumRate(appFamiliesSelector(settings, '_bucket', namespace), [...group, 'le'], window);
  const mean = meanQuery(
    appFamiliesSelector(settings, '_sum', namespace),
    appFamiliesSelector(settings, '_count', namespace),
    group,
    window
  );
  return `${quantilesQuery(QUANTILES, buckets)} or ${mean}`;
}

/**
 * The bucket series of both latency queries, for their `le` values (series metadata, no samples read): which
 * bucket each p95 came from, so the time outside the app carries the range the buckets allow.
 */
export function buildBucketSelectors({ settings, namespace }: OverviewQueryOptions): { mesh: string; app: string } {
  return {
    mesh: seriesSelector(MESH_FAMILIES.latencyBucket, meshInbound(settings, namespace)),
    app: appFamiliesSelector(settings, '_bucket', namespace),
  };
}

export function buildOverviewQueries(options: OverviewQueryOptions): Array<NamedQuery<OverviewRefId>> {
  return [
    { refId: 'meshResponses', expr: buildMeshResponsesQuery(options) },
    { refId: 'meshLatency', expr: buildMeshLatencyQuery(options) },
    { refId: 'meshCallers', expr: buildMeshCallersQuery(options) },
    { refId: 'appRequests', expr: buildAppRequestsQuery(options) },
    { refId: 'appLatency', expr: buildAppLatencyQuery(options) },
  ];
}
