import {
  PanelBuilders,
  SceneDataTransformer,
  SceneFlexItem,
  SceneQueryRunner,
  VizPanelExploreButton,
  type CustomTransformOperator,
} from '@grafana/scenes';
import type { PanelQuery } from '../../query/serviceQueries';
import { getAppSettings } from '../../settings/appSettings';

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
}

/** A Grafana time series panel over the metrics datasource: one per chart of the drill-down. */
export function timeseriesChart(options: ChartOptions): SceneFlexItem {
  const { title, description, unit, queries, range, transform, colors, noData } = options;
  const settings = getAppSettings();
  const runner = new SceneQueryRunner({
    datasource: { uid: settings.metricsDatasourceUid },
    queries: queries.map((q) => ({ ...q, range: true, instant: false })),
    maxDataPoints: 300,
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
  if (colors) {
    builder.setOverrides((overrides) => {
      for (const [refId, fixedColor] of Object.entries(colors)) {
        overrides.matchFieldsByQuery(refId).overrideColor({ mode: 'fixed', fixedColor });
      }
    });
  }
  return new SceneFlexItem({ minHeight: 280, body: builder.build() });
}
