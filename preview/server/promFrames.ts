/**
 * What Grafana's Prometheus backend makes of a store's answer, for the preview's `/api/ds/query` stand-in: a port
 * of grafana-prometheus-datasource `pkg/promlib/converter/prom.go` (`ReadPrometheusStyleResult`: one frame per
 * series, `Time` and `Value` fields, labels on the value field, NaN and ±Inf as null plus frame entities, warnings
 * as notices, errors as `errorType: error`) and `pkg/promlib/querydata/response.go` (`parseResponse`: the value
 * field named after `__name__`, `displayNameFromDS` from the legend format, the first frame's
 * `executedQueryString` and `calculatedMinStep`, an empty frame carrying the metadata when there is no series,
 * unexpected HTTP statuses). promFrames.test.ts holds it to promlib's own golden files.
 */

export interface FieldJson {
  name: string;
  type: 'time' | 'number';
  typeInfo: { frame: 'time.Time' | 'float64' };
  labels?: Record<string, string>;
  config?: { interval?: number; displayNameFromDS?: string };
}

export interface FrameMetaJson {
  type?: string;
  typeVersion?: [number, number];
  custom?: Record<string, unknown>;
  executedQueryString?: string;
  notices?: Array<{ severity: 'warning' | 'info'; text: string }>;
}

export interface FrameJson {
  schema: { name?: string; meta?: FrameMetaJson; fields: FieldJson[] };
  data: { values: unknown[][]; entities?: Array<Entities | null> };
}

type Entities = Partial<Record<'NaN' | 'Inf' | 'NegInf', number[]>>;

/** One refId's answer in `/api/ds/query`'s `results` (grafana-plugin-sdk-go `backend/json.go`). */
export interface DataResponseJson {
  status?: number;
  frames?: FrameJson[];
  error?: string;
  errorSource?: string;
}

/** The query as promlib reads it (`pkg/promlib/models/query.go`), once its step is known. */
export interface PromQueryModel {
  expr: string;
  legendFormat?: string;
  /** Step in milliseconds. */
  stepMs: number;
}

type SeriesJson = { metric?: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> };

interface PromBody {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: unknown[];
  infos?: unknown[];
  data?: { resultType?: string; result?: unknown };
}

function sampleValue(text: string): { value: number | null; entity?: keyof Entities } {
  switch (text) {
    case 'NaN':
      return { value: null, entity: 'NaN' };
    case '+Inf':
      return { value: null, entity: 'Inf' };
    case '-Inf':
      return { value: null, entity: 'NegInf' };
    default:
      return { value: Number(text) };
  }
}

function seriesFrame(series: SeriesJson, resultType: string): FrameJson {
  const points = series.values ?? (series.value ? [series.value] : []);
  const times = points.map(([t]) => Math.round(t * 1000));
  const entities: Entities = {};
  const values = points.map(([, text], i) => {
    const { value, entity } = sampleValue(text);
    if (entity) {
      (entities[entity] ??= []).push(i);
    }
    return value;
  });
  const frame: FrameJson = {
    schema: {
      meta: {
        type: resultType === 'vector' ? 'numeric-multi' : 'timeseries-multi',
        typeVersion: [0, 1],
        custom: { resultType },
      },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'Value', type: 'number', typeInfo: { frame: 'float64' }, labels: { ...(series.metric ?? {}) } },
      ],
    },
    data: { values: [times, values] },
  };
  if (Object.keys(entities).length > 0) {
    frame.data.entities = [null, entities];
  }
  return frame;
}

function notices(body: PromBody): NonNullable<FrameMetaJson['notices']> {
  const texts = (list: unknown[] | undefined) => (list ?? []).filter((t): t is string => typeof t === 'string');
  return [
    ...texts(body.warnings).map((text) => ({ severity: 'warning' as const, text })),
    ...texts(body.infos).map((text) => ({ severity: 'info' as const, text })),
  ];
}

/** `ReadPrometheusStyleResult`: the store's JSON as frames, or the error promlib reports for it. */
export function convertPrometheusBody(text: string): { frames: FrameJson[]; error?: string; errorSource?: string } {
  let body: PromBody;
  try {
    body = JSON.parse(text) as PromBody;
  } catch (error) {
    return {
      frames: [],
      error: `response from prometheus couldn't be parsed. it is non-json: ${(error as Error).message}`,
      errorSource: 'downstream',
    };
  }
  if (body.status === 'error') {
    return { frames: [], error: `${body.errorType ?? ''}: ${body.error ?? ''}` };
  }
  const resultType = body.data?.resultType ?? '';
  const result = body.data?.result;
  let frames: FrameJson[] = [];
  if ((resultType === 'vector' || resultType === 'matrix') && Array.isArray(result)) {
    frames = (result as SeriesJson[]).map((series) => seriesFrame(series, resultType));
  } else if (resultType === 'scalar' && Array.isArray(result)) {
    frames = [{ ...seriesFrame({ metric: {}, value: result as [number, string] }, 'vector') }];
    frames[0].schema.meta!.custom = { resultType: 'scalar' };
  }
  const found = notices(body);
  if (found.length > 0) {
    if (frames.length === 0) {
      frames.push({ schema: { name: 'Warnings', meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } });
    }
    for (const frame of frames) {
      frame.schema.meta = { ...frame.schema.meta, notices: found };
    }
  }
  return { frames };
}

/** Prometheus' own rendering of a series' labels, `name{a="1", b="2"}` (prometheus/common `model.Metric.String`). */
function metricNameFromLabels(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const parts = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  if (parts.length === 0) {
    return name || '{}';
  }
  return `${name}{${parts.join(', ')}}`;
}

/** promlib's `getName`: the legend format filled from the labels, `__auto` for none, else the series' labels. */
function displayName(query: PromQueryModel, labels: Record<string, string>): string {
  let legend = metricNameFromLabels(labels);
  if (query.legendFormat === '__auto') {
    if (Object.keys(labels).length > 0) {
      legend = '';
    }
  } else if (query.legendFormat) {
    legend = query.legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  }
  return legend === '{}' ? query.expr : legend;
}

/** Go's `time.Duration.String()` for a whole number of milliseconds: `15s`, `1m0s`, `1h0m0s`, `1.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) {
    return '0s';
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  if (hours > 0) {
    return `${hours}h${minutes}m${seconds}s`;
  }
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

function addMetadata(query: PromQueryModel, frame: FrameJson): void {
  frame.schema.meta ??= { typeVersion: [0, 0] };
  const [time, value] = frame.schema.fields;
  if (!time || !value) {
    return;
  }
  time.config = { interval: query.stepMs };
  const name = displayName(query, value.labels ?? {});
  if (name !== '') {
    value.config = { displayNameFromDS: name };
  }
  const metric = value.labels?.__name__;
  if (metric !== undefined) {
    value.name = metric;
  }
}

function executedQueryString(query: PromQueryModel): string {
  return `Expr: ${query.expr}\nStep: ${goDuration(query.stepMs)}`;
}

/** `parseResponse`: a store's HTTP answer to one query, as the refId's result in `/api/ds/query`. */
export function queryDataResponse(query: PromQueryModel, httpStatus: number, text: string): DataResponseJson {
  const parsable = (httpStatus >= 200 && httpStatus < 300) || [400, 422, 503].includes(httpStatus);
  if (!parsable) {
    const frame: FrameJson = { schema: { meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } };
    frame.schema.meta!.executedQueryString = executedQueryString(query);
    return {
      status: httpStatus,
      error: `unexpected response with status code ${httpStatus}: ${text.slice(0, 1024)}`,
      errorSource: 'downstream',
      frames: [frame],
    };
  }
  const converted = convertPrometheusBody(text);
  const frames = converted.frames.length > 0 ? converted.frames : [{ schema: { fields: [] }, data: { values: [] } }];
  frames.forEach((frame, i) => {
    addMetadata(query, frame);
    if (i === 0) {
      frame.schema.meta!.executedQueryString = executedQueryString(query);
      frame.schema.meta!.custom = { ...frame.schema.meta!.custom, calculatedMinStep: query.stepMs };
    }
  });
  const response: DataResponseJson = { status: httpStatus, frames };
  if (converted.error !== undefined) {
    response.error = converted.error;
    response.errorSource = converted.errorSource ?? '';
  }
  return response;
}

/** A store that could not be reached: promlib answers 502 with the transport's error. */
export function transportFailure(message: string): DataResponseJson {
  return { status: 502, error: message, errorSource: 'downstream' };
}

export interface Intervals {
  /** The step the store is asked for. */
  stepMs: number;
  /** The interval the frontend computed (`intervalMs` of the request). */
  intervalMs: number;
  rangeMs: number;
  /** The datasource's scrape interval (promlib's default: 15 s). */
  scrapeMs: number;
}

/**
 * promlib's `InterpolateVariables` (`pkg/promlib/models/query.go`): `$__interval`, `$__range` and
 * `$__rate_interval` = max(interval + scrape interval, 4 × scrape interval), in both `$__x` and `${__x}` forms.
 */
export function interpolateVariables(expr: string, { stepMs, intervalMs, rangeMs, scrapeMs }: Intervals): string {
  const rateMs = Math.max(intervalMs + scrapeMs, 4 * scrapeMs);
  const rangeS = Math.round(rangeMs / 1000);
  const replacements: Array<[string, string]> = [
    ['__interval_ms', String(stepMs)],
    ['__interval', formatInterval(stepMs)],
    ['__range_ms', String(rangeMs)],
    ['__range_s', String(rangeS)],
    ['__range', `${rangeS}s`],
    ['__rate_interval_ms', String(rateMs)],
    ['__rate_interval', goDuration(rateMs)],
  ];
  let result = expr;
  for (const [name, value] of replacements) {
    result = result
      .split(`\${${name}}`)
      .join(value)
      .replace(new RegExp(`\\$${name}(?![a-z_])`, 'g'), value);
  }
  return result;
}

/** Grafana's `gtime.FormatInterval`: the largest unit that divides the interval, `15s`, `1m`, `2h`, `500ms`. */
export function formatInterval(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) {
      return `${ms / size}${unit}`;
    }
  }
  return `${ms}ms`;
}
