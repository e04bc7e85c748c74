import React from 'react';
import type { DataFrame, Field, PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

function column(frame: DataFrame | undefined, name: string): unknown[] {
  return frame?.fields.find((f) => f.name === name)?.values ?? [];
}

const NODE_RADIUS = 16;

/** A point on the node's circle, `share` of the way round clockwise from the top. */
function onCircle(x: number, y: number, share: number) {
  return { x: x + Math.sin(2 * Math.PI * share) * NODE_RADIUS, y: y - Math.cos(2 * Math.PI * share) * NODE_RADIUS };
}

/**
 * The ring as Grafana's node graph draws it (public/app/plugins/panel/nodeGraph/Node.tsx `ColorCircle`): the
 * `arc__*` fields' values in order round the circle, each in its field's fixed colour; a full circle for a value of 1.
 */
function Ring({ arcs, row, x, y }: { arcs: Field[]; row: number; x: number; y: number }) {
  const theme = useTheme2();
  const color = (f: Field) => theme.visualization.getColorByName(f.config.color?.fixedColor ?? '');
  const full = arcs.find((f) => f.values[row] >= 1);
  if (full) {
    return (
      <circle data-arc={full.name} cx={x} cy={y} r={NODE_RADIUS} fill="none" stroke={color(full)} strokeWidth={3} />
    );
  }
  const sections = arcs.filter((f) => f.values[row] > 0);
  const starts = sections.map((_, i) => sections.slice(0, i).reduce((sum, f) => sum + f.values[row], 0));
  return (
    <>
      {sections.map((f, i) => {
        const share = Math.min(f.values[row], 1 - starts[i]);
        const from = onCircle(x, y, starts[i]);
        const to = onCircle(x, y, starts[i] + share);
        return (
          <path
            key={f.name}
            data-arc={f.name}
            d={`M ${from.x} ${from.y} A ${NODE_RADIUS} ${NODE_RADIUS} 0 ${share > 0.5 ? 1 : 0} 1 ${to.x} ${to.y}`}
            fill="none"
            stroke={color(f)}
            strokeWidth={3}
          />
        );
      })}
    </>
  );
}

/**
 * Grafana's node graph is a core panel: the preview draws the same two frames as a ring of nodes, each with its arcs,
 * and straight edges in the edge's `color` (used as given, as Grafana's `Edge.tsx` does), with the arcs' legend.
 */
export function NodeGraphStandIn({ data, width, height }: PanelProps) {
  const theme = useTheme2();
  const nodes = data.series.find((f) => f.name === 'nodes');
  const edges = data.series.find((f) => f.name === 'edges');
  const ids = column(nodes, 'id') as string[];
  const titles = column(nodes, 'title') as string[];
  const arcs = nodes?.fields.filter((f) => f.name.startsWith('arc__')) ?? [];
  const legendHeight = arcs.length > 0 ? 24 : 0;
  const graphHeight = height - legendHeight;
  const radius = Math.max(40, Math.min(width, graphHeight) / 2 - 40);
  const at = new Map(
    ids.map((id, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, ids.length) - Math.PI / 2;
      return [id, { x: width / 2 + radius * Math.cos(angle), y: graphHeight / 2 + radius * Math.sin(angle) }];
    })
  );
  return (
    <div>
      <svg width={width} height={graphHeight} role="img" aria-label="Service map">
        {(column(edges, 'source') as string[]).map((source, i) => {
          const from = at.get(source);
          const target = (column(edges, 'target') as string[])[i];
          const to = at.get(target);
          const color = (column(edges, 'color') as string[])[i] || '#999';
          return from && to ? (
            <line
              key={i}
              aria-label={`Edge from: ${source} to: ${target}`}
              x1={from.x}
              y1={from.y}
              x2={to.x}
              y2={to.y}
              stroke={color}
              strokeWidth={2}
              opacity={0.7}
            />
          ) : null;
        })}
        {ids.map((id, i) => {
          const p = at.get(id)!;
          return (
            <g key={id} data-node-id={id} aria-label={`Node: ${titles[i]}`}>
              <circle cx={p.x} cy={p.y} r={NODE_RADIUS} fill={theme.colors.background.secondary} />
              <Ring arcs={arcs} row={i} x={p.x} y={p.y} />
              <text x={p.x} y={p.y + 30} textAnchor="middle" fill={theme.colors.text.primary} fontSize={11}>
                {titles[i]}
              </text>
            </g>
          );
        })}
      </svg>
      <div style={{ display: 'flex', gap: 12, height: legendHeight, alignItems: 'center', fontSize: 12 }}>
        {arcs.map((f) => (
          <span key={f.name} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span
              style={{
                width: 14,
                height: 4,
                background: theme.visualization.getColorByName(f.config.color?.fixedColor ?? ''),
              }}
            />
            {f.config.displayName ?? f.name}
          </span>
        ))}
      </div>
    </div>
  );
}
