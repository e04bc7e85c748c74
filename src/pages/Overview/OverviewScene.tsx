import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { Alert, Button, EmptyState, LoadingPlaceholder, Text, Tooltip, useStyles2 } from '@grafana/ui';
import type { OverviewSource } from '../../boundary/overviewSource';
import type { QueryFailure } from '../../boundary/runOverview';
import type { OverviewRefId } from '../../query/overviewQueries';
import type { ServiceRow } from '../../boundary/types';
import { testIds } from '../../testIds';
import { loadIncident, type IncidentInfo } from '../../scenes/loadIncident';
import { downloadText } from '../../services/download';
import { IncidentNotes } from '../../components/IncidentNotes';
import { LoadError } from '../../components/LoadError';
import { OVERVIEW_QUERY_PURPOSES, PartialFailures } from '../../components/PartialFailures';
import { overviewCsv } from './overviewCsv';
import {
  coverageFromUrl,
  DEFAULT_SORT,
  describeFilters,
  filterRows,
  namespacesOf,
  nextSort,
  NO_FILTERS,
  pageFromUrl,
  sortFromUrl,
  sortRows,
  sortToUrl,
  type OverviewFilters,
  type SortKey,
  type SortOrder,
} from './overviewFilters';
import { OverviewTable } from './OverviewTable';
import { OverviewToolbar } from './OverviewToolbar';

export interface OverviewSceneState extends SceneObjectState {
  rows?: ServiceRow[];
  loading: boolean;
  error?: string;
  /** Queries that failed while the others answered: their figures are missing, the rest is shown. */
  failures: Array<QueryFailure<OverviewRefId>>;
  filters: OverviewFilters;
  /** Raw or recorded series, and why. */
  source?: OverviewSource;
  sort: SortOrder;
  /** Counted from 0; the URL counts from 1. */
  page: number;
  /** The recent window, the comparison and the timeline, once the rows have loaded. */
  incident?: IncidentInfo;
}

const URL_KEYS = ['namespace', 'flagged', 'coverage', 'search', 'sort', 'dir', 'page'];

/** The services table: the overview's fixed set of queries, joined and flagged in the browser. */
export class OverviewScene extends SceneObjectBase<OverviewSceneState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: URL_KEYS });

  constructor(state: Partial<OverviewSceneState> = {}) {
    super({
      loading: true,
      failures: [],
      filters: NO_FILTERS,
      sort: DEFAULT_SORT,
      page: 0,
      ...state,
    });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    return loadIncident(this, {}, ({ loading, error, rows, failures, source, incident }) =>
      this.setState(loading ? { loading, error } : { loading, error, rows, failures: failures ?? [], source, incident })
    );
  }

  getUrlState(): SceneObjectUrlValues {
    const { filters, sort, page } = this.state;
    return {
      namespace: filters.namespace ?? null,
      flagged: filters.flaggedOnly ? 'true' : null,
      coverage: filters.coverage ?? null,
      search: filters.search || null,
      ...sortToUrl(sort),
      page: page > 0 ? String(page + 1) : null,
    };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const text = (v: SceneObjectUrlValues[string]) => (typeof v === 'string' ? v : undefined);
    this.setState({
      filters: {
        namespace: text(values.namespace) || undefined,
        flaggedOnly: values.flagged === 'true',
        coverage: coverageFromUrl(values.coverage),
        search: text(values.search) ?? '',
      },
      sort: sortFromUrl(values.sort, values.dir),
      page: pageFromUrl(values.page),
    });
  }

  /** A filter change starts again at the first page: the page the user was on may no longer exist. */
  setFilters = (changes: Partial<OverviewFilters>) =>
    this.setState({ filters: { ...this.state.filters, ...changes }, page: 0 });
  clearFilters = () => this.setState({ filters: NO_FILTERS, page: 0 });
  sortBy = (key: SortKey) => this.setState({ sort: nextSort(this.state.sort, key), page: 0 });
  setPage = (page: number) => this.setState({ page });

  /** The rows as the table shows them, every page: what the export writes. */
  shownRows(): ServiceRow[] {
    const { rows, filters, sort } = this.state;
    return rows ? sortRows(filterRows(rows, filters), sort) : [];
  }

  exportCsv = () => {
    const { from, to } = sceneGraph.getTimeRange(this).state.value;
    const stamp = (time: typeof from) => time.toISOString().replace(/[:.]/g, '-');
    downloadText(`mesh-lens-overview_${stamp(from)}_${stamp(to)}.csv`, overviewCsv(this.shownRows()), 'text/csv');
  };

  static Component = OverviewRenderer;
}

function OverviewRenderer({ model }: SceneComponentProps<OverviewScene>) {
  const styles = useStyles2(getStyles);
  const { rows, loading, error, failures, source, filters, sort, page, incident } = model.useState();
  const shown = model.shownRows();
  const namespaces = rows ? namespacesOf(rows) : [];

  return (
    <div className={styles.container}>
      <OverviewToolbar
        filters={filters}
        namespaces={namespaces}
        onChange={model.setFilters}
        onExport={shown.length > 0 ? model.exportCsv : undefined}
      >
        {loading && <LoadingPlaceholder text="Querying the mesh and the apps…" className={styles.loading} />}
        {!loading && source && <SourceNote source={source} />}
      </OverviewToolbar>
      {error && <LoadError title="The overview could not be loaded" error={error} testId={testIds.overview.error} />}
      {!error && failures.length > 0 && (
        <PartialFailures
          failures={failures}
          purposes={OVERVIEW_QUERY_PURPOSES}
          testId={testIds.overview.partialFailure}
        />
      )}
      {!error && incident && rows && rows.length > 0 && <IncidentNotes incident={incident} />}
      {!error && rows && rows.length === 0 && (
        <div data-testid={testIds.overview.empty}>
          <Alert severity="info" title="No services in this time range">
            No inbound mesh traffic (response_total with layer=&quot;mesh&quot;) and no app server metrics were found.
            Widen the time range, or run the Test on the configuration page to see which metrics are missing.
          </Alert>
        </div>
      )}
      {!error && rows && rows.length > 0 && shown.length === 0 && (
        <div data-testid={testIds.overview.noMatch}>
          <EmptyState
            variant="not-found"
            message="No service matches these filters"
            button={
              <Button variant="secondary" icon="times" onClick={model.clearFilters}>
                Clear filters
              </Button>
            }
          >
            {describeFilters(filters)} {rows.length} services were searched.
          </EmptyState>
        </div>
      )}
      {!error && shown.length > 0 && rows && (
        <OverviewTable
          rows={shown}
          total={rows.length}
          sort={sort}
          page={page}
          onSort={model.sortBy}
          onPage={model.setPage}
          incident={incident}
        />
      )}
    </div>
  );
}

/** Which series the figures come from: the raw ones or the recording rules' (docs/rules.md). */
function SourceNote({ source }: { source: OverviewSource }) {
  return (
    <Tooltip content={`Because ${source.reason}.`}>
      <span data-testid={testIds.overview.source} data-path={source.path}>
        <Text variant="bodySmall" color="secondary">
          {source.path === 'recorded' ? 'From the recording rules’ series' : 'From the raw series'}
        </Text>
      </span>
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  loading: css({ marginBottom: 0 }),
});
