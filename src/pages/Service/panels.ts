import {
  PanelBuilders,
  SceneDataTransformer,
  SceneFlexItem,
  SceneQueryRunner,
  VizPanelExploreButton,
  type CustomTransformOperator,
} from '@grafana/scenes';
import type { PanelQuery, PanelQueryOptions } from '../../query/serviceQueries';
import { getAppSettings } from '../../settings/appSettings';
import { baselineRefId, withBaselineQueries } from './behaviors/baselineQueries';

export interface ChartOptions {
  title: string;
  description: string;
  unit: string;
  queries: PanelQuery[];
  /** Percentages stay between 0 and 1 so a dip reads as a dip. */
  range?: { min: number; max: number };
  /** Renames or recolours the series (a scenes custom transformer). */
  transform?: CustomTransformOperator;
  /** A fixed colour (a Grafana colour name) per query refId. */
  colors?: Record<string, string>;
  /** What the panel says instead of "No data" (Grafana shows the `noValue` field option there). */
  noData?: string;
  /** The chart's main series (`refIds`), read earlier by `build`, drawn dashed while the page compares. */
  baseline?: { refIds: string[]; build: (options: PanelQueryOptions) => PanelQuery[] };
}

/** A Grafana time series panel over the metrics datasource: one per chart of the drill-down. */
export function timeseriesChart(options: ChartOptions): SceneFlexItem {
  const { title, description, unit, queries, range, transform, colors, noData, baseline } = options;
  const settings = getAppSettings();
  const runner = new SceneQueryRunner({
    datasource: { uid: settings.metricsDatasourceUid },
    queries: queries.map((q) => ({ ...q, range: true, instant: false })),
    maxDataPoints: 300,
    $behaviors: baseline
      ? [
          withBaselineQueries(queries, (offsetSeconds) =>
            baseline.build({ offsetSeconds }).filter((q) => baseline.refIds.includes(q.refId))
          ),
        ]
      : undefined,
  });
  const builder = PanelBuilders.timeseries()
    .setTitle(title)
    .setDescription(description)
    .setUnit(unit)
    .setCustomFieldConfig('fillOpacity', 8)
    // Rates, shares and durations start at zero: an auto-ranged axis turns a 0.2 % wobble into a zigzag.
    .setCustomFieldConfig('axisSoftMin', 0)
    // Grafana's own "Explore" button: the panel's queries over its range, interpolated as the panel ran them.
    .setHeaderActions([new VizPanelExploreButton()])
    .setData(transform ? new SceneDataTransformer({ $data: runner, transformations: [transform] }) : runner);
  if (range) {
    builder.setMin(range.min).setMax(range.max);
  }
  if (noData) {
    builder.setNoValue(noData);
  }
  builder.setOverrides((overrides) => {
    for (const [refId, fixedColor] of Object.entries(colors ?? {})) {
      overrides.matchFieldsByQuery(refId).overrideColor({ mode: 'fixed', fixedColor });
    }
    // The earlier window: the same series dashed, in its colour where it has a fixed one.
    for (const refId of baseline?.refIds ?? []) {
      const earlier = overrides
        .matchFieldsByQuery(baselineRefId(refId))
        .overrideCustomFieldConfig('lineStyle', { fill: 'dash', dash: [6, 4] })
        .overrideCustomFieldConfig('fillOpacity', 0);
      if (colors?.[refId]) {
        earlier.overrideColor({ mode: 'fixed', fixedColor: colors[refId] });
      }
    }
  });
  return new SceneFlexItem({ minHeight: 280, body: builder.build() });
}
