import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { ServiceRow } from '../../boundary/types';
import { baselineValue, changeText } from '../Flags/timelineText';
import { formatFigure, type FigureColumn } from './columns';

/**
 * Under a cell's figures while a comparison is on: each one's change (a layer's quantiles side by side), or that
 * the earlier window had no such row.
 */
export function BaselineChange({ columns, row, label }: { columns: FigureColumn[]; row: ServiceRow; label: string }) {
  const styles = useStyles2(getStyles);
  if (!row.baseline) {
    return null;
  }
  if (row.baseline.state === 'no-data') {
    return <div className={styles.change}>no data</div>;
  }
  const befores = columns.map((column) => baselineValue(column, row));
  const texts = columns.map((column, i) => changeText(column, column.value(row), befores[i]) ?? '–');
  const title = columns
    .map((column, i) =>
      befores[i] === undefined
        ? `No ${column.header} ${label}`
        : `${column.header} ${label}: ${formatFigure(column, befores[i])}`
    )
    .join('\n');
  return (
    <div className={styles.change} title={title}>
      {texts.join(' · ')}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  change: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
