/**
 * Names of the recorded series, in Prometheus' `level:metric:operations` convention
 * (https://prometheus.io/docs/practices/rules/) with a `meshlens:` prefix. The level says which labels are kept.
 */
import type { OverviewRateSources } from '../query/ruleQueries';
import type { AppSettings } from '../settings/types';
import { APP_FAMILIES } from '../query/schema';
import { durationText } from './options';

const PREFIX = 'meshlens';

/** The app's server-duration histograms of both families (HTTP and RPC), named by the conventions' unit. */
function appBase(settings: AppSettings): string {
  return APP_FAMILIES[settings.semconv].http.unit === 's'
    ? 'app_server_duration_seconds'
    : 'app_server_duration_milliseconds';
}

/** The recorded per-workload rates: one per source of the overview's queries. */
export function recordedNames(
  settings: AppSettings,
  rateWindowSeconds: number
): Record<keyof OverviewRateSources, string> {
  const op = `rate${durationText(rateWindowSeconds)}`;
  const app = appBase(settings);
  return {
    meshResponses: `${PREFIX}:workload_outcome:response_total:${op}`,
    meshAdmin: `${PREFIX}:workload_admin:response_total:${op}`,
    meshLatencyBucket: `${PREFIX}:workload:response_latency_ms_bucket:${op}`,
    meshLatencySum: `${PREFIX}:workload:response_latency_ms_sum:${op}`,
    meshLatencyCount: `${PREFIX}:workload:response_latency_ms_count:${op}`,
    meshCallers: `${PREFIX}:dst_workload_outcome:response_total:${op}`,
    appRequests: `${PREFIX}:service_status:${app}_count:${op}`,
    appLatencyBucket: `${PREFIX}:service:${app}_bucket:${op}`,
    appLatencySum: `${PREFIX}:service:${app}_sum:${op}`,
    appLatencyCount: `${PREFIX}:service:${app}_count:${op}`,
  };
}

/**
 * One series, 1 at each evaluation of the rates group: counted over a window, the number of evaluations it holds
 * (every rule of a group shares its evaluation times), which turns a sum of recorded rates into their mean.
 */
export const RATES_EVALUATION = `${PREFIX}:group:rates:evaluation`;

/** The per-workload signals the alerts compare, over a window. */
export type SignalKey =
  | 'meshRequests'
  | 'meshErrors'
  | 'meshGrpcTrap'
  | 'meshGrpc'
  | 'meshHttpErrors'
  | 'callersGrpcTrap'
  | 'meshLatencyP95'
  | 'meshLatencyMean'
  | 'appRequests'
  | 'appErrors'
  | 'appHttpErrors'
  | 'appLatencyP95'
  | 'appLatencyMean'
  | 'meshPresence'
  | 'appPresence';

const SIGNALS: Record<SignalKey, [metric: string, operation: 'rate' | 'ratio_rate' | 'p95_rate' | 'mean_rate']> = {
  meshPresence: ['mesh_presence', 'rate'],
  appPresence: ['app_presence', 'rate'],
  meshRequests: ['mesh_requests', 'rate'],
  meshErrors: ['mesh_errors', 'ratio_rate'],
  meshGrpcTrap: ['mesh_grpc_trap', 'ratio_rate'],
  meshGrpc: ['mesh_grpc', 'ratio_rate'],
  meshHttpErrors: ['mesh_http_errors', 'ratio_rate'],
  callersGrpcTrap: ['callers_grpc_trap', 'ratio_rate'],
  meshLatencyP95: ['mesh_latency_ms', 'p95_rate'],
  meshLatencyMean: ['mesh_latency_ms', 'mean_rate'],
  appRequests: ['app_requests', 'rate'],
  appErrors: ['app_errors', 'ratio_rate'],
  appHttpErrors: ['app_http_errors', 'ratio_rate'],
  appLatencyP95: ['app_latency_ms', 'p95_rate'],
  appLatencyMean: ['app_latency_ms', 'mean_rate'],
};

/** e.g. `meshlens:workload:mesh_errors:ratio_rate5m`. */
export function signalName(key: SignalKey, windowSeconds: number): string {
  const [metric, operation] = SIGNALS[key];
  return `${PREFIX}:workload:${metric}:${operation}${durationText(windowSeconds)}`;
}
