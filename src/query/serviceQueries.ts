import type { AppSettings } from '../settings/types';
import { eq, matcher, seriesSelector, type LabelMatcher } from './promql';
import { APP_FAMILIES, APP_LAYER, INBOUND, MESH_FAMILIES, MESH_LABELS, MESH_LAYER } from './schema';

/** Grafana's rate window for range queries: at least four scrape intervals. */
export const RATE_WINDOW = '$__rate_interval';

export interface ServiceRef {
  namespace: string;
  /** The mesh workload. */
  workload: string;
}

/** The app's service.name for a workload: its join override, or the workload's own name. */
export function appServiceFor(settings: AppSettings, ref: ServiceRef): string {
  return (
    settings.joinOverrides.find((o) => o.namespace === ref.namespace && o.workload === ref.workload)?.appService ??
    ref.workload
  );
}

/**
 * `rate()` of a mesh family for one workload. The workload sits in a deployment, statefulset or daemonset
 * label: one selector per kind, joined with `or`, so the query needs no knowledge of the kind.
 */
export function meshWorkloadRate(
  settings: AppSettings,
  ref: ServiceRef,
  metric: string,
  extra: LabelMatcher[],
  window = RATE_WINDOW
): string {
  const labels = MESH_LABELS[settings.labelSchema];
  return labels.workloads
    .map((workloadLabel) => {
      const selector = seriesSelector(metric, [
        MESH_LAYER,
        eq(labels.namespace, ref.namespace),
        eq(workloadLabel, ref.workload),
        ...extra,
      ]);
      return `rate(${selector}[${window}])`;
    })
    .join(' or ');
}

function meshWorkloadGauge(settings: AppSettings, ref: ServiceRef, metric: string, extra: LabelMatcher[]): string {
  const labels = MESH_LABELS[settings.labelSchema];
  return labels.workloads
    .map((workloadLabel) =>
      seriesSelector(metric, [
        MESH_LAYER,
        eq(labels.namespace, ref.namespace),
        eq(workloadLabel, ref.workload),
        ...extra,
      ])
    )
    .join(' or ');
}

function appSelectorMatchers(settings: AppSettings, ref: ServiceRef): LabelMatcher[] {
  const service = appServiceFor(settings, ref);
  return settings.appServiceLabel === 'job'
    ? [APP_LAYER, eq('job', `${ref.namespace}/${service}`)]
    : [APP_LAYER, eq('service_name', service)];
}

/** `rate()` of both app families (HTTP and RPC) of the service, with optional status matchers per family. */
function appRate(settings: AppSettings, ref: ServiceRef, suffix: '_count' | '_bucket', errorsOnly = false): string {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const base = appSelectorMatchers(settings, ref);
  const httpMatchers = errorsOnly ? [...base, matcher(http.statusLabel, '=~', '5..')] : base;
  const rpcMatchers = errorsOnly ? [...base, matcher(rpc.statusLabel, '!~', '0|OK')] : base;
  return [
    `rate(${seriesSelector(`${http.base}${suffix}`, httpMatchers)}[${RATE_WINDOW}])`,
    `rate(${seriesSelector(`${rpc.base}${suffix}`, rpcMatchers)}[${RATE_WINDOW}])`,
  ].join(' or ');
}

export interface PanelQuery {
  refId: string;
  expr: string;
  legendFormat: string;
}

export function boundaryLatencyQueries(settings: AppSettings, ref: ServiceRef): PanelQuery[] {
  const meshBuckets = `sum by (le) (${meshWorkloadRate(settings, ref, MESH_FAMILIES.latencyBucket, [INBOUND])})`;
  const toMs = APP_FAMILIES[settings.semconv].http.unit === 's' ? ' * 1000' : '';
  return [
    ...[0.5, 0.95, 0.99].map((q) => ({
      refId: `mesh_p${q * 100}`,
      expr: `histogram_quantile(${q}, ${meshBuckets})`,
      legendFormat: `mesh p${q * 100}`,
    })),
    {
      refId: 'app_p95',
      expr: `histogram_quantile(0.95, sum by (le) (${appRate(settings, ref, '_bucket')}))${toMs}`,
      legendFormat: 'app p95',
    },
  ];
}

export function successQueries(settings: AppSettings, ref: ServiceRef): PanelQuery[] {
  const all = `sum(${meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND])})`;
  const success = `sum(${meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND, eq('classification', 'success')])})`;
  return [
    { refId: 'mesh_success', expr: `(${success} or vector(0)) / ${all}`, legendFormat: 'mesh success' },
    {
      refId: 'app_success',
      expr: `1 - ((sum(${appRate(settings, ref, '_count', true)}) or vector(0)) / sum(${appRate(settings, ref, '_count')}))`,
      legendFormat: 'app success',
    },
  ];
}

export function requestRateQueries(settings: AppSettings, ref: ServiceRef): PanelQuery[] {
  return [
    {
      refId: 'mesh_rps',
      expr: `sum(${meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND])})`,
      legendFormat: 'mesh',
    },
    { refId: 'app_rps', expr: `sum(${appRate(settings, ref, '_count')})`, legendFormat: 'app' },
  ];
}

export function grpcStatusQueries(
  settings: AppSettings,
  ref: ServiceRef
): { byGrpcStatus: PanelQuery[]; byHttpStatus: PanelQuery[]; trapShare: PanelQuery[] } {
  const responses = (extra: LabelMatcher[]) =>
    meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND, ...extra]);
  return {
    byGrpcStatus: [
      {
        refId: 'grpc',
        expr: `sum by (grpc_status) (${responses([matcher('grpc_status', '!=', '')])})`,
        legendFormat: 'grpc-status {{grpc_status}}',
      },
    ],
    byHttpStatus: [
      { refId: 'http', expr: `sum by (status_code) (${responses([])})`, legendFormat: 'HTTP {{status_code}}' },
    ],
    trapShare: [
      {
        refId: 'trap',
        expr: `(sum(${responses([eq('classification', 'failure'), eq('status_code', '200')])}) or vector(0)) / sum(${responses([])})`,
        legendFormat: 'failed with HTTP 200',
      },
      {
        refId: 'http_errors',
        expr: `(sum(${responses([matcher('status_code', '=~', '5..')])}) or vector(0)) / sum(${responses([])})`,
        legendFormat: 'HTTP 5xx (what HTTP dashboards see)',
      },
    ],
  };
}

export function tcpQueries(
  settings: AppSettings,
  ref: ServiceRef
): { connections: PanelQuery[]; bytes: PanelQuery[]; closeErrors: PanelQuery[] } {
  const inbound = [INBOUND];
  return {
    connections: [
      {
        refId: 'open',
        expr: `sum(${meshWorkloadGauge(settings, ref, MESH_FAMILIES.tcpOpenConnections, inbound)})`,
        legendFormat: 'open connections',
      },
    ],
    bytes: [
      {
        refId: 'read',
        expr: `sum(${meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpReadBytes, inbound)})`,
        legendFormat: 'read',
      },
      {
        refId: 'write',
        expr: `sum(${meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpWriteBytes, inbound)})`,
        legendFormat: 'written',
      },
    ],
    closeErrors: [
      {
        refId: 'close_errors',
        expr: `sum by (errno) (${meshWorkloadRate(settings, ref, MESH_FAMILIES.tcpCloseTotal, [...inbound, eq('classification', 'failure')])}) or vector(0)`,
        legendFormat: 'errno {{errno}}',
      },
    ],
  };
}

/** Inbound traffic by caller identity over `window` (an instant query summarising the time range). */
export function callersQuery(settings: AppSettings, ref: ServiceRef, window: string): string {
  return `sum by (client_id, tls, classification) (${meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [INBOUND], window)})`;
}

/** Outbound traffic of the workload by destination over `window` (instant). */
export function calleesQuery(settings: AppSettings, ref: ServiceRef, window: string): string {
  return (
    'sum by (dst_namespace, dst_deployment, dst_statefulset, dst_daemonset, tls, classification) (' +
    `${meshWorkloadRate(settings, ref, MESH_FAMILIES.responses, [eq('direction', 'outbound')], window)})`
  );
}
