/**
 * What happens to a request at a Linkerd proxy, and how the proxy writes it down in `response_total`.
 *
 * Sources (linkerd2-proxy): classification `linkerd/app/core/src/classify.rs` and
 * `linkerd/proxy/client-policy/src/{http,grpc}.rs` (HTTP 5xx; gRPC UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED,
 * INTERNAL, UNAVAILABLE, DATA_LOSS); labels `linkerd/app/core/src/metrics.rs` (`Class::Http` writes
 * `grpc_status=""`, `Class::Grpc` the code); synthesized errors `linkerd/app/core/src/errors/respond.rs`
 * (`bad_gateway`: HTTP 502, or HTTP 200 with `grpc-status: 14` for gRPC requests).
 */
import { LINKERD_GRPC_FAILURE_CODES } from '../../src/settings/types';
import { TONIC_DESCRIPTIONS } from '../../src/query/grpcStatus';
import type { Latency } from '../distribution';
import type { Labels } from '../series';
import type { ProxyGeneration } from './generations';

export type Protocol = 'http' | 'grpc';

/** Who answered: the app, or a proxy that could not reach the next hop (the app never sees those requests). */
export type MadeBy = 'app' | 'callee-proxy' | 'caller-proxy';

export interface Outcome {
  /** Share of the requests it applies to, 0–1. */
  share: number;
  /** The HTTP status on the wire: always 200 for gRPC, whose result is the `grpc-status`. */
  httpStatus: number;
  /** gRPC calls: the `grpc-status` code. */
  grpcCode?: number;
  madeBy: MadeBy;
  /** Latency as the proxy recording the outcome measures it. */
  latency: Latency;
}

/** A refused connection answers within a millisecond or two. */
export const CONNECT_FAILURE_LATENCY: Latency = { medianMs: 0.6, p95Ms: 2, shiftMs: 0 };

const UNAVAILABLE = 14;
const LINKERD_FAILURES = new Set(LINKERD_GRPC_FAILURE_CODES);

/** The proxy's own answer when it cannot reach the next hop (`SyntheticHttpResponse::bad_gateway`). */
export function connectFailure(protocol: Protocol, share: number, madeBy: MadeBy): Outcome {
  return protocol === 'grpc'
    ? { share, httpStatus: 200, grpcCode: UNAVAILABLE, madeBy, latency: CONNECT_FAILURE_LATENCY }
    : { share, httpStatus: 502, madeBy, latency: CONNECT_FAILURE_LATENCY };
}

/** Linkerd's default classification of an outcome, when the proxy classifies gRPC. */
export function linkerdFails(outcome: Outcome): boolean {
  return outcome.grpcCode !== undefined ? LINKERD_FAILURES.has(outcome.grpcCode) : outcome.httpStatus >= 500;
}

/**
 * `status_code`, `classification`, `grpc_status` and `error` as a proxy of this generation writes them. An inbound
 * proxy that does not classify gRPC (v2.194–v2.211) writes a gRPC response as plain HTTP: success, no status.
 */
export function outcomeLabels(outcome: Outcome, side: 'inbound' | 'outbound', generation: ProxyGeneration): Labels {
  const classified = outcome.grpcCode !== undefined && (side === 'outbound' || generation.inboundGrpcClassified);
  const failed = classified ? linkerdFails(outcome) : outcome.httpStatus >= 500;
  let grpcStatus = '';
  if (classified && outcome.grpcCode !== undefined) {
    grpcStatus = generation.grpcStatusText ? TONIC_DESCRIPTIONS[outcome.grpcCode] : String(outcome.grpcCode);
  }
  return {
    status_code: String(outcome.httpStatus),
    classification: failed ? 'failure' : 'success',
    grpc_status: grpcStatus,
    error: '',
  };
}
