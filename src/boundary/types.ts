import type { FlagId } from '../constants';
import type { WorkloadKind } from '../query/schema';
import type { Bounds } from './buckets';

/** Latency figures in milliseconds; a missing figure means no data, never zero. */
export interface LatencyFigures {
  p50?: number;
  p95?: number;
  p99?: number;
  /** From the histogram's `_sum` / `_count`: exact, where quantiles are interpolated inside a bucket. */
  mean?: number;
  /** The bucket the p95 estimate came from: where the true p95 lies. */
  p95Bounds?: Bounds;
}

export interface GrpcCodeShare {
  /** Name such as `UNAVAILABLE`. */
  code: string;
  /** Share of all responses, 0–1. */
  share: number;
}

/**
 * Where the gRPC trap was seen:
 * - `callee`: the service's own proxy recorded a failing `grpc-status` behind HTTP 200 (current proxies);
 * - `callers`: only the callers' proxies did, because the service's proxy records inbound gRPC as plain HTTP
 *   (Linkerd stable-2.13.x and 2.14.0–2.14.3, fixed by linkerd2-proxy "inbound: Fix gRPC response classification").
 */
export type TrapEvidence = 'callee' | 'callers';

/** The outcome of a set of responses, as one proxy side counted them. */
export interface OutcomeFigures {
  /** Responses per second. */
  rps: number;
  /** 0–1; undefined when there was no traffic in the window. */
  successRate?: number;
  /** Share of responses whose `grpc-status` is a configured failure while the HTTP status was 200. */
  grpcTrapShare?: number;
  /** The gRPC status codes behind that share, most frequent first. */
  grpcTrapCodes: GrpcCodeShare[];
  /** Share of responses with HTTP status ≥ 500: what an HTTP-only dashboard sees. */
  httpErrorShare?: number;
  /** Share of responses that carried a gRPC status at all. */
  grpcShare?: number;
}

export interface MeshFigures extends OutcomeFigures {
  latency: LatencyFigures;
  /** The trap as the evidence says, with where the evidence came from. */
  trapEvidence?: TrapEvidence;
  /**
   * The callers' proxies' view of the same traffic (outbound series naming this workload): meshed callers only,
   * but classified even where the callee's proxy was not.
   */
  callers?: OutcomeFigures;
}

export type AppProtocol = 'http' | 'rpc';

export interface AppFigures {
  rps: number;
  successRate?: number;
  latency: LatencyFigures;
  protocols: AppProtocol[];
  /** Share of HTTP responses with status ≥ 500, when the app reports HTTP. */
  httpErrorShare?: number;
}

/** Which layers see the service; `unknown` while a layer failed to load. */
/**
 * Time spent outside the app (mesh − app, ms; negative values are kept). The mean is exact (both layers' `_sum` /
 * `_count`, the mesh's in whole milliseconds rounded down per request); quantile differences are estimates, with
 * the range their buckets allow.
 */
export interface OutsideApp {
  mean?: number;
  p50?: number;
  p95?: number;
  p95Bounds?: Bounds;
}

export type Coverage = 'both' | 'mesh-only' | 'app-only' | 'unknown';

export interface Flag {
  id: FlagId;
  /** One sentence with the numbers behind the flag, for tooltips and the drill-down. */
  summary: string;
}

export interface ServiceRow {
  /** `namespace/service` */
  key: string;
  namespace: string;
  service: string;
  /** The workload's kind, where the mesh names it. */
  kind?: WorkloadKind;
  coverage: Coverage;
  /** App service name when it differs from the mesh workload (join override). */
  appService?: string;
  mesh?: MeshFigures;
  app?: AppFigures;
  outsideApp: OutsideApp;
  flags: Flag[];
}

export function serviceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}
