import type { ServiceRow } from '../../boundary/types';
import { FIGURE_COLUMNS, type FigureColumn } from '../../components/ServiceFigures/columns';
import { toCsv } from './csv';
import { flagIds } from './overviewFilters';

/** Each figure in its base unit, named in the header. */
const UNIT_NAMES: Record<FigureColumn['unit'], string> = {
  reqps: 'requests/s',
  percentunit: 'ratio 0-1',
  ms: 'ms',
};

export const OVERVIEW_CSV_HEADER = [
  'namespace',
  'service',
  'app service',
  'coverage',
  'flags',
  ...FIGURE_COLUMNS.map((column) => `${column.id} (${UNIT_NAMES[column.unit]})`),
];

/**
 * The overview's rows as shown (filtered and sorted, every page), figures in base units as the table's
 * `data-value` attributes carry them: coverage and flags by their ids (DESIGN §2).
 */
export function overviewCsv(rows: ServiceRow[]): string {
  return toCsv(
    OVERVIEW_CSV_HEADER,
    rows.map((row) => [
      row.namespace,
      row.service,
      row.appService ?? (row.app ? row.service : undefined),
      row.coverage,
      flagIds(row).join(' '),
      ...FIGURE_COLUMNS.map((column) => column.value(row)),
    ])
  );
}
