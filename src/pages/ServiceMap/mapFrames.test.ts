import { createTheme, type DataFrame } from '@grafana/data';
import type { ServiceMap } from '../../boundary/serviceMap';
import { mapFrames, mapLegend } from './mapFrames';

const theme = createTheme();
const MAP: ServiceMap = {
  nodes: [
    {
      id: 'shop/payments',
      namespace: 'shop',
      name: 'payments',
      kind: 'workload',
      rps: 40,
      successRate: 0.92,
      flags: ['grpc-trap'],
    },
    {
      id: 'shop/search',
      namespace: 'shop',
      name: 'search',
      kind: 'workload',
      rps: 20,
      successRate: 1,
      flags: ['boundary-latency', 'disagreement', 'coverage'],
    },
    { id: 'shop/web', namespace: 'shop', name: 'web', kind: 'workload', rps: 50, successRate: 1, flags: [] },
  ],
  edges: [
    {
      id: 'shop/web->shop/payments',
      source: 'shop/web',
      target: 'shop/payments',
      rps: 32,
      successRate: 0.949951,
      sharedWith: [],
      match: 'service-account',
    },
    {
      id: 'shop/web->shop/search',
      source: 'shop/web',
      target: 'shop/search',
      rps: 20,
      successRate: 0.949949,
      sharedWith: [],
      match: 'service-account',
    },
  ],
};

const field = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)!;

describe('map frames', () => {
  const [nodes, edges] = mapFrames(MAP, theme);

  it('rings each node with one equal arc per flag kind it carries, and a grey ring without flags', () => {
    const arcs = (row: number) =>
      Object.fromEntries(
        nodes.fields.filter((f) => f.name.startsWith('arc__') && f.values[row] > 0).map((f) => [f.name, f.values[row]])
      );
    expect(arcs(0)).toEqual({ 'arc__grpc-trap': 1 });
    expect(arcs(1)).toEqual({
      'arc__boundary-latency': 1 / 3,
      arc__disagreement: 1 / 3,
      arc__coverage: 1 / 3,
    });
    expect(arcs(2)).toEqual({ arc__none: 1 });
  });

  it('colours and names each arc as the legend does, from the theme', () => {
    for (const entry of mapLegend(theme)) {
      const arc = field(nodes, `arc__${entry.id}`);
      expect(arc.config.color?.fixedColor).toBe(entry.color);
      expect(arc.config.displayName).toBe(entry.name);
    }
    expect(field(nodes, 'arc__grpc-trap').config.color?.fixedColor).toBe(theme.visualization.getColorByName('red'));
    expect(field(nodes, 'arc__coverage').config.displayName).toBe('Not instrumented');
  });

  it('colours edges by their success as displayed: 95.00 % is degraded, 94.99 % failing', () => {
    expect(field(edges, 'color').values).toEqual([
      theme.visualization.getColorByName('orange'),
      theme.visualization.getColorByName('red'),
    ]);
    expect(field(edges, 'secondarystat').config.decimals).toBe(2);
  });
});
