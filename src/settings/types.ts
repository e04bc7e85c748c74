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

/** Maps an app's service name onto the mesh workload it runs as, when the names differ. */
export interface JoinOverride {
  appService: string;
  namespace: string;
  workload: string;
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
  semconv: SemconvVersion;
  appServiceLabel: AppServiceLabel;
  joinOverrides: JoinOverride[];
  thresholds: Thresholds;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  grpcTrapPercent: 1,
  boundaryLatencyMs: 50,
  boundaryLatencyPercent: 25,
  disagreementPoints: 2,
  disagreementRateFactor: 1.5,
};

export const DEFAULT_SETTINGS: AppSettings = {
  labelSchema: 'otel',
  semconv: 'stable',
  appServiceLabel: 'service_name',
  joinOverrides: [],
  thresholds: DEFAULT_THRESHOLDS,
};
