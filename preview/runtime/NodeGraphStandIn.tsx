import React from 'react';
import type { DataFrame, PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

function column(frame: DataFrame | undefined, name: string): unknown[] {
  return frame?.fields.find((f) => f.name === name)?.values ?? [];
}

/**
 * Grafana's node graph is a core panel: the preview draws the same two frames as a ring of nodes and straight
 * edges coloured by the edge's `color` field, enough to see the map and its colours.
 */
export function NodeGraphStandIn({ data, width, height }: PanelProps) {
  const theme = useTheme2();
  const nodes = data.series.find((f) => f.name === 'nodes');
  const edges = data.series.find((f) => f.name === 'edges');
  const ids = column(nodes, 'id') as string[];
  const titles = column(nodes, 'title') as string[];
  const failure = column(nodes, 'arc__failure') as number[];
  const radius = Math.max(40, Math.min(width, height) / 2 - 60);
  const at = new Map(
    ids.map((id, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, ids.length) - Math.PI / 2;
      return [id, { x: width / 2 + radius * Math.cos(angle), y: height / 2 + radius * Math.sin(angle) }];
    })
  );
  const colors: Record<string, string> = {
    green: theme.colors.success.main,
    orange: theme.colors.warning.main,
    red: theme.colors.error.main,
    gray: theme.colors.text.disabled,
  };
  return (
    <svg width={width} height={height} role="img" aria-label="Service map">
      {(column(edges, 'source') as string[]).map((source, i) => {
        const from = at.get(source);
        const to = at.get((column(edges, 'target') as string[])[i]);
        const color = colors[(column(edges, 'color') as string[])[i]] ?? colors.gray;
        return from && to ? (
          <line key={i} x1={from.x} y1={from.y} x2={to.x} y2={to.y} stroke={color} strokeWidth={2} opacity={0.7} />
        ) : null;
      })}
      {ids.map((id, i) => {
        const p = at.get(id)!;
        const failing = (failure[i] ?? 0) > 0.01;
        return (
          <g key={id}>
            <circle
              cx={p.x}
              cy={p.y}
              r={16}
              fill={theme.colors.background.secondary}
              stroke={failing ? colors.red : colors.green}
              strokeWidth={3}
            />
            <text x={p.x} y={p.y + 30} textAnchor="middle" fill={theme.colors.text.primary} fontSize={11}>
              {titles[i]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
