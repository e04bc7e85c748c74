import { formattedValueToString, getValueFormat } from '@grafana/data';
import type { ServiceRow } from '../../boundary/types';
import type { SortKey } from './overviewFilters';

/** A figure column: its `data-testid` suffix, header, value in base units and Grafana unit. */
export interface FigureColumn {
  id: string;
  header: string;
  unit: 'reqps' | 'percentunit' | 'ms';
  value: (row: ServiceRow) => number | undefined;
  sortKey?: SortKey;
  /** Shown on hover: what the figure can and cannot say. */
  hint?: (row: ServiceRow) => string | undefined;
}

export const FIGURE_COLUMNS: FigureColumn[] = [
  { id: 'mesh-rps', header: 'Mesh RPS', unit: 'reqps', value: (r) => r.mesh?.rps, sortKey: 'mesh-rps' },
  {
    id: 'mesh-success',
    header: 'Mesh success',
    unit: 'percentunit',
    value: (r) => r.mesh?.successRate,
    sortKey: 'mesh-success',
  },
  { id: 'app-rps', header: 'App RPS', unit: 'reqps', value: (r) => r.app?.rps },
  {
    id: 'app-success',
    header: 'App success',
    unit: 'percentunit',
    value: (r) => r.app?.successRate,
    sortKey: 'app-success',
  },
  { id: 'mesh-p50', header: 'Mesh p50', unit: 'ms', value: (r) => r.mesh?.latency.p50 },
  { id: 'mesh-p95', header: 'Mesh p95', unit: 'ms', value: (r) => r.mesh?.latency.p95, sortKey: 'mesh-p95' },
  { id: 'mesh-p99', header: 'Mesh p99', unit: 'ms', value: (r) => r.mesh?.latency.p99 },
  { id: 'app-p50', header: 'App p50', unit: 'ms', value: (r) => r.app?.latency.p50 },
  { id: 'app-p95', header: 'App p95', unit: 'ms', value: (r) => r.app?.latency.p95, sortKey: 'app-p95' },
  {
    id: 'outside-app-mean',
    header: 'Outside app (mean)',
    unit: 'ms',
    value: (r) => r.outsideApp.mean,
    sortKey: 'outside-app-mean',
    hint: (r) => outsideMeanHint(r),
  },
  {
    id: 'outside-app-p95',
    header: 'Outside app (p95)',
    unit: 'ms',
    value: (r) => r.outsideApp.p95,
    sortKey: 'outside-app-p95',
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
  const decimals = column.unit === 'percentunit' ? 2 : column.unit === 'ms' ? 1 : 2;
  return formattedValueToString(formatters[column.unit](value, decimals));
}
