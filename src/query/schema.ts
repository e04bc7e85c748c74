import type { AppServiceLabel, AppSettings, LabelSchema, SemconvVersion } from '../settings/types';
import { eq, matcher, type LabelMatcher } from './promql';

/**
 * The Kubernetes workload kinds a meshed pod can belong to. Linkerd's proxy injector labels every meshed pod
 * with exactly one `linkerd.io/proxy-<kind>` (linkerd2 `pkg/inject/inject.go` `populateMeta`); a Job's label is
 * `k8s_job` on Linkerd's Prometheus, so it does not clash with Prometheus' own `job`.
 */
export type WorkloadKind =
  'deployment' | 'statefulset' | 'daemonset' | 'cronjob' | 'job' | 'replicationcontroller' | 'replicaset';

export interface WorkloadLabel {
  kind: WorkloadKind;
  label: string;
}

/** Labels that identify the workload of a mesh series, per label schema (DESIGN §1). */
export interface MeshLabels {
  namespace: string;
  /**
   * Every workload kind's label, in order of precedence: where the Collector's k8sattributes sets both a pod's
   * deployment and its replicaset (or cronjob and job), the first one names the workload.
   */
  workloads: WorkloadLabel[];
  pod: string;
}

const KIND_ORDER: WorkloadKind[] = [
  'deployment',
  'statefulset',
  'daemonset',
  'cronjob',
  'job',
  'replicationcontroller',
  'replicaset',
];

function workloadLabels(label: (kind: WorkloadKind) => string): WorkloadLabel[] {
  return KIND_ORDER.map((kind) => ({ kind, label: label(kind) }));
}

export const MESH_LABELS: Record<LabelSchema, MeshLabels> = {
  // The Collector pipeline: its relabel rules (provisioning/collector/otel-collector.yaml) or k8sattributes
  // name the workload `k8s_<kind>_name`, as the OTel semantic conventions' k8s.<kind>.name.
  otel: {
    namespace: 'k8s_namespace_name',
    workloads: workloadLabels((kind) => `k8s_${kind}_name`),
    pod: 'k8s_pod_name',
  },
  // linkerd-viz's Prometheus (linkerd2 `viz/charts/linkerd-viz/templates/prometheus.yaml`, job linkerd-proxy):
  // `labelmap` of `__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)`, with proxy-job special-cased to k8s_job.
  linkerd: {
    namespace: 'namespace',
    workloads: workloadLabels((kind) => (kind === 'job' ? 'k8s_job' : kind)),
    pod: 'pod',
  },
};

/**
 * How outbound series name their destination: the destination controller's metric labels prefixed `dst_`
 * (linkerd2 `pkg/k8s/labels.go` `GetPodLabels`, linkerd2-proxy `prefix_labels("dst", …)`); a Job is `dst_k8s_job`.
 */
export const DESTINATION_LABELS: Omit<MeshLabels, 'pod'> = {
  namespace: 'dst_namespace',
  workloads: workloadLabels((kind) => (kind === 'job' ? 'dst_k8s_job' : `dst_${kind}`)),
};

export const MESH_FAMILIES = {
  requests: 'request_total',
  responses: 'response_total',
  latencyBucket: 'response_latency_ms_bucket',
  latencySum: 'response_latency_ms_sum',
  latencyCount: 'response_latency_ms_count',
  tcpOpenTotal: 'tcp_open_total',
  tcpOpenConnections: 'tcp_open_connections',
  tcpReadBytes: 'tcp_read_bytes_total',
  tcpWriteBytes: 'tcp_write_bytes_total',
  tcpCloseTotal: 'tcp_close_total',
} as const;

/**
 * The proxy's admin server (Prometheus scrapes, kubelet probes) counts its own requests in the inbound families
 * with `target_addr="0.0.0.0:4191"` (linkerd2-proxy `linkerd/app/admin/src/stack.rs`; the port is the chart's
 * `proxy.ports.admin`). It is not service traffic: every figure leaves it out.
 */
export const LINKERD_ADMIN_PORT = '4191';
export const NOT_ADMIN: LabelMatcher = matcher('target_port', '!=', LINKERD_ADMIN_PORT);

/**
 * Linkerd's newer per-route families, emitted beside the legacy ones by the same proxy: outbound since 2.16
 * (linkerd2-proxy `linkerd/app/outbound/src/http/logical/policy/route/metrics/labels.rs`, `outbound_{http,grpc}_route_*`),
 * inbound since 2.20 (`linkerd/app/inbound/src/http/router/metrics/`, `inbound_{http,grpc}_{requests_total,statuses_total,
 * …_duration_seconds}`).
 * Every figure reads the legacy families; these only feed the route-protocol note and `linkerd viz stat-outbound`.
 */
export const LINKERD_ROUTE_FAMILY_PATTERN =
  'outbound_(http|grpc)_route_.+|inbound_(http|grpc)_(requests_total|statuses_total|(request|response)_duration_seconds_.+)';

/** The matchers that select mesh series in the store: the configured selector, when there is one. */
export function meshMatchers(settings: AppSettings): LabelMatcher[] {
  const { label, value } = settings.meshSelector;
  return label ? [eq(label, value)] : [];
}

/** App series never carry the mesh's `layer="mesh"` (a pipeline that tags them `layer="app"` is fine). */
export const APP_LAYER: LabelMatcher = matcher('layer', '!=', 'mesh');
export const INBOUND: LabelMatcher = eq('direction', 'inbound');
export const OUTBOUND: LabelMatcher = eq('direction', 'outbound');
/**
 * Inbound TCP families come in two sides: `peer="src"`, the caller's connection, and `peer="dst"`, the proxy's
 * loopback connection to the app (linkerd2-proxy `linkerd/app/core/src/transport/labels.rs`). Linkerd Viz reads
 * `peer="src"` (linkerd2 `viz/metrics-api/stat_summary.go`); summing both would count every byte twice.
 */
export const CALLER_SIDE: LabelMatcher = eq('peer', 'src');

export type DurationUnit = 's' | 'ms';

/** One app histogram family and how it encodes status. */
export interface AppFamily {
  /** Histogram base name; `_bucket`, `_count` and `_sum` are appended. */
  base: string;
  unit: DurationUnit;
  statusLabel: string;
  protocol: 'http' | 'rpc';
}

export const APP_FAMILIES: Record<SemconvVersion, { http: AppFamily; rpc: AppFamily }> = {
  stable: {
    http: {
      base: 'http_server_request_duration_seconds',
      unit: 's',
      statusLabel: 'http_response_status_code',
      protocol: 'http',
    },
    rpc: {
      base: 'rpc_server_call_duration_seconds',
      unit: 's',
      statusLabel: 'rpc_response_status_code',
      protocol: 'rpc',
    },
  },
  legacy: {
    http: { base: 'http_server_duration_milliseconds', unit: 'ms', statusLabel: 'http_status_code', protocol: 'http' },
    rpc: { base: 'rpc_server_duration_milliseconds', unit: 'ms', statusLabel: 'rpc_grpc_status_code', protocol: 'rpc' },
  },
};

/** Labels naming the service and its namespace on app series. */
export interface AppLabels {
  service: AppServiceLabel;
  /** Checked in order; the first non-empty one wins. */
  namespaces: string[];
}

export function appLabels(service: AppServiceLabel): AppLabels {
  return { service, namespaces: service === 'job' ? [] : ['service_namespace', 'k8s_namespace_name'] };
}

/** The workload a mesh series (or an outbound series' destination) belongs to, per the label set given. */
export function workloadOf(
  labels: Record<string, string>,
  schema: Omit<MeshLabels, 'pod'>
): { namespace: string; workload: string; kind?: WorkloadKind } {
  const found = schema.workloads.find((w) => labels[w.label]);
  return {
    namespace: labels[schema.namespace] ?? '',
    workload: found ? labels[found.label] : '',
    kind: found?.kind,
  };
}
