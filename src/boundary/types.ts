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

/** Where a flag fired: over the whole range, or over its most recent part (RECENT_WINDOW_SECONDS). */
export type FlagWindow = 'range' | 'recent';

export interface Flag {
  id: FlagId;
  /** One sentence with the numbers behind the flag, for tooltips and the drill-down. */
  summary: string;
  /** The windows it fired in, when the recent one was looked at too. */
  windows?: FlagWindow[];
  /** A coverage flag only the recent window shows: the coverage found there (the row's own is the range's). */
  coverage?: Coverage;
}

/**
 * The latest stretch of query steps in which a flag's condition held: `since` its first step (epoch ms), or from the
 * range's first step on (`all-along`); `untilMs` is the first step it no longer held, when that came before the
 * range's end. `no-step`: the condition held over a window but at no single step.
 */
export type FlagOnset =
  | { state: 'since'; sinceMs: number; untilMs?: number }
  | { state: 'all-along'; untilMs?: number }
  | { state: 'no-step' };

/** The figure a trend shows: the one behind the row's worst flag. */
export type TrendFigure =
  'grpc-trap-share' | 'outside-app-mean' | 'success-gap' | 'rate-factor' | 'mesh-rps' | 'app-rps';

/** A row over the range, step by step. */
export interface RowTimeline {
  /** The row's worst flag, whose figure the trend shows. */
  flag: FlagId;
  figure: TrendFigure;
  /** `[epoch ms, value]` per step; undefined where the figure had no data at that step. */
  points: Array<[number, number | undefined]>;
  onsets: Partial<Record<FlagId, FlagOnset>>;
}

/** The figures of a row in the window compared with (the same range, earlier); `no-data` where it had none there. */
export type Baseline =
  { state: 'data'; mesh?: MeshFigures; app?: AppFigures; outsideApp: OutsideApp } | { state: 'no-data' };

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
  /** Onsets and trend, once the timeline of the flagged rows has loaded. */
  timeline?: RowTimeline;
  /** Present while a comparison with an earlier window is on. */
  baseline?: Baseline;
}

export function serviceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}
