import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { LoadingPlaceholder, Text, useStyles2 } from '@grafana/ui';
import { failureBreakdown, timeBreakdown, type FailureBreakdown, type TimeBreakdown } from '../../boundary/breakdown';
import type { Edge } from '../../boundary/edges';
import { runEdges } from '../../boundary/runEdges';
import type { QueryFailure } from '../../boundary/runOverview';
import type { ServiceRef } from '../../query/serviceQueries';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { testIds } from '../../testIds';
import { FIGURE_COLUMNS, formatFigure } from '../../components/ServiceFigures/columns';
import { LoadError } from '../../components/LoadError';
import type { ServiceHeaderScene } from './ServiceHeaderScene';

export interface BoundaryBreakdownState extends SceneObjectState {
  service: ServiceRef;
  time?: TimeBreakdown;
  failures?: FailureBreakdown;
  queryFailures: QueryFailure[];
  loading: boolean;
  error?: string;
}

const MS = FIGURE_COLUMNS.find((c) => c.id === 'mesh-p95')!;
const RPS = FIGURE_COLUMNS.find((c) => c.id === 'mesh-rps')!;

/**
 * Where the service's requests spent their time and where its failures were made: the callers' edges (both ends)
 * with the service's own figures, which the page's header has already loaded.
 */
export class BoundaryBreakdownScene extends SceneObjectBase<BoundaryBreakdownState> {
  constructor(
    state: { service: ServiceRef },
    private readonly header: ServiceHeaderScene
  ) {
    super({ ...state, loading: true, queryFailures: [] });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const { service } = this.state;
    let edges: Edge[] | undefined;
    const update = () => {
      const row = this.header.state.row;
      if (edges && row) {
        this.setState({ time: timeBreakdown(row, edges), failures: failureBreakdown(row, edges) });
      }
    };
    const subscription = this.header.subscribeToState(update);
    const stop = loadOnTimeRange(
      this,
      (window, signal) => runEdges(metricsApi(), getAppSettings(), window, { kind: 'callers', service }, { signal }),
      ({ loading, value, error }) => {
        this.setState({ loading, error, queryFailures: value?.failures ?? [] });
        if (value) {
          edges = value.edges;
          update();
        }
      }
    );
    return () => {
      subscription.unsubscribe();
      stop();
    };
  }

  static Component = BoundaryBreakdownRenderer;
}

function Part({ id, label, value, format }: { id: string; label: string; value?: number; format: typeof MS }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.part} data-testid={`breakdown-${id}`} data-value={value ?? ''}>
      <Text color="secondary" variant="bodySmall">
        {label}
      </Text>
      <Text variant="h5">{formatFigure(format, value)}</Text>
    </div>
  );
}

function BoundaryBreakdownRenderer({ model }: SceneComponentProps<BoundaryBreakdownScene>) {
  const styles = useStyles2(getStyles);
  const { time, failures, queryFailures, loading, error } = model.useState();
  if (error) {
    return <LoadError title="Where the time went could not be loaded" error={error} />;
  }
  if (loading && !time) {
    return <LoadingPlaceholder text="Comparing both ends of the callers’ requests…" />;
  }
  if (!time || !failures) {
    return null;
  }
  const notes = [...new Set([...time.notes, ...failures.notes])];
  return (
    <div className={styles.container} data-testid={testIds.service.breakdown}>
      <div>
        <Text element="h3" variant="h5">
          Where the time went
        </Text>
        <Text color="secondary" variant="bodySmall">
          Means per request: exact from each count’s sum (the mesh’s in whole milliseconds)
          {time.pairedShare !== undefined &&
            `; callers carrying ${Math.round(time.pairedShare * 100)} % of the traffic`}
        </Text>
        <div className={styles.parts}>
          <Part id="callers-waited" label="Callers waited" value={time.callersWaited} format={MS} />
          <Part id="caller-side" label="Network and callers’ proxies" value={time.callerSide} format={MS} />
          <Part id="callee-side" label="This service’s proxy and pod" value={time.calleeSide} format={MS} />
          <Part id="app" label="The app" value={time.app} format={MS} />
        </div>
      </div>
      <div>
        <Text element="h3" variant="h5">
          Where failures were made
        </Text>
        <Text color="secondary" variant="bodySmall">
          Failed requests per second, by who failed them
        </Text>
        <div className={styles.parts}>
          <Part
            id="failed-by-callers"
            label="Callers’ proxies (never arrived)"
            value={failures.callerProxies}
            format={RPS}
          />
          <Part
            id="failed-by-proxy"
            label="This service’s proxy (app never saw)"
            value={failures.calleeProxy}
            format={RPS}
          />
          <Part id="failed-by-app" label="The app" value={failures.app} format={RPS} />
        </div>
      </div>
      {(notes.length > 0 || queryFailures.length > 0) && (
        <ul className={styles.notes}>
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
          {queryFailures.map((f) => (
            <li key={f.refId}>
              {f.refId} could not be loaded: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
    gap: theme.spacing(2),
  }),
  parts: css({ display: 'flex', gap: theme.spacing(1), marginTop: theme.spacing(1), flexWrap: 'wrap' }),
  part: css({
    display: 'flex',
    flexDirection: 'column',
    minWidth: 120,
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  notes: css({
    gridColumn: '1 / -1',
    margin: 0,
    paddingLeft: theme.spacing(2),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
