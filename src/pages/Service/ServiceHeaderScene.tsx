import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { config } from '@grafana/runtime';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Icon, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import { runOverview, type QueryFailure } from '../../boundary/runOverview';
import type { OverviewRefId } from '../../query/overviewQueries';
import { OVERVIEW_QUERY_PURPOSES, PartialFailures } from '../../components/PartialFailures';
import { serviceKey, type ServiceRow } from '../../boundary/types';
import { promqlExploreUrl } from '../../query/explore';
import { promDuration } from '../../query/promql';
import { figureQueries, type FigureId } from '../../query/serviceQueries';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi, overviewSourceCache } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { FIGURE_COLUMNS, formatFigure } from '../Overview/columns';
import { FlagBadges } from '../Overview/FlagBadges';
import { testIds } from '../../components/testIds';
import { FlagTraceLinks } from './TraceLinks';

export interface ServiceHeaderSceneState extends SceneObjectState {
  namespace: string;
  service: string;
  row?: ServiceRow;
  /** Queries that failed while the others answered: their figures are missing, the rest is shown. */
  failures: Array<QueryFailure<OverviewRefId>>;
  loading: boolean;
  error?: string;
}

/** The service's figures and flags: the overview's queries restricted to its namespace. */
export class ServiceHeaderScene extends SceneObjectBase<ServiceHeaderSceneState> {
  constructor(state: { namespace: string; service: string }) {
    super({ ...state, loading: true, failures: [] });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const { namespace, service } = this.state;
    const key = serviceKey(namespace, service);
    return loadOnTimeRange(
      this,
      (window, signal) =>
        runOverview(metricsApi(), getAppSettings(), window, {
          namespace: namespace || undefined,
          signal,
          sourceCache: overviewSourceCache,
        }),
      ({ loading, value, error }) =>
        this.setState(
          loading
            ? { loading, error }
            : { loading, error, row: value?.rows.find((r) => r.key === key), failures: value?.failures ?? [] }
        )
    );
  }

  static Component = ServiceHeaderRenderer;
}

function ServiceHeaderRenderer({ model }: SceneComponentProps<ServiceHeaderScene>) {
  const styles = useStyles2(getStyles);
  const { row, failures, loading, error, namespace, service } = model.useState();
  const { value: range } = sceneGraph.getTimeRange(model).useState();
  if (error) {
    return (
      <Alert severity="error" title="The service could not be loaded">
        {error}. Check the metrics datasource on the configuration page.
      </Alert>
    );
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
      <FlagBadges flags={row.flags} coverage={row.coverage} />
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
          </div>
        ))}
      </div>
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
