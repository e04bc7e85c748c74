import React from 'react';
import { applyFieldOverrides, FieldColorModeId, FieldType, type PanelProps } from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { Alert, TimeSeries, useTheme2 } from '@grafana/ui';
import { AnnotationsStandIn } from './annotations';
import { NodeGraphStandIn } from './NodeGraphStandIn';

/**
 * Grafana core's panels are not published as packages; the preview draws their data with @grafana/ui.
 * The plugin itself always asks for Grafana's real panels by id.
 */
const TIMESERIES_DEFAULTS = {
  drawStyle: 'line',
  lineWidth: 1,
  fillOpacity: 0,
  showPoints: 'never',
  spanNulls: false,
  axisPlacement: 'auto',
};

function TimeSeriesStandIn({ data, width, height, timeZone, fieldConfig, replaceVariables }: PanelProps) {
  const theme = useTheme2();
  // Grafana applies the panel's field config, over the time series panel's own defaults, before it draws.
  const withDefaults = {
    ...fieldConfig,
    defaults: {
      color: { mode: FieldColorModeId.PaletteClassic },
      ...fieldConfig.defaults,
      custom: { ...TIMESERIES_DEFAULTS, ...fieldConfig.defaults.custom },
    },
  };
  const frames = applyFieldOverrides({
    data: data.series,
    fieldConfig: withDefaults,
    replaceVariables,
    theme,
    timeZone,
  }).filter((frame) => frame.fields.some((f) => f.type === FieldType.time));
  if (frames.length === 0) {
    // Grafana's PanelDataErrorView (public/app/features/panel/components/PanelDataErrorView.tsx) says the panel's
    // "No value" option instead of "No data" when one is set.
    return <Alert severity="info" title={fieldConfig.defaults.noValue ?? 'No data'} />;
  }
  return (
    <TimeSeries
      frames={frames}
      width={width}
      height={height}
      timeRange={data.timeRange}
      timeZone={timeZone}
      legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
    >
      {(config) => <AnnotationsStandIn config={config} annotations={data.annotations ?? []} />}
    </TimeSeries>
  );
}

function Unsupported() {
  return <Alert severity="info" title="This panel is drawn by Grafana itself and is not available in the preview" />;
}

export const previewPanels: Record<string, React.ComponentType<PanelProps>> = {
  timeseries: TimeSeriesStandIn,
  nodeGraph: NodeGraphStandIn,
  unsupported: Unsupported,
};
