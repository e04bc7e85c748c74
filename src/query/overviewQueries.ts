import type { AppSettings } from '../settings/types';
import {
  byClause,
  eq,
  escapeRegex,
  labelSelector,
  matcher,
  promDuration,
  quantileQuery,
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

/**
 * One request of the overview. A latency query goes as one request per figure (each quantile, the mean), sent in
 * parallel: as one `or`-joined request the store computes them one after another, and that request alone carried
 * ~70 % of the overview's work (docs/benchmarks.md). The parts' samples are merged back under their refId.
 */
export interface OverviewQuery extends NamedQuery<OverviewRefId> {
  /** The latency figure a part computes: the `quantile` label its samples carry. */
  part?: string;
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
export function appNamespaceMatchers(settings: AppSettings, namespace?: string): LabelMatcher[] {
  return namespace && settings.appServiceLabel === 'job' ? [matcher('job', '=~', `${escapeRegex(namespace)}/.+`)] : [];
}

function appMatchers(settings: AppSettings, namespace?: string): LabelMatcher[] {
  return [APP_LAYER, ...appNamespaceMatchers(settings, namespace)];
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
  return `${traffic} or ${presenceQuery(admin, group, window)}`;
}

/** One sample per workload seen on its proxy's admin port in the window, tagged with PRESENCE_LABEL. */
function presenceQuery(adminSelector: string, groupBy: string[], window: string): string {
  return (
    `label_replace(group ${byClause(groupBy)} (last_over_time(${adminSelector}[${window}])), ` +
    `"${PRESENCE_LABEL}", "admin", "", "")`
  );
}

/**
 * Mean of a histogram from its `_sum` and `_count` rates, tagged `quantile="mean"` beside the quantiles: exact where
 * quantiles are interpolated inside a bucket.
 */
function meanQuery(sumRates: string, countRates: string): string {
  return `label_replace(${sumRates} / ${countRates}, "quantile", "${MEAN}", "", "")`;
}

/** One request of a latency query: a quantile, or the mean. */
export interface LatencyPart {
  part: string;
  expr: string;
}

/** A latency query as its parts: one per quantile from the bucket rates, and the mean. */
export function latencyParts(bucketRates: string, sumRates: string, countRates: string): LatencyPart[] {
  return [
    ...QUANTILES.map((q) => ({ part: String(q), expr: quantileQuery(q, bucketRates) })),
    { part: MEAN, expr: meanQuery(sumRates, countRates) },
  ];
}

/** Mesh inbound p50/p95/p99 and mean per service, in milliseconds, each part tagged with a `quantile` label. */
export function buildMeshLatencyQueries({ settings, windowSeconds, namespace }: OverviewQueryOptions): LatencyPart[] {
  const matchers = meshInbound(settings, namespace);
  const window = promDuration(windowSeconds);
  const group = meshGroupLabels(settings);
  return latencyParts(
    sumRate(seriesSelector(MESH_FAMILIES.latencyBucket, matchers), [...group, 'le'], window),
    sumRate(seriesSelector(MESH_FAMILIES.latencySum, matchers), group, window),
    sumRate(seriesSelector(MESH_FAMILIES.latencyCount, matchers), group, window)
  );
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
export function appFamiliesSelector(
  settings: AppSettings,
  suffix: '_count' | '_bucket' | '_sum',
  namespace?: string
): string {
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
 * App p50/p95/p99 and mean per service in the family's unit, each part tagged with a `quantile` label. Both
 * families of a convention share one unit, so their buckets can be summed per service.
 */
export function buildAppLatencyQueries({ settings, windowSeconds, namespace }: OverviewQueryOptions): LatencyPart[] {
  const window = promDuration(windowSeconds);
  const group = appGroupLabels(settings);
  return latencyParts(
    sumRate(appFamiliesSelector(settings, '_bucket', namespace), [...group, 'le'], window),
    sumRate(appFamiliesSelector(settings, '_sum', namespace), group, window),
    sumRate(appFamiliesSelector(settings, '_count', namespace), group, window)
  );
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

/** The overview's requests: a fixed number whatever the number of services (11). */
export function buildOverviewQueries(options: OverviewQueryOptions): OverviewQuery[] {
  return [
    { refId: 'meshResponses', expr: buildMeshResponsesQuery(options) },
    ...buildMeshLatencyQueries(options).map((part) => ({ refId: 'meshLatency' as const, ...part })),
    { refId: 'meshCallers', expr: buildMeshCallersQuery(options) },
    { refId: 'appRequests', expr: buildAppRequestsQuery(options) },
    ...buildAppLatencyQueries(options).map((part) => ({ refId: 'appLatency' as const, ...part })),
  ];
}
