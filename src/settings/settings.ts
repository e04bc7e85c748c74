import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  DEFAULT_THRESHOLDS,
  LINKERD_GRPC_FAILURE_CODES,
  RECORDED_SERIES_MODES,
  type AppSettings,
  type JoinOverride,
  type LabelSchema,
  type MeshSelector,
  type RecordedSeriesMode,
  type Thresholds,
} from './types';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The `jsonData` Grafana hands over: whatever was saved or provisioned, of any shape. */
export type SavedSettings = Partial<Record<keyof AppSettings, unknown>>;

/** Reads the saved `jsonData` (possibly empty, provisioned by hand, or from an older version) into complete settings. */
export function resolveSettings(jsonData: SavedSettings | undefined | null): AppSettings {
  const data: SavedSettings = jsonData && typeof jsonData === 'object' ? jsonData : {};
  const labelSchema: LabelSchema = data.labelSchema === 'linkerd' ? 'linkerd' : 'otel';
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: text(data.metricsDatasourceUid),
    tracesDatasourceUid: text(data.tracesDatasourceUid),
    tracesDatasourceType:
      data.tracesDatasourceType === 'tempo' || data.tracesDatasourceType === 'jaeger'
        ? data.tracesDatasourceType
        : undefined,
    labelSchema,
    meshSelector: resolveMeshSelector(data.meshSelector, labelSchema),
    semconv: data.semconv === 'legacy' ? 'legacy' : 'stable',
    appServiceLabel: data.appServiceLabel === 'job' ? 'job' : 'service_name',
    joinOverrides: readJoinOverrides(data.joinOverrides).overrides,
    grpcFailureCodes: resolveFailureCodes(data.grpcFailureCodes),
    thresholds: resolveThresholds(data.thresholds),
    recordedSeries: resolveRecordedSeries(data.recordedSeries),
  };
}

/** `auto`, `raw` or `recorded`; anything else (absent, a typo in provisioning) is `auto`. */
function resolveRecordedSeries(saved: unknown): RecordedSeriesMode {
  return RECORDED_SERIES_MODES.find((mode) => mode === saved) ?? 'auto';
}

function resolveMeshSelector(saved: unknown, schema: LabelSchema): MeshSelector {
  if (saved && typeof saved === 'object') {
    const { label, value } = saved as Record<string, unknown>;
    if (label === '' || (typeof label === 'string' && LABEL_NAME.test(label) && typeof value === 'string')) {
      return { label, value: label === '' ? '' : (value as string) };
    }
  }
  return DEFAULT_MESH_SELECTORS[schema];
}

function resolveFailureCodes(saved: unknown): number[] {
  if (!Array.isArray(saved)) {
    return LINKERD_GRPC_FAILURE_CODES;
  }
  const codes = saved.filter((c): c is number => Number.isInteger(c) && c > 0 && c <= 16);
  return codes.length > 0 ? [...new Set(codes)].sort((a, b) => a - b) : LINKERD_GRPC_FAILURE_CODES;
}

/** Thresholds as saved, numbers or numeric strings (hand-written provisioning), each checked like the form does. */
function resolveThresholds(saved: unknown): Thresholds {
  const result: Thresholds = { ...DEFAULT_THRESHOLDS };
  const record = saved && typeof saved === 'object' ? (saved as Record<string, unknown>) : {};
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>) {
    const value = record[key];
    const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
    if (raw !== undefined && validateThreshold(key, raw) === undefined) {
      result[key] = Number(raw.trim());
    }
  }
  return result;
}

export interface ReadOverrides {
  overrides: JoinOverride[];
  /** Saved entries that cannot be an override (not an object, a field missing or not text), by position. */
  ignored: number[];
}

/**
 * Join overrides as saved: each field trimmed (a stray space never matches a Kubernetes name), entries that are
 * not `{ appService, namespace, workload }` set aside rather than breaking every page.
 */
export function readJoinOverrides(saved: unknown): ReadOverrides {
  const result: ReadOverrides = { overrides: [], ignored: [] };
  if (!Array.isArray(saved)) {
    return result;
  }
  saved.forEach((entry: unknown, index) => {
    const fields = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : undefined;
    const { appService, namespace, workload } = fields ?? {};
    if (typeof appService === 'string' && typeof namespace === 'string' && typeof workload === 'string') {
      result.overrides.push({ appService: appService.trim(), namespace: namespace.trim(), workload: workload.trim() });
    } else {
      result.ignored.push(index);
    }
  });
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
  /** The flag compares "at least the threshold" with "under it": 0 would never fire. */
  positive?: boolean;
}

export const THRESHOLD_RULES: Record<keyof Thresholds, ThresholdRule> = {
  grpcTrapPercent: { label: 'gRPC trap share (%)', percent: true, factor: false, positive: true },
  boundaryLatencyMs: { label: 'Boundary latency (ms)', percent: false, factor: false },
  boundaryLatencyPercent: { label: 'Boundary latency (% of app p95)', percent: true, factor: false },
  disagreementPoints: { label: 'Success-rate disagreement (points)', percent: true, factor: false },
  disagreementRateFactor: { label: 'Request-rate disagreement (×)', percent: false, factor: true },
};

/** Plain decimal notation only: `Number()` would also take `0x1F`, `0b11` and `Infinity`. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Returns a message explaining why `raw` is refused for this threshold, or undefined when it is valid. */
export function validateThreshold(key: keyof Thresholds, raw: string): string | undefined {
  const rule = THRESHOLD_RULES[key];
  const text = raw.trim();
  if (text === '') {
    return `${rule.label} is required.`;
  }
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value)) {
    return `${rule.label} must be a number, got "${text}".`;
  }
  if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ''))) {
    return `${rule.label} is too small to be told apart from 0, got "${text}".`;
  }
  if (value < 0) {
    return `${rule.label} cannot be negative.`;
  }
  if (rule.positive && value === 0) {
    return `${rule.label} must be greater than 0: the flag fires at or above it while the HTTP view stays under it.`;
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
    const appService = override.appService.trim();
    if (!appService || !override.namespace.trim() || !override.workload.trim()) {
      errors[index] = 'App service, namespace and workload are all required.';
    } else if (seen.has(appService)) {
      errors[index] = `"${appService}" is mapped twice; keep one row per app service.`;
    }
    seen.add(appService);
  });
  return errors;
}

/** Why a mesh selector cannot be used, or undefined: its label must be a Prometheus label name (or empty). */
export function validateMeshSelector(selector: MeshSelector): string | undefined {
  if (selector.label === '') {
    return undefined;
  }
  if (!LABEL_NAME.test(selector.label)) {
    return `"${selector.label}" is not a Prometheus label name (letters, digits and _, not starting with a digit).`;
  }
  return selector.value === '' ? 'Give the value the mesh series carry, or leave the label empty.' : undefined;
}
