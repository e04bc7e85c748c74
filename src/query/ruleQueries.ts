/**
 * The PromQL the rule files (src/rules) are made of, built from the same selectors, groupings and failure
 * definitions as the overview and the drill-down, so a recorded series means exactly what the page computes.
 *
 * Two builders the overview keeps private (its admin-presence selector and its one-selector-for-both-app-families)
 * are exported here as they are written there; ruleQueries.test.ts holds them to the overview's queries text for
 * text, so the two cannot drift apart.
 */
import type { AppSettings, JoinOverride } from '../settings/types';
import { grpcStatusSpellings } from './grpcStatus';
import {
  appGroupLabels,
  destinationGroupLabels,
  meshGroupLabels,
  meshInbound,
  meshOutbound,
  OUTCOME_LABELS,
} from './overviewQueries';
import {
  assertLabelName,
  byClause,
  eq,
  escapeLabelValue,
  escapeRegex,
  labelSelector,
  matcher,
  seriesSelector,
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
  type MeshLabels,
} from './schema';
import { failureMatcherSets } from './serviceQueries';

/** The proxy's admin server's own requests (scrapes, probes): proof that a proxy is there, whatever its traffic. */
export function meshAdminMatchers(settings: AppSettings): LabelMatcher[] {
  return [...meshMatchers(settings), INBOUND, eq('target_port', LINKERD_ADMIN_PORT)];
}

/** Both app families of the configured conventions in one selector: `{__name__=~"<http>|<rpc>", layer!="mesh"}`. */
export function appFamiliesSelector(settings: AppSettings, suffix: '_count' | '_bucket' | '_sum'): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const names = [http, rpc].map((family) => escapeRegex(`${family.base}${suffix}`)).join('|');
  return labelSelector([matcher('__name__', '=~', names), APP_LAYER]);
}

/** What a recording rule pre-aggregates: `sum by (groupBy) (rate(selector[window]))`. */
export interface RateSource {
  selector: string;
  groupBy: string[];
}

/** The sources of the overview's five queries, each one `sum by (…) (rate(…))` away from a recorded series. */
export interface OverviewRateSources {
  /** meshResponses: inbound service traffic by workload and outcome, admin port left out. */
  meshResponses: RateSource;
  /** meshResponses' presence part: the admin port's traffic by workload. */
  meshAdmin: RateSource;
  /** meshLatency. */
  meshLatencyBucket: RateSource;
  meshLatencySum: RateSource;
  meshLatencyCount: RateSource;
  /** meshCallers: the callers' outbound view by destination workload and outcome. */
  meshCallers: RateSource;
  /** appRequests: both app families by service and status. */
  appRequests: RateSource;
  /** appLatency. */
  appLatencyBucket: RateSource;
  appLatencySum: RateSource;
  appLatencyCount: RateSource;
}

export function overviewRateSources(settings: AppSettings): OverviewRateSources {
  const mesh = meshGroupLabels(settings);
  const inbound = meshInbound(settings);
  const app = appGroupLabels(settings);
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  return {
    meshResponses: {
      selector: seriesSelector(MESH_FAMILIES.responses, inbound),
      groupBy: [...mesh, ...OUTCOME_LABELS],
    },
    meshAdmin: { selector: seriesSelector(MESH_FAMILIES.responses, meshAdminMatchers(settings)), groupBy: mesh },
    meshLatencyBucket: { selector: seriesSelector(MESH_FAMILIES.latencyBucket, inbound), groupBy: [...mesh, 'le'] },
    meshLatencySum: { selector: seriesSelector(MESH_FAMILIES.latencySum, inbound), groupBy: mesh },
    meshLatencyCount: { selector: seriesSelector(MESH_FAMILIES.latencyCount, inbound), groupBy: mesh },
    meshCallers: {
      selector: seriesSelector(MESH_FAMILIES.responses, meshOutbound(settings)),
      groupBy: [...destinationGroupLabels(), ...OUTCOME_LABELS],
    },
    appRequests: {
      selector: appFamiliesSelector(settings, '_count'),
      groupBy: [...app, http.statusLabel, rpc.statusLabel],
    },
    appLatencyBucket: { selector: appFamiliesSelector(settings, '_bucket'), groupBy: [...app, 'le'] },
    appLatencySum: { selector: appFamiliesSelector(settings, '_sum'), groupBy: app },
    appLatencyCount: { selector: appFamiliesSelector(settings, '_count'), groupBy: app },
  };
}

/**
 * How the mesh latency bucket rule is split: a rule per `le` set, each recording the same series name. One rule would
 * select every raw bucket series at once (506,714 at 5,000 single-pod services, docs/benchmarks.md), over
 * VictoriaMetrics' default `-search.maxUniqueTimeseries` of 300,000, and a default store refuses it. The sets go by
 * the length of the bound's text, and the last takes the rest, so they are disjoint and hold every bound whatever
 * buckets a proxy version has (generator/distribution.ts: they differ); Linkerd's 26 bounds (1 … 50000, +Inf) split
 * 10 / 11 / 5, the largest part about 214,000 series at 5,000 services. Each `le` is summed in one part only, so the
 * recorded series are the unsplit rule's.
 */
export const MESH_BUCKET_LE_PARTS: LabelMatcher[] = [
  matcher('le', '=~', '.{1,2}'),
  matcher('le', '=~', '.{3,4}'),
  matcher('le', '!~', '.{1,4}'),
];

/** The mesh latency bucket source as MESH_BUCKET_LE_PARTS' disjoint parts, in their order. */
export function meshLatencyBucketParts(settings: AppSettings): RateSource[] {
  const whole = overviewRateSources(settings).meshLatencyBucket;
  return MESH_BUCKET_LE_PARTS.map((le) => ({
    selector: seriesSelector(MESH_FAMILIES.latencyBucket, [...meshInbound(settings), le]),
    groupBy: whole.groupBy,
  }));
}

/**
 * The recording rule's expression for a source and a rate window such as `1m`: `rate()`, as rules record it. The
 * overview reads the same selector and grouping as `increase()` over its window divided by the window (promql.ts
 * `sumRate`), which equals `rate()` on Prometheus and differs on VictoriaMetrics only for a series born inside the
 * window: at a 1 min window, by less than a window's worth.
 */
export function rateOf(source: RateSource, window: string): string {
  return `sum ${byClause(source.groupBy)} (rate(${source.selector}[${window}]))`;
}

// ---------------------------------------------------------------------------------------------------------------
// What counts as what, on the recorded series (they keep the outcome and status labels of the originals).

function regexOf(values: string[]): string {
  return values.map(escapeRegex).join('|');
}

/** HTTP status 500–599: the HTTP-only view (the drill-down's `http_errors` panel). */
export const HTTP_5XX = '5..';

/** Mesh responses that failed: the overview's `responseOutcome` as matcher sets, OR-ed (serviceQueries). */
export function meshFailureMatcherSets(settings: AppSettings): LabelMatcher[][] {
  return failureMatcherSets(settings);
}

/** A configured gRPC failure behind HTTP 200: the trap (the drill-down's `trap` panel). */
export function meshTrapMatchers(settings: AppSettings): LabelMatcher[] {
  return [eq('status_code', '200'), ...failureMatcherSets(settings)[0]];
}

/** Responses with any gRPC status: the proxy classified gRPC (it did not in Linkerd stable-2.13 to 2.14.3). */
export const MESH_GRPC: LabelMatcher[] = [matcher('grpc_status', '!=', '')];

export const MESH_HTTP_ERRORS: LabelMatcher[] = [matcher('status_code', '=~', HTTP_5XX)];

/** App requests that failed: HTTP 5xx, or an RPC status among the configured gRPC failure codes (serviceQueries' appRate). */
export function appFailureMatcherSets(settings: AppSettings): LabelMatcher[][] {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  return [
    [matcher(http.statusLabel, '=~', HTTP_5XX)],
    [matcher(rpc.statusLabel, '=~', regexOf(grpcStatusSpellings(settings.grpcFailureCodes)))],
  ];
}

/** App series of the HTTP family: the ones without an RPC status (aggregate's `httpTotal`). */
export function appHttpMatchers(settings: AppSettings): LabelMatcher[] {
  return [eq(APP_FAMILIES[settings.semconv].rpc.statusLabel, '')];
}

export function appHttpErrorMatchers(settings: AppSettings): LabelMatcher[] {
  return [...appHttpMatchers(settings), matcher(APP_FAMILIES[settings.semconv].http.statusLabel, '=~', HTTP_5XX)];
}

/** `… * 1000` when the app's histograms are in seconds: the alerts compare milliseconds, as the overview does. */
export function appToMilliseconds(settings: AppSettings): string {
  return APP_FAMILIES[settings.semconv].http.unit === 's' ? ' * 1000' : '';
}

// ---------------------------------------------------------------------------------------------------------------
// One series per service, with labels both layers can be joined on.

/** The workload's name whatever its kind: what joins the mesh to the app and what alerts and links name. */
export const WORKLOAD_LABEL = 'workload';
/**
 * The workload a mesh series belongs to, as the first of its workload labels that is set (schema.ts' order, the
 * precedence of `workloadOf`), preceded by one `/` per kind before it: `payments` (a Deployment), `/catalog` (a
 * StatefulSet), `////report` (a Job). A pod labelled with both its Deployment and its ReplicaSet (or CronJob and
 * Job) counts once, under the first.
 */
export const KIND_KEY_LABEL = 'meshlens_kind';
const APP_NAMESPACE_KEY_LABEL = 'meshlens_ns';
const APP_KEY_LABEL = 'meshlens_app';

/*
 * Portability. Every label_replace below either matches every series or writes a label the series already has:
 * VictoriaMetrics before v1.80 gives a label a non-matching label_replace creates a stale value (another label's,
 * left in its buffer), where Prometheus leaves the series alone. Labels are dropped by aggregation (`sum without`),
 * never by an empty replacement of a label set earlier. Both stores then compute the same series.
 */

/** label_replace with every argument escaped; `$` in `replacement` is PromQL's own group reference. */
export function labelReplace(expr: string, dst: string, replacement: string, src: string, regex: string): string {
  return (
    `label_replace(${expr}, "${assertLabelName(dst)}", "${escapeLabelValue(replacement)}", ` +
    `"${src === '' ? '' : assertLabelName(src)}", "${escapeLabelValue(regex)}")`
  );
}

function labelJoin(expr: string, dst: string, separator: string, sources: string[]): string {
  const names = sources.map((s) => `"${assertLabelName(s)}"`).join(', ');
  return `label_join(${expr}, "${assertLabelName(dst)}", "${escapeLabelValue(separator)}", ${names})`;
}

/** A literal for label_replace's replacement: `$` doubled, so a value is never read as a group reference. */
function literalReplacement(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** The labels every per-service series and alert is joined on: the schema's namespace label and `workload`. */
export function joinLabels(settings: AppSettings): string[] {
  return [MESH_LABELS[settings.labelSchema].namespace, WORKLOAD_LABEL];
}

export function onJoin(settings: AppSettings): string {
  return `on (${joinLabels(settings).join(', ')})`;
}

/**
 * Sums series that carry a workload's labels (`from`: the schema's own, or an outbound series' `dst_*`) into one
 * series per workload, labelled with the schema's namespace label, its workload label (`k8s_deployment_name`,
 * `deployment`, …) and `workload`.
 */
function perWorkload(settings: AppSettings, expr: string, from: Omit<MeshLabels, 'pod'>, extra: string[]): string {
  const schema = MESH_LABELS[settings.labelSchema];
  let e = expr;
  if (from.namespace !== schema.namespace) {
    e = labelReplace(e, schema.namespace, '$1', from.namespace, '(.*)');
  }
  // `payments//////`, `/catalog/////`: then the first label set, with a `/` for each kind before it.
  e = labelJoin(
    e,
    KIND_KEY_LABEL,
    '/',
    from.workloads.map((w) => w.label)
  );
  e = labelReplace(e, KIND_KEY_LABEL, '$1', KIND_KEY_LABEL, '(/*[^/]*).*');
  e = `sum ${byClause([schema.namespace, KIND_KEY_LABEL, ...extra])} (${e})`;
  e = labelReplace(e, WORKLOAD_LABEL, '$1', KIND_KEY_LABEL, '/*(.*)');
  // The schema's own workload label back: `k8s_statefulset_name="catalog"` from `/catalog`, the others unset.
  schema.workloads.forEach((w, position) => {
    e = labelReplace(e, w.label, '$1', KIND_KEY_LABEL, `(?:${'/'.repeat(position)}([^/]+))?.*`);
  });
  return `sum without (${KIND_KEY_LABEL}) (${e})`;
}

/** Mesh series of the workloads' own proxies (grouped by meshGroupLabels), one series per workload. */
export function meshPerWorkload(settings: AppSettings, expr: string, extra: string[] = []): string {
  return perWorkload(settings, expr, MESH_LABELS[settings.labelSchema], extra);
}

/** The callers' outbound series (grouped by destinationGroupLabels), one series per destination workload. */
export function callersPerWorkload(settings: AppSettings, expr: string, extra: string[] = []): string {
  return perWorkload(settings, expr, DESTINATION_LABELS, extra);
}

/**
 * App series (grouped by appGroupLabels), one series per workload they join: the namespace from
 * `service_namespace`, else `k8s_namespace_name` (or `job`'s `namespace/`), the workload from the service name —
 * DESIGN's default join — then each join override, applied where the app's namespace is the override's or empty,
 * as boundary/join.ts does.
 */
export function appPerWorkload(settings: AppSettings, expr: string, extra: string[] = []): string {
  const namespace = MESH_LABELS[settings.labelSchema].namespace;
  const labels = appLabels(settings.appServiceLabel);
  let e = expr;
  if (settings.appServiceLabel === 'job') {
    // OTel's job is `service.namespace/service.name`, or the bare name.
    e = labelReplace(e, namespace, '$1', 'job', '(?:(.*)/)?[^/]*');
    e = labelReplace(e, WORKLOAD_LABEL, '$1', 'job', '(?:.*/)?([^/]*)');
  } else {
    // The first namespace label that is set: `shop;` or `;shop`.
    e = labelJoin(e, APP_NAMESPACE_KEY_LABEL, ';', labels.namespaces);
    e = labelReplace(e, namespace, '$1', APP_NAMESPACE_KEY_LABEL, ';*([^;]*).*');
    e = labelReplace(e, WORKLOAD_LABEL, '$1', labels.service, '(.*)');
  }
  e = applyOverrides(e, namespace, settings.joinOverrides);
  return `sum ${byClause([namespace, WORKLOAD_LABEL, ...extra])} (${e})`;
}

function applyOverrides(expr: string, namespace: string, overrides: JoinOverride[]): string {
  const usable = overrides.filter((o) => o.appService && o.namespace && o.workload);
  if (usable.length === 0) {
    return expr;
  }
  // `<namespace>/<app>` (`/<app>` without a namespace), rewritten to `<namespace>/<workload>` by each override.
  let e = labelJoin(expr, APP_KEY_LABEL, '/', [namespace, WORKLOAD_LABEL]);
  for (const o of usable) {
    const key = `(?:${escapeRegex(o.namespace)})?/${escapeRegex(o.appService)}`;
    e = labelReplace(e, APP_KEY_LABEL, literalReplacement(`${o.namespace}/${o.workload}`), APP_KEY_LABEL, key);
  }
  // Namespaces hold no `/`; service names may.
  e = labelReplace(e, namespace, '$1', APP_KEY_LABEL, '([^/]*)/.*');
  return labelReplace(e, WORKLOAD_LABEL, '$1', APP_KEY_LABEL, '[^/]*/(.*)');
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** `name{…}` of a recorded series (whose names hold colons, which label names cannot); bare when unfiltered. */
export function recordedSelector(name: string, matchers: LabelMatcher[] = []): string {
  if (!METRIC_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid Prometheus metric name`);
  }
  return matchers.length === 0 ? name : `${name}${labelSelector(matchers)}`;
}

/** How many series an expression gives now: what a recording rule of that expression writes at each evaluation. */
export function seriesCountQuery(expr: string): string {
  return `count(${expr})`;
}

/** How many series of these names the store holds now (the last 5 minutes, PromQL's lookback). */
export function storedSeriesCountQuery(names: string[]): string {
  for (const name of names) {
    recordedSelector(name);
  }
  return `count(${labelSelector([matcher('__name__', '=~', regexOf(names))])})`;
}
