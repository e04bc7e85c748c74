import React from 'react';
import { FieldType, type PanelProps } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { Alert, TimeSeries } from '@grafana/ui';

/**
 * Grafana core's panels are not published as packages; the preview draws their data with @grafana/ui.
 * The plugin itself always asks for Grafana's real panels by id.
 */
function TimeSeriesStandIn({ data, width, height, timeZone }: PanelProps) {
  const frames = data.series.filter((frame) => frame.fields.some((f) => f.type === FieldType.time));
  if (frames.length === 0) {
    return <Alert severity="info" title="No data" />;
  }
  return (
    <TimeSeries
      frames={frames}
      width={width}
      height={height}
      timeRange={data.timeRange}
      timeZone={timeZone}
      legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
    />
  );
}

function Unsupported() {
  return <Alert severity="info" title="This panel is drawn by Grafana itself and is not available in the preview" />;
}

export const previewPanels: Record<string, React.ComponentType<PanelProps>> = {
  timeseries: TimeSeriesStandIn,
  unsupported: Unsupported,
};
