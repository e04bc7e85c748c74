import { formattedValueToString, getValueFormat } from '@grafana/data';
import type { ServiceRow } from '../../boundary/types';
import type { FigureId } from '../../query/serviceQueries';
import { PERCENT_DECIMALS } from '../successColor';

/** A figure column: its `data-testid` suffix (and sort key), header, value in base units and Grafana unit. */
export interface FigureColumn {
  id: FigureId;
  header: string;
  unit: 'reqps' | 'percentunit' | 'ms';
  value: (row: ServiceRow) => number | undefined;
  /** Success: the worst rows have the lowest values. Everything else is worst when highest. */
  lowIsWorse?: boolean;
  /** Shown on hover: what the figure can and cannot say. */
  hint?: (row: ServiceRow) => string | undefined;
}

export const FIGURE_COLUMNS: FigureColumn[] = [
  { id: 'mesh-rps', header: 'Mesh RPS', unit: 'reqps', value: (r) => r.mesh?.rps },
  {
    id: 'mesh-success',
    header: 'Mesh success',
    unit: 'percentunit',
    value: (r) => r.mesh?.successRate,
    lowIsWorse: true,
  },
  { id: 'app-rps', header: 'App RPS', unit: 'reqps', value: (r) => r.app?.rps },
  {
    id: 'app-success',
    header: 'App success',
    unit: 'percentunit',
    value: (r) => r.app?.successRate,
    lowIsWorse: true,
  },
  { id: 'mesh-p50', header: 'Mesh p50', unit: 'ms', value: (r) => r.mesh?.latency.p50 },
  { id: 'mesh-p95', header: 'Mesh p95', unit: 'ms', value: (r) => r.mesh?.latency.p95 },
  { id: 'mesh-p99', header: 'Mesh p99', unit: 'ms', value: (r) => r.mesh?.latency.p99 },
  { id: 'app-p50', header: 'App p50', unit: 'ms', value: (r) => r.app?.latency.p50 },
  { id: 'app-p95', header: 'App p95', unit: 'ms', value: (r) => r.app?.latency.p95 },
  {
    id: 'outside-app-mean',
    header: 'Outside app (mean)',
    unit: 'ms',
    value: (r) => r.outsideApp.mean,
    hint: (r) => outsideMeanHint(r),
  },
  {
    id: 'outside-app-p95',
    header: 'Outside app (p95)',
    unit: 'ms',
    value: (r) => r.outsideApp.p95,
    hint: (r) => outsideP95Hint(r),
  },
];

const msFormat = getValueFormat('ms');

function formatBound(ms: number): string {
  return Number.isFinite(ms) ? formattedValueToString(msFormat(ms)) : '∞';
}

/**
 * Linkerd stops its clock at the response's first body frame (linkerd2-proxy
 * `linkerd/http/metrics/src/requests/service.rs`, `record_latency`); OpenTelemetry's server duration runs to
 * the last byte. A response streamed for longer than the mesh adds makes the difference negative.
 */
function outsideMeanHint(row: ServiceRow): string | undefined {
  const mean = row.outsideApp.mean;
  if (mean === undefined) {
    return undefined;
  }
  const exact = "Mesh mean − app mean, from both layers' sums and counts: exact, not interpolated";
  return mean < 0
    ? `${exact}. Negative: the mesh times a response to its first body frame, the app to its last byte, ` +
        'so long or streamed responses take longer in the app than at the proxy'
    : exact;
}

/** A difference of two interpolated quantiles is only as precise as the buckets both came from. */
function outsideP95Hint(row: ServiceRow): string | undefined {
  const bounds = row.outsideApp.p95Bounds;
  if (row.outsideApp.p95 === undefined) {
    return undefined;
  }
  if (!bounds) {
    return 'Mesh p95 − app p95: both interpolated inside a histogram bucket';
  }
  return (
    `Mesh p95 − app p95, both interpolated inside a histogram bucket: ` +
    `the true difference lies between ${formatBound(bounds.lower)} and ${formatBound(bounds.upper)}`
  );
}

const formatters = {
  reqps: getValueFormat('reqps'),
  percentunit: getValueFormat('percentunit'),
  ms: getValueFormat('ms'),
};

/** Formats with Grafana's units; "–" marks no data, never a zero. */
export function formatFigure(column: FigureColumn, value: number | undefined): string {
  if (value === undefined) {
    return '–';
  }
  const decimals = column.unit === 'percentunit' ? PERCENT_DECIMALS : column.unit === 'ms' ? 1 : 2;
  return formattedValueToString(formatters[column.unit](value, decimals));
}

/**
 * One layer's quantiles in one unit, chosen by the largest, so the eye compares digits: `16.3 · 46.5 · 89.0` ms, or
 * `0.95 · 1.20 · 2.10` s once one reaches a second. "–" marks no data.
 */
export function formatQuantiles(values: Array<number | undefined>): { parts: string[]; unit: 'ms' | 's' } {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const unit = finite.some((v) => Math.abs(v) >= 1000) ? 's' : 'ms';
  const parts = values.map((v) => {
    if (v === undefined) {
      return '–';
    }
    if (!Number.isFinite(v)) {
      return '∞';
    }
    return unit === 's' ? (v / 1000).toFixed(2) : v.toFixed(1);
  });
  return { parts, unit };
}

/** Request rates in the overview's compact cells: the unit is in the header. */
export function formatRate(value: number | undefined): string {
  return value === undefined ? '–' : formattedValueToString(getValueFormat('short')(value, 2));
}
