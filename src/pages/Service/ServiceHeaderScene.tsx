import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { config } from '@grafana/runtime';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Icon, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import type { QueryFailure } from '../../boundary/runOverview';
import { recentLabel } from '../../boundary/runTimeline';
import type { OverviewRefId } from '../../query/overviewQueries';
import { OVERVIEW_QUERY_PURPOSES, PartialFailures } from '../../components/PartialFailures';
import { serviceKey, type ServiceRow } from '../../boundary/types';
import { promqlExploreUrl } from '../../query/explore';
import { promDuration } from '../../query/promql';
import { figureQueries, type FigureId } from '../../query/serviceQueries';
import { loadIncident, type IncidentInfo } from '../../scenes/loadIncident';
import { getAppSettings } from '../../settings/appSettings';
import { BaselineChange } from '../../components/ServiceFigures/BaselineChange';
import { FIGURE_COLUMNS, formatFigure } from '../../components/ServiceFigures/columns';
import { FlagBadges } from '../../components/Flags/FlagBadges';
import { baselineLabel, IncidentNotes } from '../../components/IncidentNotes';
import { testIds } from '../../testIds';
import { LoadError } from '../../components/LoadError';
import { FlagTraceLinks } from './TraceLinks';

export interface ServiceHeaderSceneState extends SceneObjectState {
  namespace: string;
  service: string;
  row?: ServiceRow;
  /** Queries that failed while the others answered: their figures are missing, the rest is shown. */
  failures: Array<QueryFailure<OverviewRefId>>;
  loading: boolean;
  error?: string;
  /** The recent window, the comparison and the timeline, once the figures have loaded. */
  incident?: IncidentInfo;
}

/**
 * The service's figures and flags, with their onsets and the baseline's figures: the overview's queries restricted
 * to its namespace. The tab's charts mark the onsets it finds (OnsetAnnotationsLayer).
 */
export class ServiceHeaderScene extends SceneObjectBase<ServiceHeaderSceneState> {
  constructor(state: { namespace: string; service: string }) {
    super({ ...state, loading: true, failures: [] });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const { namespace, service } = this.state;
    const key = serviceKey(namespace, service);
    return loadIncident(this, { namespace: namespace || undefined }, ({ loading, error, rows, failures, incident }) =>
      this.setState(
        loading
          ? { loading, error }
          : { loading, error, row: rows?.find((r) => r.key === key), failures: failures ?? [], incident }
      )
    );
  }

  static Component = ServiceHeaderRenderer;
}

function ServiceHeaderRenderer({ model }: SceneComponentProps<ServiceHeaderScene>) {
  const styles = useStyles2(getStyles);
  const { row, failures, loading, error, namespace, service, incident } = model.useState();
  const { value: range } = sceneGraph.getTimeRange(model).useState();
  if (error) {
    return <LoadError title="The service could not be loaded" error={error} />;
  }
  if (loading && !row) {
    return <LoadingPlaceholder text="Querying the mesh and the app…" />;
  }
  const partial = failures.length > 0 && (
    <PartialFailures failures={failures} purposes={OVERVIEW_QUERY_PURPOSES} testId={testIds.service.partialFailure} />
  );
  if (!row) {
    return (
      partial || (
        <Alert
          severity="info"
          title={`No traffic for ${namespace ? `${namespace}/` : ''}${service} in this time range`}
        >
          Neither the mesh nor the app reported requests for this service. Widen the time range, or check the name.
        </Alert>
      )
    );
  }
  const exploreUrls = figureExploreUrls(namespace, service, range);
  return (
    <Stack direction="column" gap={2} data-testid={testIds.service.header}>
      {partial}
      <FlagBadges
        flags={row.flags}
        coverage={row.coverage}
        timeline={row.timeline}
        endMs={incident?.rangeEndMs}
        recentLabel={incident?.recentSeconds ? recentLabel(incident.recentSeconds) : undefined}
      />
      {row.flags.map((flag) => (
        <Text key={flag.id} color="secondary">
          {flag.summary}
        </Text>
      ))}
      <div className={styles.figures}>
        {FIGURE_COLUMNS.map((column) => (
          <div key={column.id} className={styles.figure}>
            <div className={styles.figureHead}>
              <Text element="p" color="secondary" variant="bodySmall">
                {column.header}
              </Text>
              {exploreUrls && (
                // A plain anchor: Grafana's LinkButton decodes its href, which would break the query in `panes`.
                <a
                  className={styles.explore}
                  href={exploreUrls[column.id]}
                  aria-label={`${column.header} in Explore`}
                  title="The PromQL behind this figure, in Explore"
                  data-testid={testIds.service.figureExplore(column.id)}
                >
                  <Icon name="compass" />
                </a>
              )}
            </div>
            <Text element="p" variant="h4">
              {formatFigure(column, column.value(row))}
            </Text>
            {incident?.compareSeconds && (
              <BaselineChange columns={[column]} row={row} label={baselineLabel(incident.compareSeconds)} />
            )}
          </div>
        ))}
      </div>
      {incident && <IncidentNotes incident={incident} />}
      <FlagTraceLinks row={row} range={range} />
    </Stack>
  );
}

/** Each figure's own PromQL in Explore, over the page's range; none without a metrics datasource. */
function figureExploreUrls(namespace: string, service: string, range: TimeRange) {
  const settings = getAppSettings();
  if (!settings.metricsDatasourceUid) {
    return undefined;
  }
  const window = promDuration(range.to.unix() - range.from.unix());
  const queries = figureQueries(settings, { namespace, workload: service }, window);
  const span = { from: String(range.from.valueOf()), to: String(range.to.valueOf()) };
  const orgId = config.bootData.user.orgId;
  const urls = {} as Record<FigureId, string>;
  for (const id of Object.keys(queries) as FigureId[]) {
    urls[id] = promqlExploreUrl(config.appSubUrl, settings.metricsDatasourceUid, queries[id], span, orgId);
  }
  return urls;
}

const getStyles = (theme: GrafanaTheme2) => ({
  figures: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: theme.spacing(1),
  }),
  figureHead: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start' }),
  explore: css({ color: theme.colors.text.secondary, '&:hover': { color: theme.colors.text.link } }),
  figure: css({
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
