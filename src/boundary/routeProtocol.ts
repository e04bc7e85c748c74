/**
 * gRPC traffic that Linkerd's route metrics record as HTTP. Without a GRPCRoute (outbound) or a `Server` with
 * `proxyProtocol: gRPC` (inbound), a gRPC call is recorded on an HTTP route that reads `:status` alone
 * (linkerd2-proxy `linkerd/http/prom/src/stream_label/status.rs`): a failed call counts as `http_status="200"`
 * and `linkerd viz stat-outbound` shows it as a success, the gRPC trap inside Linkerd's own newer metrics.
 */
import type { RouteProtocolRefId } from '../query/serviceQueries';
import type { Sample } from '../query/sample';
import type { ServiceRow } from './types';

export interface HttpRoutedGrpc {
  /** Services whose calls the callers' proxies record on HTTP routes. */
  outboundServices: string[];
  /** The workload's own proxy records its requests on an HTTP route. */
  inbound: boolean;
}

/** The service speaks gRPC: a layer saw gRPC statuses, or the app reports RPC. */
export function speaksGrpc(row: ServiceRow): boolean {
  return !!row.mesh?.grpcShare || !!row.mesh?.callers?.grpcShare || !!row.app?.protocols.includes('rpc');
}

/** Where a gRPC service's calls land on HTTP routes; undefined when it is not gRPC or nothing does. */
export function httpRoutedGrpc(
  row: ServiceRow,
  results: Record<RouteProtocolRefId, Sample[]>
): HttpRoutedGrpc | undefined {
  if (!speaksGrpc(row)) {
    return undefined;
  }
  const busy = (s: Sample) => Number.isFinite(s.value) && s.value > 0;
  const services = new Set(
    results.serviceNames
      .filter(busy)
      .map((s) => s.labels.dst_service)
      .filter(Boolean)
  );
  const outboundServices = [
    ...new Set(
      results.outboundHttpRoutes
        .filter(busy)
        .map((s) => s.labels.parent_name)
        .filter((name) => services.has(name))
    ),
  ].sort();
  const inbound = results.inboundHttpRoutes.some(busy);
  return outboundServices.length > 0 || inbound ? { outboundServices, inbound } : undefined;
}
