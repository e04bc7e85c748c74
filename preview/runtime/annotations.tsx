import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type uPlot from 'uplot';
import { colorManipulator, type DataFrame } from '@grafana/data';
import { useTheme2, type UPlotConfigBuilder } from '@grafana/ui';

/** The annotations of one time, as the panel reads them from the annotation frames (field by name). */
interface Annotation {
  time: number;
  timeEnd?: number;
  isRegion: boolean;
  color?: string;
  title?: string;
}

function annotationsOf(frames: DataFrame[]): Annotation[] {
  return frames.flatMap((frame) => {
    const field = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    const times = field('time') ?? [];
    return times.map((time: number, i: number) => ({
      time,
      timeEnd: field('timeEnd')?.[i] ?? undefined,
      isRegion: !!field('isRegion')?.[i],
      color: field('color')?.[i],
      title: field('title')?.[i],
    }));
  });
}

/**
 * Draws annotations as Grafana's time series panel does (grafana `public/app/plugins/panel/timeseries/plugins/
 * AnnotationsPlugin2.tsx`): a dashed vertical line per annotation and a shaded region to its end, on the plot's
 * canvas, and a marker per annotation under the plot, titled with the annotation's title.
 */
export function AnnotationsStandIn({ config, annotations }: { config: UPlotConfigBuilder; annotations: DataFrame[] }) {
  const theme = useTheme2();
  const [plot, setPlot] = useState<uPlot>();
  const list = useMemo(() => annotationsOf(annotations), [annotations]);
  // The draw hook is registered once per plot config; it reads the latest annotations through this ref.
  const current = useRef<Annotation[]>(list);
  useLayoutEffect(() => {
    current.current = list;
    plot?.redraw();
  }, [list, plot]);

  useLayoutEffect(() => {
    config.addHook('ready', (u) => setPlot(u));
    config.addHook('draw', (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      ctx.lineWidth = 2;
      ctx.setLineDash([5, 5]);
      for (const a of current.current) {
        const color = theme.visualization.getColorByName(a.color ?? 'blue');
        const x0 = u.valToPos(a.time, 'x', true);
        ctx.strokeStyle = color;
        ctx.beginPath();
        ctx.moveTo(x0, u.bbox.top);
        ctx.lineTo(x0, u.bbox.top + u.bbox.height);
        ctx.stroke();
        if (a.isRegion && a.timeEnd !== undefined) {
          const x1 = u.valToPos(a.timeEnd, 'x', true);
          ctx.fillStyle = colorManipulator.alpha(color, 0.1);
          ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
        }
      }
      ctx.restore();
    });
  }, [config, theme]);

  if (!plot) {
    return null;
  }
  const markers = list
    .map((a) => ({ a, left: Math.round(plot.valToPos(a.time, 'x')) }))
    .filter(({ left }) => left >= 0 && left <= plot.rect.width)
    .map(({ a, left }) => (
      <div
        key={`${a.time}-${a.title}`}
        title={a.title}
        data-annotation-time={a.time}
        style={{
          position: 'absolute',
          left,
          bottom: 0,
          width: 0,
          height: 0,
          borderLeft: '5px solid transparent',
          borderRight: '5px solid transparent',
          borderBottom: `5px solid ${theme.visualization.getColorByName(a.color ?? 'blue')}`,
          transform: 'translateX(-50%)',
        }}
      />
    ));
  return createPortal(markers, plot.over);
}
