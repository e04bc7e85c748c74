import { createTheme, type DataFrame } from '@grafana/data';
import { matchRoutes } from 'react-router-dom';
import { UNIDENTIFIED_NODE, type ServiceMap } from '../../boundary/serviceMap';
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { readServiceParams } from '../../components/ServiceLink/servicePath';
import { mapFrames, mapLegend } from './mapFrames';

// Grafana's locationService runs on history v4, which ships no types: the part of it used here.
const { createMemoryHistory } = jest.requireActual<{
  createMemoryHistory(): { push(path: string): void; replace(path: string): void; location: { pathname: string } };
}>('history');

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

describe('map node links', () => {
  const nodes: ServiceMap['nodes'] = [
    { id: 'shop/payments', namespace: 'shop', name: 'payments', kind: 'workload', flags: [] },
    { id: 'email', namespace: '', name: 'email', kind: 'workload', flags: [] },
    { id: 'a b/x?y#z', namespace: 'a b', name: 'x?y#z %41', kind: 'workload', flags: [] },
    { id: UNIDENTIFIED_NODE, namespace: '', name: UNIDENTIFIED_NODE, kind: 'outside', flags: [] },
  ];

  /** Grafana's data links: each `${__data.fields.<name>}` becomes the row's value, URI-encoded (fieldOverrides.ts). */
  function links(): string[] {
    const [frame] = mapFrames({ nodes, edges: [] }, theme);
    const template = field(frame, 'id').config.links![0].url;
    return nodes.map((_, row) =>
      template.replace(/\$\{__data\.fields\.(\w+)\}/g, (_match, name: string) =>
        encodeURIComponent(String(field(frame, name).values[row]))
      )
    );
  }

  /** What a link opens: the URL parser, history's decodeURI on the push and on scenes' replace, the route. */
  function opened(url: string) {
    const history = createMemoryHistory();
    history.push(new URL(url, 'http://grafana').pathname);
    history.replace(history.location.pathname);
    const route = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/:namespace/:service/*`;
    const match = matchRoutes([{ path: route }], history.location.pathname);
    return match ? readServiceParams(match[0].params) : `no drill-down route matches ${url}`;
  }

  it('open the drill-down of each node, with or without namespace, whatever its name', () => {
    expect(links().map(opened)).toEqual(nodes.map((n) => ({ namespace: n.namespace, service: n.name })));
  });
});
