import type { FlagId } from '../constants';

/** One series of an instant query: its labels and its value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Latency quantiles in milliseconds; a missing quantile means no data, never zero. */
export interface LatencyFigures {
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface GrpcCodeShare {
  /** Name such as `UNAVAILABLE`. */
  code: string;
  /** Share of all inbound responses, 0–1. */
  share: number;
}

export interface MeshFigures {
  /** Inbound responses per second. */
  rps: number;
  /** 0–1; undefined when there was no traffic in the window. */
  successRate?: number;
  latency: LatencyFigures;
  /** Share of responses classified as failures while the HTTP status was 200 (gRPC status in the trailers). */
  grpcTrapShare?: number;
  /** The gRPC status codes behind that share, most frequent first. */
  grpcTrapCodes: GrpcCodeShare[];
  /** Share of responses with HTTP status ≥ 500: what an HTTP-only dashboard sees. */
  httpErrorShare?: number;
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

export type Coverage = 'both' | 'mesh-only' | 'app-only';

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
  coverage: Coverage;
  /** App service name when it differs from the mesh workload (join override). */
  appService?: string;
  mesh?: MeshFigures;
  app?: AppFigures;
  /** Mesh p50 − app p50 and mesh p95 − app p95 in ms; negative values are kept. */
  outsideAppP50?: number;
  outsideAppP95?: number;
  flags: Flag[];
}

export function serviceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}
