/**
 * The label sets a Linkerd proxy writes on its legacy families, in the order it writes them. Sources
 * (linkerd2-proxy): `linkerd/app/core/src/metrics.rs` (`InboundEndpointLabels`, `OutboundEndpointLabels`,
 * `ServerLabel`, `RouteLabels`, `RouteAuthzLabels`, `TargetAddr`), `linkerd/app/core/src/transport/labels.rs`
 * (`TlsAccept`, `TlsConnect`, the TCP `Key`s), `linkerd/app/admin/src/stack.rs` (the admin server's labels).
 * Destination labels: linkerd2 `pkg/k8s/labels.go` `GetPodLabels` and `controller/api/destination`, prefixed
 * `dst_` and sorted (linkerd2-proxy `linkerd/proxy/api-resolve/src/metadata.rs`).
 */
import type { WorkloadKind } from '../../src/query/schema';
import type { Labels } from '../series';
import type { ProxyGeneration } from './generations';

/** The application port every generated service listens on. */
export const APP_PORT = 8080;
/** The chart's `proxy.ports.admin`, listening on 0.0.0.0 (`LINKERD2_PROXY_ADMIN_LISTEN_ADDR`, IPv6 off). */
export const ADMIN_ADDR = { ip: '0.0.0.0', port: 4191 };
/** Linkerd's default inbound policy (linkerd2 `policy-controller/k8s/index/src/defaults.rs`). */
export const DEFAULT_POLICY = 'all-unauthenticated';
export const CONTROL_PLANE_NS = 'linkerd';
export const TRUST_DOMAIN = 'cluster.local';

/** `<sa>.<ns>.serviceaccount.identity.<control-plane ns>.<trust domain>` (linkerd2 `_proxy.tpl`). */
export function identity(namespace: string, serviceAccount: string): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${CONTROL_PLANE_NS}.${TRUST_DOMAIN}`;
}

export function serviceAuthority(namespace: string, service: string): string {
  return `${service}.${namespace}.svc.cluster.local:${APP_PORT}`;
}

/** The caller as the accepting proxy sees it: an mTLS identity, or no TLS at all. */
export type TlsAccept = { identity: string } | 'no_tls_from_remote';

function targetAddr(ip: string, port: number): Labels {
  return { target_addr: `${ip}:${port}`, target_ip: ip, target_port: String(port) };
}

function tlsAccept(tls: TlsAccept): Labels {
  return tls === 'no_tls_from_remote'
    ? { tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' }
    : { tls: 'true', client_id: tls.identity };
}

function serverLabels(generation: ProxyGeneration, port: number): Labels {
  const labels: Labels = { srv_group: '', srv_kind: 'default', srv_name: DEFAULT_POLICY };
  if (generation.srvPort) {
    labels.srv_port = String(port);
  }
  return labels;
}

export interface InboundEndpoint {
  ip: string;
  port: number;
  tls: TlsAccept;
  /** The route the request matched: `default`, or `probe` for the kubelet's probes of the admin server. */
  route: 'default' | 'probe';
  /** The `l5d-dst-canonical` / `:authority` of the request, written by proxies before v2.277.0. */
  authority?: string;
}

/** Labels of inbound `request_total`, `response_total` and `response_latency_ms` (before their outcome labels). */
export function inboundLabels(generation: ProxyGeneration, endpoint: InboundEndpoint): Labels {
  const authority: Labels = generation.inboundAuthority && endpoint.authority ? { authority: endpoint.authority } : {};
  const authz = endpoint.route === 'probe' ? 'probe' : DEFAULT_POLICY;
  return {
    direction: 'inbound',
    ...authority,
    ...targetAddr(endpoint.ip, endpoint.port),
    ...tlsAccept(endpoint.tls),
    ...serverLabels(generation, endpoint.port),
    route_group: '',
    route_kind: 'default',
    route_name: endpoint.route,
    authz_group: '',
    authz_kind: 'default',
    authz_name: authz,
  };
}

/** A destination pod as the destination controller describes it. */
export interface DestinationPod {
  namespace: string;
  workload: string;
  kind: WorkloadKind;
  pod: string;
  ip: string;
  podTemplateHash?: string;
  service: string;
  serviceAccount: string;
}

/** The `dst_*` labels, sorted by name as the proxy keeps them. */
export function destinationLabels(generation: ProxyGeneration, pod: DestinationPod): Labels {
  const labels: Labels = {
    control_plane_ns: CONTROL_PLANE_NS,
    [pod.kind === 'job' ? 'k8s_job' : pod.kind]: pod.workload,
    namespace: pod.namespace,
    pod: pod.pod,
    service: pod.service,
    serviceaccount: pod.serviceAccount,
  };
  if (pod.podTemplateHash) {
    labels.pod_template_hash = pod.podTemplateHash;
  }
  if (generation.dstZone) {
    labels.zone = '';
    labels.zone_locality = 'unknown';
  }
  return Object.fromEntries(
    Object.keys(labels)
      .sort()
      .map((name) => [`dst_${name}`, labels[name]])
  );
}

/** Labels of outbound HTTP series towards one destination pod. */
export function outboundLabels(generation: ProxyGeneration, pod: DestinationPod): Labels {
  return {
    direction: 'outbound',
    authority: serviceAuthority(pod.namespace, pod.service),
    ...targetAddr(pod.ip, APP_PORT),
    tls: 'true',
    server_id: identity(pod.namespace, pod.serviceAccount),
    ...destinationLabels(generation, pod),
  };
}

/** Inbound TCP, the caller's side of the connection (`peer="src"`): no route or authorization labels. */
export function inboundTcpLabels(generation: ProxyGeneration, ip: string, port: number, tls: TlsAccept): Labels {
  return {
    direction: 'inbound',
    peer: 'src',
    ...targetAddr(ip, port),
    ...tlsAccept(tls),
    ...serverLabels(generation, port),
  };
}

/** Inbound TCP, the proxy's loopback connection to the app (`peer="dst"`): one series for every port. */
export const INBOUND_TCP_TO_APP: Labels = {
  direction: 'inbound',
  peer: 'dst',
  tls: 'no_identity',
  no_tls_reason: 'loopback',
};

/** Outbound TCP, the app's loopback connection to its proxy (`peer="src"`). */
export function outboundTcpFromAppLabels(ip: string): Labels {
  return {
    direction: 'outbound',
    peer: 'src',
    ...targetAddr(ip, APP_PORT),
    tls: 'no_identity',
    no_tls_reason: 'loopback',
  };
}

/** Outbound TCP, the proxy's connection to the destination pod (`peer="dst"`): the whole endpoint label set. */
export function outboundTcpLabels(generation: ProxyGeneration, pod: DestinationPod): Labels {
  const { direction, ...rest } = outboundLabels(generation, pod);
  return { direction, peer: 'dst', ...rest };
}

/** The Service a caller's outbound route metrics name as their parent. */
export function outboundRouteLabels(namespace: string, service: string, grpcRoute: boolean): Labels {
  return {
    parent_group: 'core',
    parent_kind: 'Service',
    parent_namespace: namespace,
    parent_name: service,
    parent_port: String(APP_PORT),
    parent_section_name: '',
    // Without a GRPCRoute or HTTPRoute the policy controller serves the default route `http`
    // (linkerd2 `policy-controller/grpc/src/outbound/http.rs`, `Kind::Default("http")`).
    route_group: grpcRoute ? 'gateway.networking.k8s.io' : '',
    route_kind: grpcRoute ? 'GRPCRoute' : 'default',
    route_namespace: grpcRoute ? namespace : '',
    route_name: grpcRoute ? service : 'http',
    hostname: '',
  };
}

/** The inbound route labels of the 2.20 families (`linkerd/app/inbound/src/http/router/metrics/labels.rs`). */
export function inboundRouteLabels(grpcRoute: boolean, name: string): Labels {
  return {
    parent_group: '',
    parent_kind: 'default',
    parent_name: DEFAULT_POLICY,
    parent_port: String(APP_PORT),
    route_group: grpcRoute ? 'gateway.networking.k8s.io' : '',
    route_kind: grpcRoute ? 'GRPCRoute' : 'default',
    route_name: grpcRoute ? name : 'default',
  };
}
