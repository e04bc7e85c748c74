import type { AppSettings } from '../settings/types';
import {
  byClause,
  eq,
  escapeRegex,
  labelSelector,
  matcher,
  promDuration,
  quantileQuery,
  rangeSelector,
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
import { appSelectionMatchers, workloadSelectionMatchers, type ServiceSelection } from './serviceSelection';

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
  /** Reads the window this many seconds earlier (PromQL `offset`): the figures of a baseline to compare with. */
  offsetSeconds?: number;
  /** Restricts every query to these services (a flagged few's timeline); see serviceSelection.ts. */
  only?: ServiceSelection;
  /**
   * The latency queries return the exact mean alone, no quantiles: a quarter of their series, for a window whose
   * flags may rest on the mean (the range's most recent part).
   */
  meanOnly?: boolean;
}

/** The offset of the options as a PromQL duration, if any. */
function offsetOf(options: OverviewQueryOptions): string | undefined {
  return options.offsetSeconds ? promDuration(options.offsetSeconds) : undefined;
}

function meshOnly(options: OverviewQueryOptions): LabelMatcher[] {
  return options.only ? workloadSelectionMatchers(MESH_LABELS[options.settings.labelSchema], options.only.mesh) : [];
}

function callersOnly(options: OverviewQueryOptions): LabelMatcher[] {
  return options.only ? workloadSelectionMatchers(DESTINATION_LABELS, options.only.mesh) : [];
}

function appOnly(options: OverviewQueryOptions): LabelMatcher[] {
  return options.only ? appSelectionMatchers(options.settings.appServiceLabel, options.only.app) : [];
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
export function buildMeshResponsesQuery(options: OverviewQueryOptions): string {
  const { settings, windowSeconds, namespace } = options;
  const window = promDuration(windowSeconds);
  const group = meshGroupLabels(settings);
  const traffic = sumRate(
    seriesSelector(MESH_FAMILIES.responses, [...meshInbound(settings, namespace), ...meshOnly(options)]),
    [...group, ...OUTCOME_LABELS],
    windowSeconds,
    offsetOf(options)
  );
  const admin = seriesSelector(MESH_FAMILIES.responses, [...meshAdmin(settings, namespace), ...meshOnly(options)]);
  return `${traffic} or ${presenceQuery(admin, group, window, offsetOf(options))}`;
}

/** One sample per workload seen on its proxy's admin port in the window, tagged with PRESENCE_LABEL. */
function presenceQuery(adminSelector: string, groupBy: string[], window: string, offset?: string): string {
  return (
    `label_replace(group ${byClause(groupBy)} (last_over_time(${rangeSelector(adminSelector, window, offset)})), ` +
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

/**
 * A latency query as its parts: one per quantile from the bucket rates, and the mean; the mean alone when
 * `meanOnly` (the bucket rates are then never sent).
 */
export function latencyParts(
  bucketRates: string,
  sumRates: string,
  countRates: string,
  meanOnly = false
): LatencyPart[] {
  const mean = { part: MEAN, expr: meanQuery(sumRates, countRates) };
  return meanOnly
    ? [mean]
    : [...QUANTILES.map((q) => ({ part: String(q), expr: quantileQuery(q, bucketRates) })), mean];
}

/** Mesh inbound p50/p95/p99 and mean per service, in milliseconds, each part tagged with a `quantile` label. */
export function buildMeshLatencyQueries(options: OverviewQueryOptions): LatencyPart[] {
  const { settings, windowSeconds, namespace } = options;
  const matchers = [...meshInbound(settings, namespace), ...meshOnly(options)];
  const offset = offsetOf(options);
  const group = meshGroupLabels(settings);
  return latencyParts(
    sumRate(seriesSelector(MESH_FAMILIES.latencyBucket, matchers), [...group, 'le'], windowSeconds, offset),
    sumRate(seriesSelector(MESH_FAMILIES.latencySum, matchers), group, windowSeconds, offset),
    sumRate(seriesSelector(MESH_FAMILIES.latencyCount, matchers), group, windowSeconds, offset),
    options.meanOnly
  );
}

/**
 * The same traffic as the callers' proxies saw it, per destination workload and outcome: where the callee's proxy
 * did not classify gRPC (Linkerd stable-2.13 to 2.14.3) the callers' proxies did, and failures the callers'
 * proxies made themselves never reach the callee.
 */
export function buildMeshCallersQuery(options: OverviewQueryOptions): string {
  const { settings, windowSeconds, namespace } = options;
  const selector = seriesSelector(MESH_FAMILIES.responses, [
    ...meshOutbound(settings, namespace),
    ...callersOnly(options),
  ]);
  return sumRate(selector, [...destinationGroupLabels(), ...OUTCOME_LABELS], windowSeconds, offsetOf(options));
}

/**
 * One selector for both app families (`{__name__=~"<http>|<rpc>", …}`): the store reads them in one pass,
 * measurably faster than `rate(http) or rate(rpc)` at 5,000 services (docs/benchmarks.md).
 */
export function appFamiliesSelector(
  settings: AppSettings,
  suffix: '_count' | '_bucket' | '_sum',
  namespace?: string,
  only: LabelMatcher[] = []
): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const names = [http, rpc].map((family) => escapeRegex(`${family.base}${suffix}`)).join('|');
  return labelSelector([matcher('__name__', '=~', names), ...appMatchers(settings, namespace), ...only]);
}

/** App request rate per service and status, HTTP and RPC families together. */
export function buildAppRequestsQuery(options: OverviewQueryOptions): string {
  const { http, rpc } = APP_FAMILIES[options.settings.semconv];
  return sumRate(
    appFamiliesSelector(options.settings, '_count', options.namespace, appOnly(options)),
    [...appGroupLabels(options.settings), http.statusLabel, rpc.statusLabel],
    options.windowSeconds,
    offsetOf(options)
  );
}

/**
 * App p50/p95/p99 and mean per service in the family's unit, each part tagged with a `quantile` label. Both
 * families of a convention share one unit, so their buckets can be summed per service.
 */
export function buildAppLatencyQueries(options: OverviewQueryOptions): LatencyPart[] {
  const { settings, windowSeconds, namespace } = options;
  const offset = offsetOf(options);
  const group = appGroupLabels(settings);
  const families = (suffix: '_count' | '_bucket' | '_sum') =>
    appFamiliesSelector(settings, suffix, namespace, appOnly(options));
  return latencyParts(
    sumRate(families('_bucket'), [...group, 'le'], windowSeconds, offset),
    sumRate(families('_sum'), group, windowSeconds, offset),
    sumRate(families('_count'), group, windowSeconds, offset),
    options.meanOnly
  );
}

/**
 * The bucket series of both latency queries, for their `le` values (series metadata, no samples read): which
 * bucket each p95 came from, so the time outside the app carries the range the buckets allow.
 */
export function buildBucketSelectors(options: OverviewQueryOptions): { mesh: string; app: string } {
  return {
    mesh: seriesSelector(MESH_FAMILIES.latencyBucket, meshInbound(options.settings, options.namespace)),
    app: appFamiliesSelector(options.settings, '_bucket', options.namespace),
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
