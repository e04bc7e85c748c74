import { FieldType, type DataFrame, type DataQueryError, type DataQueryResponse } from '@grafana/data';
import { PromQueryError, withoutQueryEcho, type RangeSeries } from '../query/promApi';
import type { Sample } from '../query/sample';

/**
 * The series of an instant query as Grafana's Prometheus backend returns them: one frame per series, a time
 * field and a number field carrying the series' labels, renamed to the metric name when it has one
 * (grafana-prometheus-datasource `pkg/promlib/querydata/response.go`, `addMetadataToMultiFrame`). The number
 * field is found by its type, so the renaming (or a datasource that does not rename, like VictoriaMetrics'
 * own plugin) does not matter. A frame without a number field (the empty frame that carries only metadata) is
 * no series.
 */
export function framesToSamples(frames: DataFrame[], refId: string): Sample[] {
  const samples: Sample[] = [];
  for (const frame of frames) {
    if (frame.refId !== undefined && frame.refId !== refId) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const values = field.values;
      // NaN and ±Inf travel as null with their kind in the frame's entities; no number is no data downstream.
      const last = values.length > 0 ? values[values.length - 1] : undefined;
      samples.push({ labels: { ...(field.labels ?? {}) }, value: typeof last === 'number' ? last : Number.NaN });
    }
  }
  return samples;
}

/**
 * The series of a range query, as the same frames carry them: each number field with the frame's time field
 * (epoch ms) beside it. Points without a number (NaN, ±Inf travel as null) are left out.
 */
export function framesToRangeSeries(frames: DataFrame[], refId: string): RangeSeries[] {
  const series: RangeSeries[] = [];
  for (const frame of frames) {
    if (frame.refId !== undefined && frame.refId !== refId) {
      continue;
    }
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const points: Array<[number, number]> = [];
      field.values.forEach((value: unknown, i: number) => {
        const at = time.values[i];
        if (typeof value === 'number' && Number.isFinite(value) && typeof at === 'number') {
          points.push([at / 1000, value]);
        }
      });
      series.push({ labels: { ...(field.labels ?? {}) }, points });
    }
  }
  return series;
}

function errorOf(response: DataQueryResponse, refId: string): DataQueryError | undefined {
  // toDataQueryResponse sets only the deprecated `error` when the whole request failed (a 403, a 502 without
  // results), so both are read.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  return response.errors?.find((e) => !e.refId || e.refId === refId) ?? response.error;
}

/**
 * Grafana's own error for a refused query, as a PromQueryError: the store's reason (without VictoriaMetrics' echo
 * of the whole query) and the HTTP status Grafana gives the query.
 */
export function responseError(response: DataQueryResponse, refId: string): PromQueryError | undefined {
  const error = errorOf(response, refId);
  if (!error) {
    return undefined;
  }
  const message = withoutQueryEcho(error.message ?? error.data?.message ?? 'no reason given');
  return describeGrafanaError(error.status, message);
}

/** A failed request through Grafana, in words that say where to look. */
export function describeGrafanaError(status: number | undefined, message: string): PromQueryError {
  if (status === 400 || status === 422) {
    return new PromQueryError('query', `the metrics datasource rejected the query: ${message}`, status);
  }
  if (status === 401 || status === 403) {
    return new PromQueryError(
      'http',
      `Grafana refused the request (HTTP ${status}): ${message}. Check your access to the metrics datasource.`,
      status
    );
  }
  if (status === 404) {
    return new PromQueryError('http', `the metrics datasource was not found (HTTP 404): ${message}`, status);
  }
  const code = status ? ` (HTTP ${status})` : '';
  return new PromQueryError('http', `the metrics datasource failed${code}: ${message}`, status);
}
