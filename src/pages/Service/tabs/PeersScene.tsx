import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Stack, Text, TextLink, useStyles2, useTheme2 } from '@grafana/ui';
import type { SideFigures } from '../../../boundary/edges';
import { runEdges } from '../../../boundary/runEdges';
import type { QueryFailure } from '../../../boundary/runOverview';
import type { ServiceRef } from '../../../query/serviceQueries';
import { loadOnTimeRange } from '../../../scenes/loadOnTimeRange';
import { metricsApi } from '../../../services/metricsApi';
import { getTableStyles } from '../../../components/tableStyles';
import { successColor } from '../../../components/successColor';
import { testIds } from '../../../testIds';
import { getAppSettings } from '../../../settings/appSettings';
import { FIGURE_COLUMNS, formatFigure } from '../../../components/ServiceFigures/columns';
import { serviceUrl } from '../../../components/ServiceLink/serviceRoute';
import { LoadError } from '../../../components/LoadError';
import { calleeRows, callerRows, type PeerRow } from './peerRows';

export interface PeersSceneState extends SceneObjectState {
  service: ServiceRef;
  callers?: PeerRow[];
  callees?: PeerRow[];
  failures: QueryFailure[];
  loading: boolean;
  error?: string;
}

const column = (id: string) => FIGURE_COLUMNS.find((c) => c.id === id)!;
const RPS = column('mesh-rps');
const PERCENT = column('mesh-success');
const MS = column('mesh-p95');

/** Who calls the service and whom it calls, each edge counted at both ends: the callers' proxies and the callee's. */
export class PeersScene extends SceneObjectBase<PeersSceneState> {
  constructor(state: { service: ServiceRef }) {
    super({ ...state, loading: true, failures: [] });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const settings = getAppSettings();
    const { service } = this.state;
    return loadOnTimeRange(
      this,
      async (window, signal) => {
        const api = metricsApi();
        const [callers, callees] = await Promise.all([
          runEdges(api, settings, window, { kind: 'callers', service }, { signal }),
          runEdges(api, settings, window, { kind: 'callees', service }, { signal }),
        ]);
        return {
          callers: callerRows(callers.edges, service),
          callees: calleeRows(callees.edges, service),
          failures: [...callers.failures, ...callees.failures],
        };
      },
      ({ loading, value, error }) => this.setState(loading ? { loading, error } : { loading, error, ...value })
    );
  }

  static Component = PeersRenderer;
}

/** One figure at both ends: the callers' proxies' count over the callee's. */
function BothEnds({
  testId,
  format,
  value,
  row,
  colored = false,
}: {
  testId: string;
  format: typeof RPS;
  value: (side: SideFigures) => number | undefined;
  row: PeerRow;
  /** Success: a dot in the colour every view gives the rate as displayed. */
  colored?: boolean;
}) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const cell = (end: 'caller' | 'callee', figure: number | undefined) => (
    <td className={styles.number} data-testid={`${testId}-${end}`} data-value={figure ?? ''}>
      {colored && figure !== undefined && (
        <span className={styles.dot} style={{ background: successColor(figure, theme) }} />
      )}
      {formatFigure(format, figure)}
    </td>
  );
  return (
    <>
      {cell('caller', row.callerSide && value(row.callerSide))}
      {cell('callee', row.calleeSide && value(row.calleeSide))}
    </>
  );
}

function PeerTable({ title, rows, empty, peer }: { title: string; rows: PeerRow[]; empty: string; peer: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div>
      <Text element="h3" variant="h5">
        {title}
      </Text>
      {rows.length === 0 ? (
        <Text color="secondary">{empty}</Text>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th rowSpan={2}>{peer}</th>
              <th colSpan={2}>Requests</th>
              <th colSpan={2}>Success</th>
              <th colSpan={2}>p95</th>
              <th colSpan={2}>Mean</th>
              <th rowSpan={2} title="Callers' mean − callee's mean: network, the caller's proxy and its retries">
                Caller side adds
              </th>
              <th rowSpan={2}>mTLS</th>
            </tr>
            <tr>
              {['Requests', 'Success', 'p95', 'Mean'].flatMap((figure) => [
                <th key={`${figure}-caller`} className={styles.end} title="Counted by the caller's proxy (outbound)">
                  caller
                </th>,
                <th key={`${figure}-callee`} className={styles.end} title="Counted by the callee's proxy (inbound)">
                  callee
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid={testIds.service.peerRow} data-peer={row.label}>
                <td>
                  {row.workloads.length > 0
                    ? row.workloads.map((w, i) => (
                        <React.Fragment key={`${w.namespace}/${w.workload}`}>
                          {i > 0 && ', '}
                          <TextLink href={serviceUrl(w.namespace, w.workload)} inline>
                            {`${w.namespace}/${w.workload}`}
                          </TextLink>
                        </React.Fragment>
                      ))
                    : row.label}
                  {row.pairing && <div className={styles.pairing}>{row.pairing}</div>}
                </td>
                <BothEnds testId="peer-rps" format={RPS} value={(s) => s.rps} row={row} />
                <BothEnds testId="peer-success" format={PERCENT} value={(s) => s.successRate} row={row} colored />
                <BothEnds testId="peer-p95" format={MS} value={(s) => s.p95} row={row} />
                <BothEnds testId="peer-mean" format={MS} value={(s) => s.mean} row={row} />
                <td
                  className={styles.number}
                  data-testid="peer-caller-side-adds"
                  data-value={row.callerSideAddsMs ?? ''}
                >
                  {formatFigure(MS, row.callerSideAddsMs)}
                </td>
                <td className={styles.number}>{formatFigure(PERCENT, row.calleeSide?.mtlsShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PeersRenderer({ model }: SceneComponentProps<PeersScene>) {
  const { callers, callees, failures, loading, error } = model.useState();
  if (error) {
    return <LoadError title="Callers and callees could not be loaded" error={error} />;
  }
  if (loading && !callers) {
    return <LoadingPlaceholder text="Querying both ends of the mesh edges…" />;
  }
  return (
    <Stack direction="column" gap={3}>
      {failures.length > 0 && (
        <Alert severity="warning" title="Some figures could not be loaded">
          {failures.map((f) => `${f.refId}: ${f.message}`).join('; ')}
        </Alert>
      )}
      <Text color="secondary">
        Each request is counted twice: by the caller’s proxy when it leaves and by the callee’s when it arrives. What
        the caller’s count adds is the caller’s side: network, its proxy, retries and the requests its proxy failed.
      </Text>
      <PeerTable
        title="Callers"
        peer="Caller"
        rows={callers ?? []}
        empty="No meshed traffic reached this service in this time range."
      />
      <PeerTable
        title="Callees"
        peer="Callee"
        rows={callees ?? []}
        empty="This workload called no meshed destination in this time range."
      />
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...getTableStyles(theme),
  end: css({ fontWeight: theme.typography.fontWeightRegular, color: theme.colors.text.secondary }),
  pairing: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
