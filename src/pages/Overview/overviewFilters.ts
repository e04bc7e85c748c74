import type { FlagId } from '../../constants';
import type { Coverage, ServiceRow } from '../../boundary/types';
import { severity } from '../../boundary/overview';
import { FIGURE_COLUMNS } from '../../components/ServiceFigures/columns';

export const COVERAGE_FILTERS: readonly Coverage[] = ['both', 'app-only', 'mesh-only', 'unknown'];

export interface OverviewFilters {
  namespace?: string;
  flaggedOnly: boolean;
  /** Undefined: every coverage. */
  coverage?: Coverage;
  search: string;
}

export const NO_FILTERS: OverviewFilters = { flaggedOnly: false, search: '' };

/** `severity`, `service`, or a figure column's id. */
export type SortKey = string;

export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: 'severity', descending: true };

function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Each search term must appear in the namespace, the service, `namespace/service` or the app's own name. */
function matchesSearch(row: ServiceRow, terms: string[]): boolean {
  const haystack = [row.key, row.appService ?? ''].map((text) => text.toLowerCase());
  return terms.every((term) => haystack.some((text) => text.includes(term)));
}

export function filterRows(rows: ServiceRow[], filters: OverviewFilters): ServiceRow[] {
  const terms = searchTerms(filters.search);
  return rows.filter(
    (row) =>
      (!filters.namespace || row.namespace === filters.namespace) &&
      (!filters.flaggedOnly || row.flags.length > 0) &&
      (!filters.coverage || row.coverage === filters.coverage) &&
      matchesSearch(row, terms)
  );
}

const COVERAGE_CLAUSE: Record<Coverage, string> = {
  both: 'that is meshed and instrumented',
  'mesh-only': 'that is not instrumented',
  'app-only': 'that is not meshed',
  unknown: 'whose coverage is unknown',
};

/** What the filters asked for, in words: the "nothing matches" state says it. */
export function describeFilters(filters: OverviewFilters): string {
  const terms = searchTerms(filters.search);
  const subject = [filters.flaggedOnly ? 'No flagged service' : 'No service'];
  if (filters.namespace) {
    subject.push(`in namespace "${filters.namespace}"`);
  }
  const clauses = [
    filters.coverage && COVERAGE_CLAUSE[filters.coverage],
    terms.length > 0 && `whose namespace, name or app name contains ${terms.map((t) => `"${t}"`).join(' and ')}`,
  ].filter((clause): clause is string => Boolean(clause));
  return `${[...subject, clauses.join(' and ')].filter(Boolean).join(' ')}.`;
}

const SORT_VALUES: Record<string, (row: ServiceRow) => number | string | undefined> = {
  severity: (row) => severity(row),
  service: (row) => row.key,
  ...Object.fromEntries(FIGURE_COLUMNS.map((column) => [column.id, column.value])),
};

export function isSortKey(key: unknown): key is SortKey {
  return typeof key === 'string' && Object.hasOwn(SORT_VALUES, key);
}

/** Worst first: most severe, lowest success, highest rate, latency and time outside the app; names A to Z. */
export function worstFirst(key: SortKey): SortOrder {
  const lowIsWorse = key === 'service' || FIGURE_COLUMNS.some((c) => c.id === key && c.lowIsWorse);
  return { key, descending: !lowIsWorse };
}

/** A click on a column's header: worst first on a new column, the other direction on the current one. */
export function nextSort(current: SortOrder, key: SortKey): SortOrder {
  return current.key === key ? { key, descending: !current.descending } : worstFirst(key);
}

/** The sort as URL values: none for the default, a direction only where it is not the column's worst-first. */
export function sortToUrl(order: SortOrder): { sort: string | null; dir: string | null } {
  const isDefault = order.key === DEFAULT_SORT.key && order.descending === DEFAULT_SORT.descending;
  const direction = order.descending === worstFirst(order.key).descending ? null : order.descending ? 'desc' : 'asc';
  return { sort: isDefault ? null : order.key, dir: isDefault ? null : direction };
}

/** The sort a URL asks for; an unknown column falls back to the default, an unknown direction to worst first. */
export function sortFromUrl(sort: unknown, dir: unknown): SortOrder {
  if (!isSortKey(sort)) {
    return DEFAULT_SORT;
  }
  return dir === 'asc' || dir === 'desc' ? { key: sort, descending: dir === 'desc' } : worstFirst(sort);
}

/** The URL's page is counted from 1; anything else than a whole number from 1 opens the first page. */
export function pageFromUrl(value: unknown): number {
  const page = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : 1;
  return Math.max(1, page) - 1;
}

export function coverageFromUrl(value: unknown): Coverage | undefined {
  return COVERAGE_FILTERS.find((coverage) => coverage === value);
}

/** Among equally severe services the busiest comes first. */
const traffic = (row: ServiceRow) => row.mesh?.rps ?? row.app?.rps ?? 0;

/** Sorts a copy; rows without a value go last whatever the direction, so "no data" never hides the worst rows. */
export function sortRows(rows: ServiceRow[], order: SortOrder): ServiceRow[] {
  const value = SORT_VALUES[order.key] ?? SORT_VALUES[DEFAULT_SORT.key];
  const direction = order.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) {
      return va === vb ? a.key.localeCompare(b.key) : va === undefined ? 1 : -1;
    }
    const compared = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number);
    return (
      compared * direction || (order.key === 'severity' ? traffic(b) - traffic(a) : 0) || a.key.localeCompare(b.key)
    );
  });
}

export function namespacesOf(rows: ServiceRow[]): string[] {
  return [...new Set(rows.map((r) => r.namespace))].sort();
}

export function flagIds(row: ServiceRow): FlagId[] {
  return row.flags.map((f) => f.id);
}
