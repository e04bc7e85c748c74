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
    id: 'outside-app-p95',
    header: 'Outside app (p95)',
    unit: 'ms',
    value: (r) => r.outsideAppP95,
    sortKey: 'outside-app-p95',
  },
];

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
