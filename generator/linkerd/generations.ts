/**
 * The Linkerd proxy releases the generator imitates, and what each writes differently. Every switch names the
 * linkerd2-proxy change that set it (tags from `git tag --contains`; Linkerd releases from linkerd2's
 * `.proxy-version` at each release tag). docs/scenarios.md lists every imitated behaviour with its source.
 */
export interface ProxyGeneration {
  /** Linkerd release. */
  linkerd: string;
  /** linkerd2-proxy release. */
  proxy: string;
  /**
   * Whether the inbound proxy classifies gRPC responses by `grpc-status`. Proxies v2.194.0 to v2.211.0 (and
   * v2.210.0–v2.210.2) fell back to HTTP classification for inbound requests that no ServiceProfile route
   * matched (regression in ecaaf39b4 "Configure response classifiers from ClientPolicy routes", fixed by
   * cbf226e8e "inbound: Fix gRPC response classification"): `classification="success",grpc_status=""` for a
   * failed call (`linkerd/app/core/src/metrics.rs`, `Class::Http`). Outbound was classified all along. The same
   * fix gave the control-plane client (`control_response_total`) its gRPC classifier.
   */
  inboundGrpcClassified: boolean;
  /**
   * Whether `grpc_status` is written as tonic 0.8's English description ("Unknown error") instead of its number:
   * v2.194.0 to v2.210.0 (ecaaf39b4), until 54979bc5d "Render grpc_status metric label as number".
   */
  grpcStatusText: boolean;
  /** Inbound `authority` label, removed by 3ab83ed3f "remove authority label on inbound metrics" (v2.277.0). */
  inboundAuthority: boolean;
  /** `srv_port` in the server labels, from fc928b637 (v2.286.0). */
  srvPort: boolean;
  /** `dst_zone` (linkerd2 5e558ae3e, edge-23.12.3) and `dst_zone_locality` (958cfca66, edge-24.10.3). */
  dstZone: boolean;
  /**
   * `outbound_{http,grpc}_route_*` (prometheus-client) families: request statuses and durations from 7c99d1592
   * "Add response metrics to policy router" (v2.242.0, Linkerd 2.16).
   */
  outboundRouteFamilies: boolean;
  /**
   * `inbound_{http,grpc}_statuses_total` (1c0ca4009, v2.337.0), `…_request_duration_seconds` (5fac714db,
   * v2.342.0), `…_requests_total` (3ff37938c, v2.319.0): Linkerd 2.20.
   */
  inboundRouteFamilies: boolean;
}

export const PROXY_GENERATIONS = {
  '2.20': {
    linkerd: 'version-2.20',
    proxy: 'v2.359.0',
    inboundGrpcClassified: true,
    grpcStatusText: false,
    inboundAuthority: false,
    srvPort: true,
    dstZone: true,
    outboundRouteFamilies: true,
    inboundRouteFamilies: true,
  },
  '2.14.1': {
    linkerd: 'stable-2.14.1',
    proxy: 'v2.210.0',
    inboundGrpcClassified: false,
    grpcStatusText: true,
    inboundAuthority: true,
    srvPort: false,
    dstZone: false,
    outboundRouteFamilies: false,
    inboundRouteFamilies: false,
  },
} satisfies Record<string, ProxyGeneration>;

export type ProxyGenerationId = keyof typeof PROXY_GENERATIONS;

export function proxyGeneration(id: ProxyGenerationId): ProxyGeneration {
  return PROXY_GENERATIONS[id];
}
