import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import {
  FieldColorModeId,
  FieldType,
  getMinMaxAndDelta,
  type Field,
  type FieldConfig,
  type GrafanaTheme2,
} from '@grafana/data';
import { GraphDrawStyle, LineInterpolation, type GraphFieldConfig } from '@grafana/schema';
import { Sparkline, Text, useStyles2, useTheme2 } from '@grafana/ui';
import type { RowTimeline, TrendFigure } from '../../boundary/types';
import { testIds } from '../../testIds';
import { FLAG_FACTS } from '../../boundary/flags';

/** What each trend draws, in words and Grafana's unit. */
export const TREND_FIGURES: Record<TrendFigure, { title: string; unit: string }> = {
  'grpc-trap-share': { title: 'Share failed behind HTTP 200', unit: 'percentunit' },
  'outside-app-mean': { title: 'Time outside the app (mean)', unit: 'ms' },
  'success-gap': { title: 'Mesh and app success apart', unit: 'percentunit' },
  'rate-factor': { title: 'Mesh and app request rates apart (×)', unit: 'none' },
  'mesh-rps': { title: 'Mesh requests per second', unit: 'reqps' },
  'app-rps': { title: 'App requests per second', unit: 'reqps' },
};

const WIDTH = 96;
const HEIGHT = 24;

interface Props {
  timeline?: RowTimeline;
  /** The row has flags whose timeline is still loading. */
  loading: boolean;
}

/**
 * The figure behind a row's worst flag over the range, one point per query step, in Grafana's sparkline. Readable
 * without the drawing: `data-figure` and `data-points` (the values, base units, empty where a step had none).
 */
export function TrendCell({ timeline, loading }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const sparkline = useMemo(() => (timeline ? sparklineOf(timeline) : undefined), [timeline]);
  if (!timeline || !sparkline) {
    return loading ? <Text color="secondary">…</Text> : null;
  }
  const figure = TREND_FIGURES[timeline.figure];
  const config: FieldConfig<GraphFieldConfig> = {
    color: {
      mode: FieldColorModeId.Fixed,
      fixedColor: theme.visualization.getColorByName(FLAG_FACTS[timeline.flag].color),
    },
    custom: {
      drawStyle: GraphDrawStyle.Line,
      lineInterpolation: LineInterpolation.Linear,
      lineWidth: 1,
      fillOpacity: 15,
    },
  };
  return (
    <div
      className={styles.cell}
      title={`${figure.title} over the range`}
      data-testid={testIds.timeline.trend}
      data-worst-flag={timeline.flag}
      data-figure={timeline.figure}
      data-points={timeline.points.map(([, v]) => (v === undefined ? '' : String(v))).join(' ')}
    >
      <Sparkline width={WIDTH} height={HEIGHT} sparkline={sparkline} config={config} theme={theme} />
    </div>
  );
}

function sparklineOf(timeline: RowTimeline): { x: Field; y: Field } | undefined {
  if (timeline.points.every(([, v]) => v === undefined)) {
    return undefined;
  }
  const times = timeline.points.map(([t]) => t);
  const y: Field = {
    name: TREND_FIGURES[timeline.figure].title,
    type: FieldType.number,
    values: timeline.points.map(([, v]) => (v === undefined ? null : v)),
    config: { unit: TREND_FIGURES[timeline.figure].unit },
  };
  const range = getMinMaxAndDelta(y);
  // From zero up: a flat figure with counting noise stays flat, a jump from nothing stands out.
  y.config.min = Math.min(0, range.min ?? 0);
  y.config.max = Math.max(range.max ?? 0, y.config.min + Number.EPSILON);
  y.state = { range };
  const x: Field = {
    name: 'Time',
    type: FieldType.time,
    values: times,
    config: { interval: times.length > 1 ? times[1] - times[0] : undefined },
  };
  return { x, y };
}

const getStyles = (theme: GrafanaTheme2) => ({
  cell: css({ width: WIDTH, height: HEIGHT, lineHeight: 0, marginTop: theme.spacing(-0.25) }),
});
