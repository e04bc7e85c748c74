import type { AppServiceLabel, LabelSchema, SemconvVersion } from '../settings/types';
import { eq, matcher, type LabelMatcher } from './promql';

/** Labels that identify the workload of a mesh series, per label schema (DESIGN §1). */
export interface MeshLabels {
  namespace: string;
  /** Deployment, statefulset and daemonset labels: a workload sets exactly one of them. */
  workloads: string[];
  pod: string;
}

export const MESH_LABELS: Record<LabelSchema, MeshLabels> = {
  otel: {
    namespace: 'k8s_namespace_name',
    workloads: ['k8s_deployment_name', 'k8s_statefulset_name', 'k8s_daemonset_name'],
    pod: 'k8s_pod_name',
  },
  linkerd: {
    namespace: 'namespace',
    workloads: ['deployment', 'statefulset', 'daemonset'],
    pod: 'pod',
  },
};

export const MESH_FAMILIES = {
  requests: 'request_total',
  responses: 'response_total',
  latencyBucket: 'response_latency_ms_bucket',
  tcpOpenTotal: 'tcp_open_total',
  tcpOpenConnections: 'tcp_open_connections',
  tcpReadBytes: 'tcp_read_bytes_total',
  tcpWriteBytes: 'tcp_write_bytes_total',
  tcpCloseTotal: 'tcp_close_total',
} as const;

/** Every mesh series carries `layer="mesh"`; app series never do. */
export const MESH_LAYER: LabelMatcher = eq('layer', 'mesh');
export const APP_LAYER: LabelMatcher = matcher('layer', '!=', 'mesh');
export const INBOUND: LabelMatcher = eq('direction', 'inbound');

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
