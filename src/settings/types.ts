/** How mesh series identify their workload (DESIGN §1). */
export type LabelSchema = 'otel' | 'linkerd';

/**
 * Which OpenTelemetry semantic conventions the apps export.
 * - `stable`: `http_server_request_duration_seconds` and `rpc_server_call_duration_seconds` (seconds).
 * - `legacy`: `http_server_duration_milliseconds` and `rpc_server_duration_milliseconds` (milliseconds).
 */
export type SemconvVersion = 'stable' | 'legacy';

/** Label that names the service on app series: `service_name`, or `job` holding `namespace/name`. */
export type AppServiceLabel = 'service_name' | 'job';

export type TracesDatasourceType = 'tempo' | 'jaeger';

/**
 * Which series the overview reads: `auto` the recording rules' per-workload rates where the store has them for
 * the time range (docs/rules.md), else the raw series; `raw` and `recorded` force either.
 */
export type RecordedSeriesMode = 'auto' | 'raw' | 'recorded';

export const RECORDED_SERIES_MODES: RecordedSeriesMode[] = ['auto', 'raw', 'recorded'];

/** Maps an app's service name onto the mesh workload it runs as, when the names differ. */
export interface JoinOverride {
  appService: string;
  namespace: string;
  workload: string;
}

/**
 * The label that tells mesh series apart from everything else in the store: `layer="mesh"` where the
 * Collector pipeline sets it, `job="linkerd-proxy"` on Linkerd's own Prometheus (the scrape job of
 * linkerd-viz's prometheus.yaml). An empty label means the families' names alone identify the mesh.
 */
export interface MeshSelector {
  label: string;
  value: string;
}

export interface Thresholds {
  /** gRPC trap: share of responses failing with HTTP 200, in percent. */
  grpcTrapPercent: number;
  /** Boundary latency: time outside the app (p95) above this many milliseconds… */
  boundaryLatencyMs: number;
  /** …and above this percentage of the app's p95. */
  boundaryLatencyPercent: number;
  /** Layer disagreement: success rates differ by more than this many percentage points… */
  disagreementPoints: number;
  /** …or request rates differ by more than this factor. */
  disagreementRateFactor: number;
}

/** The app's settings, saved in the plugin's `jsonData`. */
export interface AppSettings {
  metricsDatasourceUid?: string;
  tracesDatasourceUid?: string;
  tracesDatasourceType?: TracesDatasourceType;
  labelSchema: LabelSchema;
  meshSelector: MeshSelector;
  semconv: SemconvVersion;
  appServiceLabel: AppServiceLabel;
  joinOverrides: JoinOverride[];
  /** gRPC status codes counted as failures, in both layers. */
  grpcFailureCodes: number[];
  thresholds: Thresholds;
  recordedSeries: RecordedSeriesMode;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  grpcTrapPercent: 1,
  boundaryLatencyMs: 50,
  boundaryLatencyPercent: 25,
  disagreementPoints: 2,
  disagreementRateFactor: 1.5,
};

/**
 * Linkerd's default gRPC failure codes (linkerd2-proxy `linkerd/proxy/client-policy/src/grpc.rs`, `impl Default
 * for Codes`): UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED, INTERNAL, UNAVAILABLE, DATA_LOSS. Every other code,
 * NOT_FOUND and RESOURCE_EXHAUSTED included, is a success to the proxy.
 */
export const LINKERD_GRPC_FAILURE_CODES = [2, 4, 7, 13, 14, 15];

export const DEFAULT_MESH_SELECTORS: Record<LabelSchema, MeshSelector> = {
  otel: { label: 'layer', value: 'mesh' },
  linkerd: { label: 'job', value: 'linkerd-proxy' },
};

export const DEFAULT_SETTINGS: AppSettings = {
  labelSchema: 'otel',
  meshSelector: DEFAULT_MESH_SELECTORS.otel,
  semconv: 'stable',
  appServiceLabel: 'service_name',
  joinOverrides: [],
  grpcFailureCodes: LINKERD_GRPC_FAILURE_CODES,
  thresholds: DEFAULT_THRESHOLDS,
  recordedSeries: 'auto',
};
