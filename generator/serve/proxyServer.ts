import { createServer, type Server } from 'node:http';
import { proxyEndpoints, proxyMetricsText, type ProxyEndpoint } from '../generate';
import { nodeName, type PodTarget } from '../series';
import type { Scenario, WorkloadKind } from '../scenario';
import type { LabelSchema, SemconvVersion } from '../../src/settings/types';
import { CONTROL_PLANE_NS } from '../linkerd/labels';
import { podLabels } from '../worlds';

export interface ProxyServer {
  server: Server;
  port: number;
  endpoints: ProxyEndpoint[];
  /** Unix ms at which every counter was 0. */
  startedAtMs: number;
  /** Prometheus file_sd entries: one target per fake pod, with the labels Kubernetes discovery would give. */
  fileSd(): Array<{ targets: string[]; labels: Record<string, string> }>;
  close(): Promise<void>;
}

export interface ProxyServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Interface to listen on: 0.0.0.0 in a container, loopback otherwise. */
  bindHost?: string;
  /** The host a scraper reaches this server by, written into the file_sd targets. */
  advertisedHost?: string;
  /** Unix ms at which every counter was 0. */
  startedAtMs?: number;
  /** Served at `/truth`: what Mesh Lens must show for this scenario. */
  truth?: unknown;
  /** Who scrapes the proxies: the Collector (default) or linkerd-viz's Prometheus. */
  world?: LabelSchema;
  /** Unix ms from which the scenario's changes are placed back (`minutesBeforeEnd`). */
  endMs?: number;
}

/** The controller that owns a pod of each workload kind, as pod discovery reports it. */
const CONTROLLER_KIND: Record<WorkloadKind, string> = {
  deployment: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  job: 'Job',
  cronjob: 'Job',
  replicationcontroller: 'ReplicationController',
};

/**
 * The `__meta_kubernetes_*` labels Prometheus' Kubernetes pod discovery gives the proxy container's admin port
 * (Prometheus `discovery/kubernetes/pod.go`), with the labels Linkerd's injector puts on a meshed pod
 * (linkerd2 `pkg/inject/inject.go`: `linkerd.io/proxy-<kind>`, `linkerd.io/workload-ns`, and
 * `linkerd.io/control-plane-ns`).
 */
export function podDiscoveryLabels(target: PodTarget): Record<string, string> {
  const ownerName = target.kind === 'deployment' ? `${target.workload}-${target.podTemplateHash}` : target.workload;
  const labels: Record<string, string> = {
    __meta_kubernetes_namespace: target.namespace,
    __meta_kubernetes_pod_name: target.pod,
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_container_name: 'linkerd-proxy',
    __meta_kubernetes_pod_container_port_name: 'linkerd-admin',
    __meta_kubernetes_pod_ip: target.ip,
    __meta_kubernetes_pod_node_name: nodeName(target),
    __meta_kubernetes_pod_controller_kind: CONTROLLER_KIND[target.kind],
    __meta_kubernetes_pod_controller_name: ownerName,
    [`__meta_kubernetes_pod_label_linkerd_io_proxy_${target.kind}`]: target.workload,
    __meta_kubernetes_pod_label_linkerd_io_control_plane_ns: CONTROL_PLANE_NS,
    __meta_kubernetes_pod_label_linkerd_io_workload_ns: target.namespace,
  };
  for (const [name, value] of Object.entries(podLabels(target))) {
    labels[`__meta_kubernetes_pod_label_${name}`] = value;
  }
  return labels;
}

/**
 * Serves one Linkerd-format `/metrics` per fake proxy at `/proxies/<namespace>/<pod>/metrics`, values
 * growing in real time from `startedAtMs`.
 */
export async function startProxyServer(
  scenario: Scenario,
  semconv: SemconvVersion,
  options: ProxyServerOptions = {}
): Promise<ProxyServer> {
  const { port = 0, bindHost = '127.0.0.1', advertisedHost = '127.0.0.1', startedAtMs = Date.now() } = options;
  const endpoints = proxyEndpoints(scenario, semconv, options.world ?? 'otel', options.endMs);
  const byPath = new Map(endpoints.map((e) => [`/proxies/${e.target.namespace}/${e.target.pod}/metrics`, e]));
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/truth' && options.truth !== undefined) {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(options.truth, null, 2));
      return;
    }
    const endpoint = byPath.get(path);
    if (!endpoint) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such proxy\n');
      return;
    }
    const body = proxyMetricsText(endpoint, Date.now(), startedAtMs);
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindHost, resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    endpoints,
    startedAtMs,
    fileSd: () =>
      endpoints.map((e) => ({
        targets: [`${advertisedHost}:${actualPort}`],
        labels: {
          __metrics_path__: `/proxies/${e.target.namespace}/${e.target.pod}/metrics`,
          ...podDiscoveryLabels(e.target),
        },
      })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
