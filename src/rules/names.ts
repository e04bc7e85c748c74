/**
 * Names of the recorded series, in Prometheus' `level:metric:operations` convention
 * (https://prometheus.io/docs/practices/rules/) with a `meshlens:` prefix. The level says which labels are kept.
 */
import { durationText, RECORDED_PREFIX } from '../query/recordedNames';

export { RATES_EVALUATION, recordedNames } from '../query/recordedNames';

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
  return `${RECORDED_PREFIX}:workload:${metric}:${operation}${durationText(windowSeconds)}`;
}
