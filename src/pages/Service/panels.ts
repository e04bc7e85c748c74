import { PanelBuilders, SceneFlexItem, SceneQueryRunner } from '@grafana/scenes';
import type { PanelQuery } from '../../query/serviceQueries';
import { getAppSettings } from '../../settings/appSettings';

export interface ChartOptions {
  title: string;
  description: string;
  unit: string;
  queries: PanelQuery[];
  /** Percentages stay between 0 and 1 so a dip reads as a dip. */
  range?: { min: number; max: number };
}

/** A Grafana time series panel over the metrics datasource: one per chart of the drill-down. */
export function timeseriesChart({ title, description, unit, queries, range }: ChartOptions): SceneFlexItem {
  const settings = getAppSettings();
  const builder = PanelBuilders.timeseries()
    .setTitle(title)
    .setDescription(description)
    .setUnit(unit)
    .setCustomFieldConfig('fillOpacity', 8)
    .setData(
      new SceneQueryRunner({
        datasource: { uid: settings.metricsDatasourceUid },
        queries: queries.map((q) => ({ ...q, range: true, instant: false })),
        maxDataPoints: 300,
      })
    );
  if (range) {
    builder.setMin(range.min).setMax(range.max);
  }
  return new SceneFlexItem({ minHeight: 280, body: builder.build() });
}
