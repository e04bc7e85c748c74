import type { FlagId } from '../../constants';
import type { ServiceRow } from '../../boundary/types';
import { severity } from '../../boundary/overview';

export interface OverviewFilters {
  namespace?: string;
  flaggedOnly: boolean;
  search: string;
}

export type SortKey =
  | 'severity'
  | 'service'
  | 'mesh-rps'
  | 'mesh-success'
  | 'app-success'
  | 'mesh-p95'
  | 'app-p95'
  | 'outside-app-mean'
  | 'outside-app-p95';

export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export function filterRows(rows: ServiceRow[], filters: OverviewFilters): ServiceRow[] {
  const search = filters.search.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!filters.namespace || row.namespace === filters.namespace) &&
      (!filters.flaggedOnly || row.flags.length > 0) &&
      (!search || row.key.toLowerCase().includes(search) || (row.appService ?? '').toLowerCase().includes(search))
  );
}

const SORT_VALUES: Record<SortKey, (row: ServiceRow) => number | string | undefined> = {
  severity: (row) => severity(row),
  service: (row) => row.key,
  'mesh-rps': (row) => row.mesh?.rps,
  'mesh-success': (row) => row.mesh?.successRate,
  'app-success': (row) => row.app?.successRate,
  'mesh-p95': (row) => row.mesh?.latency.p95,
  'app-p95': (row) => row.app?.latency.p95,
  'outside-app-mean': (row) => row.outsideApp.mean,
  'outside-app-p95': (row) => row.outsideApp.p95,
};

/** Sorts a copy; rows without a value go last whatever the direction, so "no data" never hides the worst rows. */
export function sortRows(rows: ServiceRow[], order: SortOrder): ServiceRow[] {
  const value = SORT_VALUES[order.key];
  const direction = order.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) {
      return va === vb ? 0 : va === undefined ? 1 : -1;
    }
    const compared = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number);
    return compared * direction || a.key.localeCompare(b.key);
  });
}

export function namespacesOf(rows: ServiceRow[]): string[] {
  return [...new Set(rows.map((r) => r.namespace))].sort();
}

export function flagIds(row: ServiceRow): FlagId[] {
  return row.flags.map((f) => f.id);
}
