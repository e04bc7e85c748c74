import { FieldColorModeId, FieldType, type DataFrame, type Field } from '@grafana/data';
import type { CustomTransformOperator } from '@grafana/scenes';
import { map } from 'rxjs';
import { grpcStatusName, parseGrpcStatus } from '../../../query/grpcStatus';

/**
 * Series colours, as Grafana visualization colour names: failures in the failure colour (red shades, one per code
 * so they stay apart), success in the success colour, the rest in neither.
 */
const FAILURE_SHADES = ['red', 'dark-red', 'light-red', 'semi-dark-red', 'super-light-red'];
const SUCCESS_SHADES = ['green', 'dark-green', 'light-green', 'semi-dark-green', 'super-light-green'];
const OTHER_SHADES = ['blue', 'purple', 'yellow', 'light-blue', 'light-purple', 'dark-yellow'];

type Outcome = 'failure' | 'success' | 'other';

interface SeriesStyle {
  name: string;
  outcome: Outcome;
  /** Orders the series, and the shades within an outcome. */
  order: number;
}

/** `14` (or `UNAVAILABLE`, or Linkerd's old description) → "14 UNAVAILABLE", a failure when its code is one. */
export function grpcSeries(value: string, failureCodes: number[]): SeriesStyle {
  const code = parseGrpcStatus(value);
  if (code === undefined) {
    return { name: `gRPC ${value}`, outcome: 'other', order: Number.MAX_SAFE_INTEGER };
  }
  const outcome = code === 0 ? 'success' : failureCodes.includes(code) ? 'failure' : 'other';
  return { name: `${code} ${grpcStatusName(code)}`, outcome, order: code };
}

/** "HTTP 503": 5xx is a failure (Linkerd's classification of HTTP responses), 2xx a success. */
export function httpSeries(value: string): SeriesStyle {
  const code = Number(value);
  const outcome = code >= 500 && code < 600 ? 'failure' : code >= 200 && code < 300 ? 'success' : 'other';
  return { name: `HTTP ${value}`, outcome, order: Number.isFinite(code) ? code : Number.MAX_SAFE_INTEGER };
}

const SHADES: Record<Outcome, string[]> = { failure: FAILURE_SHADES, success: SUCCESS_SHADES, other: OTHER_SHADES };

/**
 * Names and colours each series from its status label: a legend format can only copy a label, not say what the
 * code means, so the series are renamed the way the datasource names them (`displayNameFromDS`).
 */
export function styleStatusSeries(
  frames: DataFrame[],
  label: string,
  describe: (value: string) => SeriesStyle
): DataFrame[] {
  const valueField = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.number);
  const styled = frames.map((frame) => {
    const value = valueField(frame)?.labels?.[label];
    return { frame, style: value === undefined ? undefined : describe(value) };
  });
  const shadeIndex = new Map<string, number>();
  for (const outcome of ['failure', 'success', 'other'] as const) {
    styled
      .filter((s) => s.style?.outcome === outcome)
      .map((s) => s.style!)
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
      .forEach((style, i) => shadeIndex.set(style.name, i));
  }
  const order = (style?: SeriesStyle) => style?.order ?? Number.POSITIVE_INFINITY;
  return [...styled]
    .sort((a, b) => order(a.style) - order(b.style))
    .map(({ frame, style }) => {
      if (!style) {
        return frame;
      }
      const shades = SHADES[style.outcome];
      const color = shades[(shadeIndex.get(style.name) ?? 0) % shades.length];
      return {
        ...frame,
        fields: frame.fields.map((field): Field =>
          field === valueField(frame)
            ? {
                ...field,
                config: {
                  ...field.config,
                  displayNameFromDS: style.name,
                  color: { mode: FieldColorModeId.Fixed, fixedColor: color },
                },
              }
            : field
        ),
      };
    });
}

/** The transformation a status chart's data goes through (a scenes custom transformer). */
export function statusSeriesTransform(
  label: string,
  describe: (value: string) => SeriesStyle
): CustomTransformOperator {
  return () => (source) => source.pipe(map((frames) => styleStatusSeries(frames, label, describe)));
}
