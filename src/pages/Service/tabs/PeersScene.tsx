import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { summariseCallees, summariseCallers, type PeerRow } from '../../../boundary/peers';
import { promDuration } from '../../../query/promql';
import { calleesQuery, callersQuery, type ServiceRef } from '../../../query/serviceQueries';
import { loadOnTimeRange } from '../../../scenes/loadOnTimeRange';
import { metricsApi } from '../../../services/metricsApi';
import { getTableStyles } from '../../../components/tableStyles';
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
  constructor(state: { service: ServiceRef }) {
    super({ ...state, loading: true });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const settings = getAppSettings();
    const { service } = this.state;
    return loadOnTimeRange(
      this,
      async ({ from, to }, signal) => {
        const api = metricsApi();
        const window = promDuration(to - from);
        const [callers, callees] = await Promise.all([
          api.instant(callersQuery(settings, service, window), to, { signal }),
          api.instant(calleesQuery(settings, service, window), to, { signal }),
        ]);
        return {
          callers: summariseCallers(callers, settings.grpcFailureCodes),
          callees: summariseCallees(callees, settings.grpcFailureCodes),
        };
      },
      ({ loading, value, error }) => this.setState(loading ? { loading, error } : { loading, error, ...value })
    );
  }

  static Component = PeersRenderer;
}

function PeerTable({ title, rows, empty }: { title: string; rows: PeerRow[]; empty: string }) {
  const styles = useStyles2(getTableStyles);
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
