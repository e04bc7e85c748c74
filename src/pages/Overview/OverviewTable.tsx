import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Icon, Pagination, Text, TextLink, useStyles2 } from '@grafana/ui';
import type { ServiceRow } from '../../boundary/types';
import { testIds } from '../../components/testIds';
import { serviceUrl } from '../Service/serviceRoute';
import { FIGURE_COLUMNS, formatFigure } from './columns';
import { FlagBadges } from './FlagBadges';
import { flagIds, sortRows, type SortKey, type SortOrder } from './overviewFilters';

export const PAGE_SIZE = 100;

const COVERAGE_TEXT = { both: 'mesh + app', 'mesh-only': 'mesh only', 'app-only': 'app only', unknown: 'unknown' };

interface Props {
  rows: ServiceRow[];
  total: number;
  sort: SortOrder;
  page: number;
  onSort: (sort: SortOrder) => void;
  onPage: (page: number) => void;
}

/** One page of services at a time: 5,000 services render as fast as 100. */
export function OverviewTable({ rows, total, sort, page, onSort, onPage }: Props) {
  const styles = useStyles2(getStyles);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = sortRows(rows, sort).slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const header = (label: string, key?: SortKey) => {
    if (!key) {
      return <th>{label}</th>;
    }
    const active = sort.key === key;
    return (
      <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button className={styles.sort} onClick={() => onSort({ key, descending: active ? !sort.descending : true })}>
          {label}
          {active && <Icon name={sort.descending ? 'arrow-down' : 'arrow-up'} size="sm" />}
        </button>
      </th>
    );
  };

  return (
    <div>
      <div className={styles.scroll}>
        <table className={styles.table} data-testid={testIds.overview.table}>
          <thead>
            <tr>
              {header('Namespace')}
              {header('Service', 'service')}
              {header('Flags', 'severity')}
              {header('Coverage')}
              {FIGURE_COLUMNS.map((column) => (
                <React.Fragment key={column.id}>{header(column.header, column.sortKey)}</React.Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const url = serviceUrl(row.namespace, row.service);
              return (
                <tr
                  key={row.key}
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
                  <td>{row.namespace || <Text color="secondary">–</Text>}</td>
                  <td>
                    <TextLink href={url} inline={false}>
                      {row.service}
                    </TextLink>
                    {row.appService && <div className={styles.alias}>app: {row.appService}</div>}
                  </td>
                  <td>
                    <FlagBadges flags={row.flags} />
                  </td>
                  <td className={cx(row.coverage !== 'both' && styles.partial)}>{COVERAGE_TEXT[row.coverage]}</td>
                  {FIGURE_COLUMNS.map((column) => {
                    const value = column.value(row);
                    return (
                      <td
                        key={column.id}
                        className={styles.number}
                        data-testid={testIds.overview.cell(column.id)}
                        data-value={value === undefined ? '' : String(value)}
                        title={column.hint?.(row)}
                      >
                        {formatFigure(column, value)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
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

const getStyles = (theme: GrafanaTheme2) => ({
  scroll: css({
    overflowX: 'auto',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
    },
    th: {
      textAlign: 'left',
      background: theme.colors.background.secondary,
      fontWeight: theme.typography.fontWeightMedium,
    },
  }),
  sort: css({
    all: 'unset',
    cursor: 'pointer',
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    alignItems: 'center',
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  row: css({ cursor: 'pointer', '&:hover': { background: theme.colors.action.hover } }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  partial: css({ color: theme.colors.warning.text }),
  alias: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  footer: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: theme.spacing(1) }),
});
