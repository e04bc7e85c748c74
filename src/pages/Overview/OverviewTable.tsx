import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Icon, Pagination, Text, TextLink, useStyles2, useTheme2 } from '@grafana/ui';
import { recentLabel } from '../../boundary/runTimeline';
import type { ServiceRow } from '../../boundary/types';
import { successColor, successLevel } from '../../components/successColor';
import { testIds } from '../../testIds';
import type { IncidentInfo } from '../../scenes/loadIncident';
import { serviceUrl } from '../../components/ServiceLink/serviceRoute';
import { BaselineChange } from '../../components/ServiceFigures/BaselineChange';
import {
  FIGURE_COLUMNS,
  formatFigure,
  formatQuantiles,
  formatRate,
  type FigureColumn,
} from '../../components/ServiceFigures/columns';
import { FlagBadges } from '../../components/Flags/FlagBadges';
import { baselineLabel } from '../../components/IncidentNotes';
import { baselineValue } from '../../components/Flags/timelineText';
import { flagIds, type SortKey, type SortOrder } from './overviewFilters';
import { TABLE_GROUPS, type TableColumn } from './tableLayout';
import { TrendCell } from './TrendCell';

export const PAGE_SIZE = 100;

const FIGURES = new Map<string, FigureColumn>(FIGURE_COLUMNS.map((column) => [column.id, column]));
const figure = (id: string): FigureColumn => FIGURES.get(id)!;

interface Props {
  /** Every row that passed the filters, sorted: the table shows one page of them. */
  rows: ServiceRow[];
  total: number;
  sort: SortOrder;
  page: number;
  onSort: (key: SortKey) => void;
  onPage: (page: number) => void;
  /** The recent window, the comparison and the timeline, once the rows have loaded. */
  incident?: IncidentInfo;
}

/** One page of services at a time: 5,000 services render as fast as 100. */
export function OverviewTable({ rows, total, sort, page, onSort, onPage, incident }: Props) {
  const styles = useStyles2(getStyles);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const sortButton = (label: string, key: SortKey, title?: string) => {
    const active = sort.key === key;
    return (
      <button
        className={cx(styles.sort, active && styles.sorted)}
        onClick={() => onSort(key)}
        title={title}
        aria-pressed={active}
        data-sort-key={key}
        data-sort-direction={active ? (sort.descending ? 'descending' : 'ascending') : undefined}
      >
        {label}
        {active && <Icon name={sort.descending ? 'arrow-down' : 'arrow-up'} size="xs" />}
      </button>
    );
  };
  const ariaSort = (keys: string[]) =>
    keys.includes(sort.key) ? (sort.descending ? 'descending' : 'ascending') : undefined;

  return (
    <div>
      <div className={styles.frame}>
        <table className={styles.table} data-testid={testIds.overview.table}>
          <thead>
            <tr>
              <th rowSpan={2} className={styles.textHeader} aria-sort={ariaSort(['service'])}>
                {sortButton('Service', 'service', 'Sort by namespace and name')}
              </th>
              <th rowSpan={2} className={styles.textHeader} aria-sort={ariaSort(['severity'])}>
                {sortButton('Flags', 'severity', 'Sort by severity: the gRPC trap first')}
              </th>
              {TABLE_GROUPS.map((group) => (
                <th
                  key={group.name}
                  colSpan={group.columns.length}
                  className={cx(styles.group, styles.groupStart)}
                  title={group.hint}
                >
                  {group.name}
                </th>
              ))}
            </tr>
            <tr>
              {TABLE_GROUPS.flatMap((group) =>
                group.columns.map((column, i) => (
                  <th
                    key={column.figures[0].id}
                    className={cx(styles.numberHeader, i === 0 && styles.groupStart)}
                    aria-sort={ariaSort(column.figures.map((f) => f.id))}
                  >
                    {column.figures.map((f, i) => (
                      <React.Fragment key={f.id}>
                        {i > 0 && <span className={styles.separator}>·</span>}
                        {sortButton(f.label, f.id, `Sort by ${figure(f.id).header}`)}
                      </React.Fragment>
                    ))}
                  </th>
                ))
              )}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <OverviewRow key={row.key} row={row} incident={incident} />
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.footer}>
        <Text color="secondary">
          {rows.length === total ? `${total} services` : `${rows.length} of ${total} services`}
        </Text>
        {pages > 1 && <Pagination currentPage={current + 1} numberOfPages={pages} onNavigate={(p) => onPage(p - 1)} />}
      </div>
    </div>
  );
}

function OverviewRow({ row, incident }: { row: ServiceRow; incident?: IncidentInfo }) {
  const styles = useStyles2(getStyles);
  const url = serviceUrl(row.namespace, row.service);
  return (
    <tr
      className={styles.row}
      data-testid={testIds.overview.row}
      data-service={row.key}
      data-flags={flagIds(row).join(' ')}
      data-coverage={row.coverage}
      onClick={(event) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('a'))) {
          locationService.push(url);
        }
      }}
    >
      <td className={styles.service}>
        <TextLink href={url} inline={false}>
          {row.service}
        </TextLink>
        <div className={styles.secondary}>
          {row.namespace || '–'}
          {row.appService && ` · app: ${row.appService}`}
        </div>
      </td>
      <td className={styles.flags}>
        <FlagBadges
          flags={row.flags}
          coverage={row.coverage}
          timeline={row.timeline}
          endMs={incident?.rangeEndMs}
          recentLabel={incident?.recentSeconds ? recentLabel(incident.recentSeconds) : undefined}
        />
        {/* Under the badges rather than in a column of its own: every figure still fits 1280 px. */}
        {row.flags.length > 0 && <TrendCell timeline={row.timeline} loading={!!incident?.timelineLoading} />}
      </td>
      {TABLE_GROUPS.flatMap((group) =>
        group.columns.map((column, i) => (
          <FigureCell
            key={column.figures[0].id}
            row={row}
            column={column}
            groupStart={i === 0}
            compareSeconds={incident?.compareSeconds}
          />
        ))
      )}
    </tr>
  );
}

/**
 * A figure element as scripts and tests read it: `cell-<id>` with the value in base units, and while comparing the
 * earlier window's value (`data-baseline-value`, empty where it had none).
 */
function figureProps(column: FigureColumn, row: ServiceRow, value: number | undefined) {
  return {
    'data-testid': testIds.overview.cell(column.id),
    'data-value': value === undefined ? '' : String(value),
    'data-baseline-value': row.baseline ? String(baselineValue(column, row) ?? '') : undefined,
  };
}

interface FigureCellProps {
  row: ServiceRow;
  column: TableColumn;
  groupStart: boolean;
  /** The comparison's offset while one is on: each figure's change shows under it. */
  compareSeconds?: number;
}

function FigureCell({ row, column, groupStart, compareSeconds }: FigureCellProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const cellClass = cx(styles.number, groupStart && styles.groupStart);
  const figures = column.figures.map((f) => figure(f.id));
  if (figures.length > 1) {
    const values = figures.map((f) => f.value(row));
    const { parts, unit } = formatQuantiles(values);
    const any = values.some((v) => v !== undefined);
    return (
      <td
        className={cellClass}
        title={any ? figures.map((f, i) => `${f.header}: ${formatFigure(f, values[i])}`).join('\n') : undefined}
      >
        {figures.map((f, i) => (
          <React.Fragment key={f.id}>
            {any && i > 0 && <span className={styles.separator}>·</span>}
            <span {...figureProps(f, row, values[i])}>{any && parts[i]}</span>
          </React.Fragment>
        ))}
        {any ? <span className={styles.unit}>{unit}</span> : '–'}
        {compareSeconds && <BaselineChange columns={figures} row={row} label={baselineLabel(compareSeconds)} />}
      </td>
    );
  }
  const [only] = figures;
  const value = only.value(row);
  const level = only.unit === 'percentunit' ? successLevel(value) : undefined;
  // Healthy stays plain so the eye finds the degraded and failing rows; their colour is the map's and the edges'.
  const color = level === 'degraded' || level === 'failing' ? successColor(value, theme) : undefined;
  return (
    <td className={cellClass} {...figureProps(only, row, value)} title={only.hint?.(row)} style={{ color }}>
      {only.unit === 'reqps' ? formatRate(value) : formatFigure(only, value)}
      {compareSeconds && <BaselineChange columns={[only]} row={row} label={baselineLabel(compareSeconds)} />}
    </td>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  frame: css({
    overflowX: 'auto',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 0.75),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
    th: {
      background: theme.colors.background.secondary,
      fontWeight: theme.typography.fontWeightMedium,
      verticalAlign: 'bottom',
      whiteSpace: 'nowrap',
    },
  }),
  textHeader: css({ textAlign: 'left' }),
  group: css({ textAlign: 'center', color: theme.colors.text.secondary }),
  numberHeader: css({ textAlign: 'right' }),
  groupStart: css({ borderLeft: `1px solid ${theme.colors.border.weak}` }),
  sort: css({
    all: 'unset',
    cursor: 'pointer',
    display: 'inline-flex',
    gap: theme.spacing(0.25),
    alignItems: 'center',
    '&:hover': { color: theme.colors.text.maxContrast },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  sorted: css({ color: theme.colors.text.maxContrast }),
  separator: css({ color: theme.colors.text.disabled, margin: theme.spacing(0, 0.5) }),
  unit: css({ color: theme.colors.text.secondary, marginLeft: theme.spacing(0.5) }),
  row: css({ cursor: 'pointer', '&:hover': { background: theme.colors.action.hover } }),
  service: css({ whiteSpace: 'nowrap' }),
  flags: css({ minWidth: 110 }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  secondary: css({ color: theme.colors.text.secondary }),
  footer: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: theme.spacing(1) }),
});
