import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  type SceneComponentProps,
  type SceneObjectState,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { Alert, Icon, InlineField, InlineSwitch, Input, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import { runOverview, type QueryFailure } from '../../boundary/runOverview';
import type { OverviewRefId } from '../../query/overviewQueries';
import type { ServiceRow } from '../../boundary/types';
import { NamespacePicker } from '../../components/NamespacePicker';
import { testIds } from '../../components/testIds';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { filterRows, namespacesOf, type SortOrder } from './overviewFilters';
import { OverviewTable } from './OverviewTable';

export interface OverviewSceneState extends SceneObjectState {
  rows?: ServiceRow[];
  loading: boolean;
  error?: string;
  /** Queries that failed while the others answered: their figures are missing, the rest is shown. */
  failures: Array<QueryFailure<OverviewRefId>>;
  namespace?: string;
  flaggedOnly: boolean;
  search: string;
  sort: SortOrder;
  page: number;
}

const URL_KEYS = ['namespace', 'flagged', 'search'];

/** The services table: the overview's fixed set of queries, joined and flagged in the browser. */
export class OverviewScene extends SceneObjectBase<OverviewSceneState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: URL_KEYS });

  constructor(state: Partial<OverviewSceneState> = {}) {
    super({
      loading: true,
      failures: [],
      flaggedOnly: false,
      search: '',
      sort: { key: 'severity', descending: true },
      page: 0,
      ...state,
    });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    return loadOnTimeRange(
      this,
      (window, signal) => runOverview(metricsApi(), getAppSettings(), window, { signal }),
      ({ loading, value, error }) =>
        this.setState(
          loading ? { loading, error } : { loading, error, rows: value?.rows, failures: value?.failures ?? [] }
        )
    );
  }

  getUrlState(): SceneObjectUrlValues {
    return {
      namespace: this.state.namespace ?? null,
      flagged: this.state.flaggedOnly ? 'true' : null,
      search: this.state.search || null,
    };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const text = (v: SceneObjectUrlValues[string]) => (typeof v === 'string' ? v : undefined);
    this.setState({
      namespace: text(values.namespace) || undefined,
      flaggedOnly: values.flagged === 'true',
      search: text(values.search) ?? '',
      page: 0,
    });
  }

  setNamespace = (namespace?: string) => this.setState({ namespace, page: 0 });
  setFlaggedOnly = (flaggedOnly: boolean) => this.setState({ flaggedOnly, page: 0 });
  setSearch = (search: string) => this.setState({ search, page: 0 });
  setSort = (sort: SortOrder) => this.setState({ sort, page: 0 });
  setPage = (page: number) => this.setState({ page });

  static Component = OverviewRenderer;
}

function OverviewRenderer({ model }: SceneComponentProps<OverviewScene>) {
  const styles = useStyles2(getStyles);
  const { rows, loading, error, failures, namespace, flaggedOnly, search, sort, page } = model.useState();
  const visible = rows ? filterRows(rows, { namespace, flaggedOnly, search }) : [];
  const namespaces = rows ? namespacesOf(rows) : [];

  return (
    <div className={styles.container}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <NamespacePicker namespaces={namespaces} value={namespace} onChange={model.setNamespace} />
        <InlineField label="Flagged only">
          <InlineSwitch value={flaggedOnly} onChange={(e) => model.setFlaggedOnly(e.currentTarget.checked)} />
        </InlineField>
        <Input
          width={32}
          prefix={<Icon name="search" />}
          placeholder="Search services"
          aria-label="Search services"
          value={search}
          onChange={(e) => model.setSearch(e.currentTarget.value)}
        />
        {loading && <LoadingPlaceholder text="Querying the mesh and the apps…" className={styles.loading} />}
      </Stack>
      {error && (
        <div data-testid={testIds.overview.error}>
          <Alert severity="error" title="The overview could not be loaded">
            {error}. Check the metrics datasource on the configuration page.
          </Alert>
        </div>
      )}
      {!error && failures.length > 0 && <PartialFailures failures={failures} />}
      {!error && rows && rows.length === 0 && (
        <div data-testid={testIds.overview.empty}>
          <Alert severity="info" title="No services in this time range">
            No inbound mesh traffic (response_total with layer=&quot;mesh&quot;) and no app server metrics were found.
            Widen the time range, or run the Test on the configuration page to see which metrics are missing.
          </Alert>
        </div>
      )}
      {!error && rows && rows.length > 0 && (
        <OverviewTable
          rows={visible}
          total={rows.length}
          sort={sort}
          page={page}
          onSort={model.setSort}
          onPage={model.setPage}
        />
      )}
    </div>
  );
}

/** What each overview query brings, so a failed one can say which figures are missing. */
const QUERY_PURPOSE: Record<OverviewRefId, string> = {
  meshResponses: 'the mesh layer (rates, success, the gRPC trap); coverage cannot be told',
  meshLatency: 'mesh latency and time outside the app',
  meshCallers: 'the callers’ view (the gRPC trap on proxies that do not classify inbound gRPC)',
  appRequests: 'the app layer (rates, success); coverage cannot be told',
  appLatency: 'app latency and time outside the app',
};

function PartialFailures({ failures }: { failures: Array<QueryFailure<OverviewRefId>> }) {
  return (
    <div data-testid={testIds.overview.partialFailure}>
      <Alert severity="warning" title="Some figures could not be loaded">
        <ul>
          {failures.map((failure) => (
            <li key={failure.refId} data-refid={failure.refId}>
              Missing {QUERY_PURPOSE[failure.refId]}: {failure.message}
            </li>
          ))}
        </ul>
        The figures shown come from the queries that answered.
      </Alert>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  loading: css({ marginBottom: 0 }),
});
