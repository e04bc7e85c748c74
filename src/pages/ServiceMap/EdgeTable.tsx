import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2, useTheme2 } from '@grafana/ui';
import type { MapEdge } from '../../boundary/serviceMap';
import { getTableStyles } from '../../components/tableStyles';
import { testIds } from '../../components/testIds';
import { FIGURE_COLUMNS, formatFigure } from '../Overview/columns';
import { successColor } from '../../components/successColor';

/** Busiest edges first; a 1,000-service mesh has thousands, the table shows the top of them. */
const SHOWN = 200;
const column = (id: string) => FIGURE_COLUMNS.find((c) => c.id === id)!;

export function EdgeTable({ edges }: { edges: MapEdge[] }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const shown = [...edges].sort((a, b) => b.rps - a.rps || a.id.localeCompare(b.id)).slice(0, SHOWN);
  return (
    <div>
      <Text element="h3" variant="h5">
        Edges {edges.length > SHOWN ? `(busiest ${SHOWN} of ${edges.length})` : `(${edges.length})`}
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>From</th>
            <th>To</th>
            <th>Requests</th>
            <th>Success</th>
            <th>p95</th>
            <th>mTLS</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((edge) => (
            <tr
              key={edge.id}
              data-testid={testIds.serviceMap.edge}
              data-source={edge.source}
              data-target={edge.target}
              data-rps={edge.rps}
              data-success={edge.successRate ?? ''}
            >
              <td>{edge.source}</td>
              <td>{edge.target}</td>
              <td className={styles.number}>{formatFigure(column('mesh-rps'), edge.rps)}</td>
              <td className={styles.number}>
                <span className={styles.dot} style={{ background: successColor(edge.successRate, theme) }} />
                {formatFigure(column('mesh-success'), edge.successRate)}
              </td>
              <td className={styles.number}>{formatFigure(column('mesh-p95'), edge.p95)}</td>
              <td className={styles.number}>{formatFigure(column('mesh-success'), edge.mtlsShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getTableStyles(theme),
  dot: css({ display: 'inline-block', width: 8, height: 8, borderRadius: '50%', marginRight: theme.spacing(0.75) }),
});
