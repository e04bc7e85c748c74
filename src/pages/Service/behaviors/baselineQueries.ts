import type { SceneQueryRunner } from '@grafana/scenes';
import type { PanelQuery } from '../../../query/serviceQueries';
import { compareControlOf } from '../../../scenes/CompareControl';
import { baselineLabel } from '../../../components/IncidentNotes';

/** The refId of a query's baseline: the same query read earlier. */
export function baselineRefId(refId: string): string {
  return `${refId}_earlier`;
}

/**
 * Behavior of a chart's query runner: while the page compares with an earlier window, the chart also draws its
 * main series that much earlier (`earlier(offsetSeconds)`, PromQL `offset`), named so in the legend. Turning the
 * comparison on or off runs the chart's queries again.
 */
export function withBaselineQueries(main: PanelQuery[], earlier: (offsetSeconds: number) => PanelQuery[]) {
  return (runner: SceneQueryRunner) => {
    const control = compareControlOf(runner);
    if (!control) {
      return;
    }
    const apply = () => {
      const seconds = control.seconds();
      const baseline = seconds
        ? earlier(seconds).map((q) => ({
            ...q,
            refId: baselineRefId(q.refId),
            legendFormat: `${q.legendFormat} (${baselineLabel(seconds)})`,
          }))
        : [];
      runner.setState({ queries: [...main, ...baseline].map((q) => ({ ...q, range: true, instant: false })) });
      runner.runQueries();
    };
    if (control.seconds()) {
      apply();
    }
    const subscription = control.subscribeToState((next, previous) => {
      if (next.compare !== previous.compare) {
        apply();
      }
    });
    return () => subscription.unsubscribe();
  };
}
