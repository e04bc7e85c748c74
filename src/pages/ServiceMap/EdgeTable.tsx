import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2, useTheme2 } from '@grafana/ui';
import { callerSideAddsMs, type SideFigures } from '../../boundary/edges';
import type { MapEdge } from '../../boundary/serviceMap';
import { getTableStyles } from '../../components/tableStyles';
import { testIds } from '../../testIds';
import { FIGURE_COLUMNS, formatFigure } from '../../components/ServiceFigures/columns';
import { successColor } from '../../components/successColor';

/** Busiest edges first; a 1,000-service mesh has thousands, the table shows the top of them. */
const SHOWN = 200;
const column = (id: string) => FIGURE_COLUMNS.find((c) => c.id === id)!;
const RPS = column('mesh-rps');
const PERCENT = column('mesh-success');
const MS = column('mesh-p95');

const FIGURES: Array<{
  id: string;
  header: string;
  format: typeof RPS;
  value: (s: SideFigures) => number | undefined;
}> = [
  { id: 'rps', header: 'Requests', format: RPS, value: (s) => s.rps },
  { id: 'success', header: 'Success', format: PERCENT, value: (s) => s.successRate },
  { id: 'p95', header: 'p95', format: MS, value: (s) => s.p95 },
  { id: 'mean', header: 'Mean', format: MS, value: (s) => s.mean },
];

/** Where workloads share an identity the callee counted them together: one caller's count is not comparable. */
function callerSideAdds(edge: MapEdge): number | undefined {
  return edge.match === 'unpaired' || edge.sharedWith.length > 0
    ? undefined
    : callerSideAddsMs(edge.callerSide, edge.calleeSide);
}

export function EdgeTable({ edges }: { edges: MapEdge[] }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const shown = [...edges].sort((a, b) => b.rps - a.rps || a.id.localeCompare(b.id)).slice(0, SHOWN);
  return (
    <div>
      <Text element="h3" variant="h5">
        Edges {edges.length > SHOWN ? `(busiest ${SHOWN} of ${edges.length})` : `(${edges.length})`}
      </Text>
      <Text color="secondary" variant="bodySmall">
        Each request counted at both ends: by the caller’s proxy when it leaves, by the callee’s when it arrives.
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th rowSpan={2}>From</th>
            <th rowSpan={2}>To</th>
            {FIGURES.map((f) => (
              <th key={f.id} colSpan={2}>
                {f.header}
              </th>
            ))}
            <th rowSpan={2} title="Caller's mean − callee's mean: network, the caller's proxy and its retries">
              Caller side adds
            </th>
            <th rowSpan={2}>mTLS</th>
          </tr>
          <tr>
            {FIGURES.flatMap((f) => [
              <th key={`${f.id}-caller`} className={styles.end} title="Counted by the caller's proxy (outbound)">
                caller
              </th>,
              <th key={`${f.id}-callee`} className={styles.end} title="Counted by the callee's proxy (inbound)">
                callee
              </th>,
            ])}
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
              <td>
                {edge.source}
                {edge.sharedWith.length > 0 && (
                  <div className={styles.note}>callee counts it with {edge.sharedWith.join(', ')} (one identity)</div>
                )}
              </td>
              <td>{edge.target}</td>
              {FIGURES.flatMap((f) =>
                (['callerSide', 'calleeSide'] as const).map((side) => {
                  const value = edge[side] && f.value(edge[side]!);
                  return (
                    <td
                      key={`${f.id}-${side}`}
                      className={styles.number}
                      data-testid={`edge-${f.id}-${side === 'callerSide' ? 'caller' : 'callee'}`}
                      data-value={value ?? ''}
                    >
                      {f.id === 'success' && side === (edge.callerSide ? 'callerSide' : 'calleeSide') && (
                        <span className={styles.dot} style={{ background: successColor(edge.successRate, theme) }} />
                      )}
                      {formatFigure(f.format, value)}
                    </td>
                  );
                })
              )}
              <td className={styles.number} data-testid="edge-caller-side-adds" data-value={callerSideAdds(edge) ?? ''}>
                {formatFigure(MS, callerSideAdds(edge))}
              </td>
              <td className={styles.number}>{formatFigure(PERCENT, edge.mtlsShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getTableStyles(theme),
  end: css({ fontWeight: theme.typography.fontWeightRegular, color: theme.colors.text.secondary }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
