import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { summariseCallees, summariseCallers, type PeerRow } from '../../../boundary/peers';
import { promDuration } from '../../../query/promql';
import { calleesQuery, callersQuery, type ServiceRef } from '../../../query/serviceQueries';
import { errorMessage, metricsApi } from '../../../services/metricsApi';
import { getAppSettings } from '../../../settings/appSettings';
import { FIGURE_COLUMNS, formatFigure } from '../../Overview/columns';
import { serviceUrl } from '../serviceRoute';

export interface PeersSceneState extends SceneObjectState {
  service: ServiceRef;
  callers?: PeerRow[];
  callees?: PeerRow[];
  loading: boolean;
  error?: string;
}

const rps = FIGURE_COLUMNS.find((c) => c.id === 'mesh-rps')!;
const percent = FIGURE_COLUMNS.find((c) => c.id === 'mesh-success')!;

/** Who calls the service (by mTLS identity) and whom it calls (by destination), over the time range. */
export class PeersScene extends SceneObjectBase<PeersSceneState> {
  private loadId = 0;

  constructor(state: { service: ServiceRef }) {
    super({ ...state, loading: true });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const subscription = sceneGraph.getTimeRange(this).subscribeToState(() => this.load());
    this.load();
    return () => subscription.unsubscribe();
  }

  async load() {
    const id = ++this.loadId;
    const settings = getAppSettings();
    const { from, to } = sceneGraph.getTimeRange(this).state.value;
    const window = promDuration(to.unix() - from.unix());
    this.setState({ loading: true, error: undefined });
    try {
      const api = metricsApi();
      const [callers, callees] = await Promise.all([
        api.instant(callersQuery(settings, this.state.service, window), to.unix()),
        api.instant(calleesQuery(settings, this.state.service, window), to.unix()),
      ]);
      if (id === this.loadId) {
        this.setState({ loading: false, callers: summariseCallers(callers), callees: summariseCallees(callees) });
      }
    } catch (error) {
      if (id === this.loadId) {
        this.setState({ loading: false, error: errorMessage(error) });
      }
    }
  }

  static Component = PeersRenderer;
}

function PeerTable({ title, rows, empty }: { title: string; rows: PeerRow[]; empty: string }) {
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
              <th>Peer</th>
              <th>Requests</th>
              <th>Success</th>
              <th>mTLS</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label} data-peer={row.label}>
                <td>
                  {row.peer ? (
                    <TextLink href={serviceUrl(row.peer.namespace, row.peer.workload)}>{row.label}</TextLink>
                  ) : (
                    row.label
                  )}
                </td>
                <td className={styles.number}>{formatFigure(rps, row.rps)}</td>
                <td className={styles.number}>{formatFigure(percent, row.successRate)}</td>
                <td className={styles.number}>{formatFigure(percent, row.mtlsShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PeersRenderer({ model }: SceneComponentProps<PeersScene>) {
  const { callers, callees, loading, error } = model.useState();
  if (error) {
    return (
      <Alert severity="error" title="Callers and callees could not be loaded">
        {error}
      </Alert>
    );
  }
  if (loading && !callers) {
    return <LoadingPlaceholder text="Querying the mesh edges…" />;
  }
  return (
    <Stack direction="column" gap={3}>
      <PeerTable
        title="Callers (inbound, by mTLS identity)"
        rows={callers ?? []}
        empty="No inbound meshed traffic in this time range."
      />
      <PeerTable
        title="Callees (outbound, by destination)"
        rows={callees ?? []}
        empty="This workload called no meshed destination in this time range."
      />
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    marginTop: theme.spacing(1),
    'th, td': {
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
    },
    th: { background: theme.colors.background.secondary },
  }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
});
