/**
 * Names of the recorded series, in Prometheus' `level:metric:operations` convention
 * (https://prometheus.io/docs/practices/rules/) with a `meshlens:` prefix. The level says which labels are kept.
 * Here, below the rules (src/rules), because the overview's recorded path (recordedQueries.ts) reads them too.
 */
import type { AppSettings } from '../settings/types';
import type { OverviewRateSources } from './ruleQueries';
import { APP_FAMILIES } from './schema';

/** Rate window of the shipped recorded series: 1m, four scrapes at Linkerd Viz's and the Collector's 15 s. */
export const RECORDED_RATE_WINDOW_SECONDS = 60;
/** How often the shipped rule groups evaluate. */
export const RECORDED_EVALUATION_SECONDS = 30;

/** A Prometheus duration in the largest whole unit: 60 → `1m`, 21600 → `6h`, 90 → `90s`, 0 → `0s`. */
export function durationText(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  if (seconds > 0 && seconds % 60 === 0) {
    return `${seconds / 60}m`;
  }
  return `${seconds}s`;
}

export const RECORDED_PREFIX = 'meshlens';

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
    meshResponses: `${RECORDED_PREFIX}:workload_outcome:response_total:${op}`,
    meshAdmin: `${RECORDED_PREFIX}:workload_admin:response_total:${op}`,
    meshLatencyBucket: `${RECORDED_PREFIX}:workload:response_latency_ms_bucket:${op}`,
    meshLatencySum: `${RECORDED_PREFIX}:workload:response_latency_ms_sum:${op}`,
    meshLatencyCount: `${RECORDED_PREFIX}:workload:response_latency_ms_count:${op}`,
    meshCallers: `${RECORDED_PREFIX}:dst_workload_outcome:response_total:${op}`,
    appRequests: `${RECORDED_PREFIX}:service_status:${app}_count:${op}`,
    appLatencyBucket: `${RECORDED_PREFIX}:service:${app}_bucket:${op}`,
    appLatencySum: `${RECORDED_PREFIX}:service:${app}_sum:${op}`,
    appLatencyCount: `${RECORDED_PREFIX}:service:${app}_count:${op}`,
  };
}

/**
 * One series, 1 at each evaluation of the rates group: counted over a window, the number of evaluations it holds
 * (every rule of a group shares its evaluation times), which turns a sum of recorded rates into their mean.
 */
export const RATES_EVALUATION = `${RECORDED_PREFIX}:group:rates:evaluation`;
