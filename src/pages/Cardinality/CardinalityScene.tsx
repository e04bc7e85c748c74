import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Button, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import {
  fetchCardinality,
  fetchDropPlan,
  type CardinalityReport,
  type DropPlan,
  type DropSelection,
} from '../../cardinality';
import { testIds } from '../../testIds';
import { errorMessage, metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { meshMatchers } from '../../query/schema';
import { formatCount } from '../../components/formatCount';
import { LoadError } from '../../components/LoadError';
import { FamilyTable } from './FamilyTable';
import { MeasurementGaps } from './MeasurementGaps';
import { MeshSideCosts } from './MeshSideCosts';
import { DropChooser } from './DropChooser';
import { SnippetPanel } from './SnippetPanel';

export interface CardinalitySceneState extends SceneObjectState {
  report?: CardinalityReport;
  loading: boolean;
  error?: string;
  selection: DropSelection;
  plan?: DropPlan;
  planError?: string;
}

const EMPTY_SELECTION: DropSelection = { labels: [], families: [] };

/** What the kept families cost in series and samples, and what dropping labels or families would save. */
export class CardinalityScene extends SceneObjectBase<CardinalitySceneState> {
  private planId = 0;

  constructor(state: Partial<CardinalitySceneState> = {}) {
    super({ loading: true, selection: EMPTY_SELECTION, ...state });
    this.addActivationHandler(() => {
      void this.load();
    });
  }

  async load() {
    this.setState({ loading: true, error: undefined });
    try {
      const settings = getAppSettings();
      const report = await fetchCardinality(metricsApi(), {
        settings,
        mesh: meshMatchers(settings),
        timeSeconds: Math.floor(Date.now() / 1000),
      });
      this.setState({ loading: false, report });
      void this.plan(this.state.selection);
    } catch (error) {
      this.setState({ loading: false, error: errorMessage(error) });
    }
  }

  /** The saving of a selection: exact, from the store's own label combinations. */
  async plan(selection: DropSelection) {
    const id = ++this.planId;
    this.setState({ selection, planError: undefined });
    const { report } = this.state;
    if (!report) {
      return;
    }
    try {
      const plan = await fetchDropPlan(metricsApi(), report, selection, { mesh: meshMatchers(getAppSettings()) });
      if (id === this.planId) {
        this.setState({ plan });
      }
    } catch (error) {
      if (id === this.planId) {
        this.setState({ plan: undefined, planError: errorMessage(error) });
      }
    }
  }

  static Component = CardinalityRenderer;
}

function Totals({ report }: { report: CardinalityReport }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.totals}>
      {(['mesh', 'app'] as const).map((layer) => {
        const t = report.totals[layer];
        const unmeasured = report.gaps.some((g) => g.layer === layer && !g.family);
        return (
          <div
            key={layer}
            className={styles.total}
            data-testid={testIds.cardinality.total(layer)}
            data-series={unmeasured ? '' : t.series}
          >
            <Text element="p" color="secondary">
              {layer === 'mesh' ? 'Mesh layer' : 'App layer'} ({t.families} families, every{' '}
              {report.intervalSeconds[layer]} s)
            </Text>
            <Text element="p" variant="h3">
              {unmeasured ? 'Not measured' : `${formatCount(t.series)} series`}
            </Text>
            {!unmeasured && (
              <Text element="p" color="secondary">
                {formatCount(t.samplesPerMinute)} samples/min; {formatCount(t.unusedSeries)} series in families no view
                reads
              </Text>
            )}
          </div>
        );
      })}
    </div>
  );
}

function CardinalityRenderer({ model }: SceneComponentProps<CardinalityScene>) {
  const { report, loading, error, selection, plan, planError } = model.useState();
  if (error) {
    return (
      <LoadError
        title="The cardinality budget could not be measured"
        error={error}
        testId={testIds.cardinality.error}
        action={
          <Button variant="secondary" icon="sync" onClick={() => model.load()}>
            Measure again
          </Button>
        }
      />
    );
  }
  if (loading && !report) {
    return <LoadingPlaceholder text="Counting series per family and label…" />;
  }
  if (!report) {
    return null;
  }
  if (report.families.length === 0) {
    return report.gaps.length > 0 ? (
      <MeasurementGaps gaps={report.gaps} />
    ) : (
      <Alert severity="info" title="None of the kept families has active series">
        No mesh or app family the views read was found in the store. Run the Test on the configuration page to see what
        is missing.
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={3}>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <Text color="secondary">
          Measured with {report.requests} requests to the store, whatever its number of series.
        </Text>
        <Button variant="secondary" icon="sync" onClick={() => model.load()} disabled={loading}>
          Measure again
        </Button>
      </Stack>
      <MeasurementGaps gaps={report.gaps} />
      <Totals report={report} />
      <MeshSideCosts report={report} />
      <DropChooser report={report} selection={selection} plan={plan} onChange={(s) => model.plan(s)} />
      {planError && (
        <Alert severity="error" title="The saving could not be computed">
          {planError}
        </Alert>
      )}
      <SnippetPanel report={report} selection={selection} plan={plan} />
      <FamilyTable report={report} />
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  totals: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: theme.spacing(2) }),
  total: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
