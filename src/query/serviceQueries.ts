import type { AppSettings } from '../settings/types';
import { GRPC_STATUS_NAMES, grpcStatusSpellings } from './grpcStatus';
import { eq, escapeRegex, matcher, promDuration, rangeSelector, seriesSelector, type LabelMatcher } from './promql';
import {
  APP_FAMILIES,
  APP_LAYER,
  CALLER_SIDE,
  DESTINATION_LABELS,
  INBOUND,
  LINKERD_ADMIN_PORT,
  MESH_FAMILIES,
  MESH_LABELS,
  meshMatchers,
  NOT_ADMIN,
  OUTBOUND,
  type MeshLabels,
  type WorkloadKind,
} from './schema';

/** Grafana's rate window for range queries: at least four scrape intervals. */
export const RATE_WINDOW = '$__rate_interval';

export interface ServiceRef {
  namespace: string;
  /** The mesh workload. */
  workload: string;
  /** Its kind, when known: the selectors then name its one workload label instead of trying every kind. */
  kind?: WorkloadKind;
}

/** The app's service.name for a workload: its join override, or the workload's own name. */
export function appServiceFor(settings: AppSettings, ref: ServiceRef): string {
  return (
    settings.joinOverrides.find((o) => o.namespace === ref.namespace && o.workload === ref.workload)?.appService ??
    ref.workload
  );
}

/**
 * Selectors of one workload's series, by the labels `schema` uses (the workload's own labels, or the `dst_*`
 * labels of outbound series towards it): one selector when the kind is known, else one per kind.
 */
function workloadSelectors(
  metric: string,
  schema: Omit<MeshLabels, 'pod'>,
  ref: ServiceRef,
  matchers: LabelMatcher[]
): string[] {
  return workloadMatcherSets(schema, ref).map((set) => seriesSelector(metric, [...matchers, ...set]));
}

/** Matchers of one workload by a label set (its own, or `dst_*`): one set per kind unless the kind is known. */
export function workloadMatcherSets(schema: Omit<MeshLabels, 'pod'>, ref: ServiceRef): LabelMatcher[][] {
  const kinds = ref.kind ? schema.workloads.filter((w) => w.kind === ref.kind) : schema.workloads;
  return kinds.map((w) => [eq(schema.namespace, ref.namespace), eq(w.label, ref.workload)]);
}

/** Options of the drill-down's panel queries. */
export interface PanelQueryOptions {
  /** Reads every range this many seconds earlier (PromQL `offset`): the same chart as a baseline. */
  offsetSeconds?: number;
}

function rateOf(selectors: string[], window: string, offsetSeconds?: number): string {
  const offset = offsetSeconds ? promDuration(offsetSeconds) : undefined;
  return selectors.map((selector) => `rate(${rangeSelector(selector, window, offset)})`).join(' or ');
}

/** `rate()` of a mesh family on the workload's own proxies, with `extra` matchers. */
export function meshWorkloadRate(
  settings: AppSettings,
  ref: ServiceRef,
  metric: string,
  extra: LabelMatcher[],
  window = RATE_WINDOW,
  offsetSeconds?: number
): string {
  return rateOf(
    workloadSelectors(metric, MESH_LABELS[settings.labelSchema], ref, [...meshMatchers(settings), ...extra]),
    window,
    offsetSeconds
  );
}

/** `rate()` of a mesh family on the callers' proxies: their outbound series towards the workload. */
export function callersRate(
  settings: AppSettings,
  ref: ServiceRef,
  metric: string,
  extra: LabelMatcher[],
  window = RATE_WINDOW,
  offsetSeconds?: number
): string {
  return rateOf(
    workloadSelectors(metric, DESTINATION_LABELS, ref, [...meshMatchers(settings), OUTBOUND, ...extra]),
    window,
    offsetSeconds
  );
}

/** The callee's inbound service traffic: admin-port scrapes and probes left out. */
const CALLEE = [INBOUND, NOT_ADMIN];

function regexOf(values: string[]): string {
  return values.map(escapeRegex).join('|');
}

/**
 * The two ways a response counts as failed (the PromQL twin of boundary/aggregate `responseOutcome`): a gRPC status
 * among the configured failure codes, whatever the proxy's classification; or no gRPC status the store could read
 * and the proxy's `classification="failure"` (HTTP 5xx, stream errors).
 */
export function failureMatcherSets(settings: AppSettings): LabelMatcher[][] {
  const every = grpcStatusSpellings(GRPC_STATUS_NAMES.map((_, code) => code));
  return [
    [matcher('grpc_status', '=~', regexOf(grpcStatusSpellings(settings.grpcFailureCodes)))],
    [matcher('grpc_status', '!~', regexOf(every)), eq('classification', 'failure')],
  ];
}

/** The configured gRPC failures behind HTTP 200: what HTTP-status dashboards never see. */
function trapMatchers(settings: AppSettings): LabelMatcher[] {
  return [eq('status_code', '200'), ...failureMatcherSets(settings)[0]];
}

export interface PanelQuery {
  refId: string;
  expr: string;
  legendFormat: string;
}

function sumOf(expr: string, by = ''): string {
  return `sum${by ? ` by (${by})` : ''}(${expr})`;
}

/** `(failures or vector(0)) / all`: 0 where nothing failed, no data where nothing was answered. */
function shareOf(part: string, whole: string): string {
  return `(${part} or vector(0)) / ${whole}`;
}

function appSelectorMatchers(settings: AppSettings, ref: ServiceRef): LabelMatcher[][] {
  const service = appServiceFor(settings, ref);
  if (settings.appServiceLabel === 'job') {
    // OTel's job is `service.namespace/service.name`, or the bare name when the app sets no namespace.
    return [[APP_LAYER, eq('job', ref.namespace ? `${ref.namespace}/${service}` : service)]];
  }
  // The namespace is service_namespace where the app sets it, else k8s_namespace_name (aggregate's appIdentity):
  // two selectors, so two namespaces with a service of the same name never mix.
  return [
    [APP_LAYER, eq('service_name', service), eq('service_namespace', ref.namespace)],
    [APP_LAYER, eq('service_name', service), eq('service_namespace', ''), eq('k8s_namespace_name', ref.namespace)],
  ];
}

/** `rate()` of both app families (HTTP and RPC) of the service, optionally their failures only. */
export function appRate(
  settings: AppSettings,
  ref: ServiceRef,
  suffix: '_count' | '_bucket' | '_sum',
  errorsOnly = false,
  window = RATE_WINDOW,
  offsetSeconds?: number
): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const selectors = appSelectorMatchers(settings, ref).flatMap((base) => [
    seriesSelector(`${http.base}${suffix}`, errorsOnly ? [...base, matcher(http.statusLabel, '=~', '5..')] : base),
    seriesSelector(
      `${rpc.base}${suffix}`,
      errorsOnly
        ? [...base, matcher(rpc.statusLabel, '=~', regexOf(grpcStatusSpellings(settings.grpcFailureCodes)))]
        : base
    ),
  ]);
  return rateOf(selectors, window, offsetSeconds);
}

function appToMs(settings: AppSettings): string {
  return APP_FAMILIES[settings.semconv].http.unit === 's' ? ' * 1000' : '';
}

export function boundaryLatencyQueries(
  settings: AppSettings,
  ref: ServiceRef,
  { offsetSeconds }: PanelQueryOptions = {}
): PanelQuery[] {
  const calleeBuckets = sumOf(
    meshWorkloadRate(settings, ref, MESH_FAMILIES.latencyBucket, CALLEE, RATE_WINDOW, offsetSeconds),
    'le'
  );
  const callerBuckets = sumOf(
    callersRate(settings, ref, MESH_FAMILIES.latencyBucket, [], RATE_WINDOW, offsetSeconds),
    'le'
  );
  return [
    ...[0.5, 0.95, 0.99].map((q) => ({
      refId: `mesh_p${q * 100}`,
      expr: `histogram_quantile(${q}, ${calleeBuckets})`,
      legendFormat: `mesh p${q * 100} (at this service's proxy)`,
    })),
    {
      refId: 'callers_p95',
      expr: `histogram_quantile(0.95, ${callerBuckets})`,
      legendFormat: "mesh p95 (at the callers' proxies)",
    },
    {
      refId: 'app_p95',
      expr: `histogram_quantile(0.95, ${sumOf(appRate(settings, ref, '_bucket', false, RATE_WINDOW, offsetSeconds), 'le')})${appToMs(settings)}`,
      legendFormat: 'app p95',
    },
  ];
}

/** Share of the responses that failed, per the configured gRPC codes or the proxy's classification. */
function meshSuccess(rate: (extra: LabelMatcher[]) => string, settings: AppSettings): string {
  const failures = failureMatcherSets(settings).map((set) => rate(set));
  return `1 - ${shareOf(sumOf(failures.join(' or ')), sumOf(rate([])))}`;
}

export function successQueries(
  settings: AppSettings,
  ref: ServiceRef,
  { offsetSeconds }: PanelQueryOptions = {}
): PanelQuery[] {
  const callee = (extra: LabelMatcher[]) =>
    meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [...CALLEE, ...extra], RATE_WINDOW, offsetSeconds);
  const callers = (extra: LabelMatcher[]) =>
    callersRate(settings, ref, MESH_FAMILIES.responses, extra, RATE_WINDOW, offsetSeconds);
  const app = (errorsOnly: boolean) => appRate(settings, ref, '_count', errorsOnly, RATE_WINDOW, offsetSeconds);
  return [
    { refId: 'mesh_success', expr: meshSuccess(callee, settings), legendFormat: "mesh (this service's proxy)" },
    { refId: 'callers_success', expr: meshSuccess(callers, settings), legendFormat: "mesh (callers' proxies)" },
    {
      refId: 'app_success',
      expr: `1 - ${shareOf(sumOf(app(true)), sumOf(app(false)))}`,
      legendFormat: 'app',
    },
  ];
}

export function requestRateQueries(
  settings: AppSettings,
  ref: ServiceRef,
  { offsetSeconds }: PanelQueryOptions = {}
): PanelQuery[] {
  return [
    {
      refId: 'mesh_rps',
      expr: sumOf(meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, CALLEE, RATE_WINDOW, offsetSeconds)),
      legendFormat: 'mesh',
    },
    {
      refId: 'app_rps',
      expr: sumOf(appRate(settings, ref, '_count', false, RATE_WINDOW, offsetSeconds)),
      legendFormat: 'app',
    },
  ];
}

export function statusQueries(
  settings: AppSettings,
  ref: ServiceRef,
  { offsetSeconds }: PanelQueryOptions = {}
): { byGrpcStatus: PanelQuery[]; byHttpStatus: PanelQuery[]; trapShare: PanelQuery[] } {
  const callee = (extra: LabelMatcher[]) =>
    meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [...CALLEE, ...extra], RATE_WINDOW, offsetSeconds);
  const callers = (extra: LabelMatcher[]) =>
    callersRate(settings, ref, MESH_FAMILIES.responses, extra, RATE_WINDOW, offsetSeconds);
  return {
    byGrpcStatus: [
      {
        refId: 'grpc',
        expr: sumOf(callee([matcher('grpc_status', '!=', '')]), 'grpc_status'),
        legendFormat: '{{grpc_status}}',
      },
    ],
    byHttpStatus: [{ refId: 'http', expr: sumOf(callee([]), 'status_code'), legendFormat: 'HTTP {{status_code}}' }],
    trapShare: [
      {
        refId: 'trap',
        expr: shareOf(sumOf(callee(trapMatchers(settings))), sumOf(callee([]))),
        legendFormat: "failed behind HTTP 200 (this service's proxy)",
      },
      {
        refId: 'callers_trap',
        expr: shareOf(sumOf(callers(trapMatchers(settings))), sumOf(callers([]))),
        legendFormat: "failed behind HTTP 200 (callers' proxies)",
      },
      {
        refId: 'http_errors',
        expr: shareOf(sumOf(callee([matcher('status_code', '=~', '5..')])), sumOf(callee([]))),
        legendFormat: 'HTTP 5xx (what HTTP dashboards see)',
      },
    ],
  };
}

export function tcpQueries(
  settings: AppSettings,
  ref: ServiceRef
): { connections: PanelQuery[]; bytes: PanelQuery[]; closeErrors: PanelQuery[] } {
  const callerSide = [INBOUND, CALLER_SIDE, NOT_ADMIN];
  const gauge = workloadSelectors(MESH_FAMILIES.tcpOpenConnections, MESH_LABELS[settings.labelSchema], ref, [
    ...meshMatchers(settings),
    ...callerSide,
  ]).join(' or ');
  return {
    connections: [{ refId: 'open', expr: sumOf(gauge), legendFormat: 'open connections' }],
    bytes: [
      {
        refId: 'read',
        expr: sumOf(meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpReadBytes, callerSide)),
        legendFormat: 'read from callers',
      },
      {
        refId: 'write',
        expr: sumOf(meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpWriteBytes, callerSide)),
        legendFormat: 'written to callers',
      },
    ],
    closeErrors: [
      {
        refId: 'close_errors',
        // tcp_close_total has no classification since 2018: a close with an errno is the error.
        expr: `${sumOf(meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpCloseTotal, [...callerSide, matcher('errno', '!=', '')]), 'errno')} or vector(0)`,
        legendFormat: '{{errno}}',
      },
    ],
  };
}

/** Linkerd's route families (2.16+ outbound, 2.20+ inbound) that record a call by HTTP status alone. */
export const HTTP_ROUTE_FAMILIES = {
  outbound: 'outbound_http_route_request_statuses_total',
  inbound: 'inbound_http_statuses_total',
};

export type RouteProtocolRefId = 'serviceNames' | 'outboundHttpRoutes' | 'inboundHttpRoutes';

/**
 * Whether the route families record the workload's calls as HTTP: the Services callers reach it by (`dst_service`
 * of their legacy outbound series), the outbound HTTP routes of those Services (`parent_name`), and the
 * workload's own inbound HTTP route traffic. Instant queries over `window`.
 */
export function routeProtocolQueries(
  settings: AppSettings,
  ref: ServiceRef,
  window: string
): Array<{ refId: RouteProtocolRefId; expr: string }> {
  const sum = (selectors: string[], by: string) =>
    `sum by (${by}) (${selectors.map((s) => `rate(${s}[${window}])`).join(' or ')})`;
  const callers = workloadSelectors(MESH_FAMILIES.responses, DESTINATION_LABELS, ref, [
    ...meshMatchers(settings),
    OUTBOUND,
  ]);
  const outboundRoutes = seriesSelector(HTTP_ROUTE_FAMILIES.outbound, [
    ...meshMatchers(settings),
    eq('parent_namespace', ref.namespace),
  ]);
  const inboundRoutes = workloadSelectors(HTTP_ROUTE_FAMILIES.inbound, MESH_LABELS[settings.labelSchema], ref, [
    ...meshMatchers(settings),
  ]);
  return [
    { refId: 'serviceNames', expr: sum(callers, 'dst_service') },
    { refId: 'outboundHttpRoutes', expr: sum([outboundRoutes], 'parent_name') },
    { refId: 'inboundHttpRoutes', expr: `sum(${inboundRoutes.map((s) => `rate(${s}[${window}])`).join(' or ')})` },
  ];
}

/** The figures of a service's row that a query can give on its own, by overview column id. */
export type FigureId =
  | 'mesh-rps'
  | 'mesh-success'
  | 'app-rps'
  | 'app-success'
  | 'mesh-p50'
  | 'mesh-p95'
  | 'mesh-p99'
  | 'app-p50'
  | 'app-p95'
  | 'outside-app-mean'
  | 'outside-app-p95';

/**
 * The PromQL of each figure of a service's row, summarising `window` when run as an instant query at its end:
 * what a figure's Explore link opens. The same definitions as the overview's (a gRPC status among the configured
 * codes or the proxy's failure classification fails a response; the admin server's traffic is left out), one
 * service at a time.
 */
export function figureQueries(settings: AppSettings, ref: ServiceRef, window: string): Record<FigureId, string> {
  const mesh = (metric: string, extra: LabelMatcher[] = []) =>
    meshWorkloadRate(settings, ref, metric, [...CALLEE, ...extra], window);
  const app = (suffix: '_count' | '_bucket' | '_sum', errorsOnly = false) =>
    appRate(settings, ref, suffix, errorsOnly, window);
  const meshQuantile = (q: number) => `histogram_quantile(${q}, ${sumOf(mesh(MESH_FAMILIES.latencyBucket), 'le')})`;
  const appQuantile = (q: number) => `histogram_quantile(${q}, ${sumOf(app('_bucket'), 'le')})${appToMs(settings)}`;
  const meshMean = `${sumOf(mesh(MESH_FAMILIES.latencySum))} / ${sumOf(mesh(MESH_FAMILIES.latencyCount))}`;
  const appMean = `${sumOf(app('_sum'))} / ${sumOf(app('_count'))}${appToMs(settings)}`;
  return {
    // A proxy answering only its admin port is a meshed workload at 0 req/s, as in the overview.
    'mesh-rps': `${sumOf(mesh(MESH_FAMILIES.responses))} or 0 * ${sumOf(
      meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND, eq('target_port', LINKERD_ADMIN_PORT)], window)
    )}`,
    'mesh-success': meshSuccess((extra) => mesh(MESH_FAMILIES.responses, extra), settings),
    'app-rps': sumOf(app('_count')),
    'app-success': `1 - ${shareOf(sumOf(app('_count', true)), sumOf(app('_count')))}`,
    'mesh-p50': meshQuantile(0.5),
    'mesh-p95': meshQuantile(0.95),
    'mesh-p99': meshQuantile(0.99),
    'app-p50': appQuantile(0.5),
    'app-p95': appQuantile(0.95),
    'outside-app-mean': `(${meshMean}) - (${appMean})`,
    'outside-app-p95': `${meshQuantile(0.95)} - (${appQuantile(0.95)})`,
  };
}
