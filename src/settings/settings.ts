import { DEFAULT_SETTINGS, DEFAULT_THRESHOLDS, type AppSettings, type JoinOverride, type Thresholds } from './types';

/** Reads the saved `jsonData` (possibly empty or from an older version) into complete settings. */
export function resolveSettings(jsonData: Partial<AppSettings> | undefined | null): AppSettings {
  const data = jsonData ?? {};
  return {
    ...DEFAULT_SETTINGS,
    ...data,
    labelSchema: data.labelSchema === 'linkerd' ? 'linkerd' : 'otel',
    semconv: data.semconv === 'legacy' ? 'legacy' : 'stable',
    appServiceLabel: data.appServiceLabel === 'job' ? 'job' : 'service_name',
    joinOverrides: Array.isArray(data.joinOverrides) ? data.joinOverrides : [],
    thresholds: resolveThresholds(data.thresholds),
  };
}

function resolveThresholds(saved: Partial<Thresholds> | undefined): Thresholds {
  const result: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>) {
    const value = saved?.[key];
    if (typeof value === 'number' && validateThreshold(key, String(value)) === undefined) {
      result[key] = value;
    }
  }
  return result;
}

export function isConfigured(settings: AppSettings): boolean {
  return Boolean(settings.metricsDatasourceUid);
}

interface ThresholdRule {
  label: string;
  /** Percentages cannot exceed 100. */
  percent: boolean;
  /** Factors compare two rates and must be at least 1. */
  factor: boolean;
}

export const THRESHOLD_RULES: Record<keyof Thresholds, ThresholdRule> = {
  grpcTrapPercent: { label: 'gRPC trap share (%)', percent: true, factor: false },
  boundaryLatencyMs: { label: 'Boundary latency (ms)', percent: false, factor: false },
  boundaryLatencyPercent: { label: 'Boundary latency (% of app p95)', percent: true, factor: false },
  disagreementPoints: { label: 'Success-rate disagreement (points)', percent: true, factor: false },
  disagreementRateFactor: { label: 'Request-rate disagreement (×)', percent: false, factor: true },
};

/** Returns a message explaining why `raw` is refused for this threshold, or undefined when it is valid. */
export function validateThreshold(key: keyof Thresholds, raw: string): string | undefined {
  const rule = THRESHOLD_RULES[key];
  const text = raw.trim();
  if (text === '') {
    return `${rule.label} is required.`;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return `${rule.label} must be a number, got "${text}".`;
  }
  if (value < 0) {
    return `${rule.label} cannot be negative.`;
  }
  if (rule.percent && value > 100) {
    return `${rule.label} is a percentage and cannot exceed 100.`;
  }
  if (rule.factor && value < 1) {
    return `${rule.label} is a ratio between two rates and must be at least 1.`;
  }
  return undefined;
}

/** Messages for join overrides that cannot be applied, keyed by row index. */
export function validateJoinOverrides(overrides: JoinOverride[]): Record<number, string> {
  const errors: Record<number, string> = {};
  const seen = new Set<string>();
  overrides.forEach((override, index) => {
    if (!override.appService.trim() || !override.namespace.trim() || !override.workload.trim()) {
      errors[index] = 'App service, namespace and workload are all required.';
    } else if (seen.has(override.appService)) {
      errors[index] = `"${override.appService}" is mapped twice; keep one row per app service.`;
    }
    seen.add(override.appService);
  });
  return errors;
}
