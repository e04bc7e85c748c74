import type { FlagId } from '../constants';
import { filterServiceMap, UNIDENTIFIED_NODE, type MapEdge, type MapNode, type ServiceMap } from './serviceMap';

const node = (id: string, flags: FlagId[] = []): MapNode => {
  const [namespace, name] = id.includes('/') ? id.split('/') : ['', id];
  return { id, namespace, name, kind: id === UNIDENTIFIED_NODE ? 'outside' : 'workload', flags };
};
const edge = (source: string, target: string): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  rps: 1,
  sharedWith: [],
  match: 'service-account',
});

/**
 * web → checkout → payments (trap) → ledger → audit, the unidentified node → web and → payments,
 * search (disagreement) → catalog, in another namespace ops/backup → audit.
 */
const MAP: ServiceMap = {
  nodes: [
    node('shop/web'),
    node('shop/checkout'),
    node('shop/payments', ['grpc-trap']),
    node('shop/ledger'),
    node('shop/audit'),
    node('shop/search', ['disagreement', 'coverage']),
    node('shop/catalog'),
    node('ops/backup'),
    node(UNIDENTIFIED_NODE),
  ],
  edges: [
    edge('shop/web', 'shop/checkout'),
    edge('shop/checkout', 'shop/payments'),
    edge('shop/payments', 'shop/ledger'),
    edge('shop/ledger', 'shop/audit'),
    edge(UNIDENTIFIED_NODE, 'shop/web'),
    edge(UNIDENTIFIED_NODE, 'shop/payments'),
    edge('shop/search', 'shop/catalog'),
    edge('ops/backup', 'shop/audit'),
  ],
};

const ids = (map: ServiceMap) => map.nodes.map((n) => n.id).sort();

describe('service map focus', () => {
  it('keeps the flagged services and their direct peers, never peers of peers', () => {
    const focused = filterServiceMap(MAP, { focus: 'flagged' });
    expect(ids(focused)).toEqual(
      ['shop/payments', 'shop/checkout', 'shop/ledger', UNIDENTIFIED_NODE, 'shop/search', 'shop/catalog'].sort()
    );
    // web (a peer of checkout and of the unidentified node) and audit (a peer of ledger) are two edges away.
    expect(focused.edges.map((e) => e.id).sort()).toEqual(
      [
        'shop/checkout->shop/payments',
        'shop/payments->shop/ledger',
        `${UNIDENTIFIED_NODE}->shop/payments`,
        'shop/search->shop/catalog',
      ].sort()
    );
  });

  it('focuses on one flag kind', () => {
    expect(ids(filterServiceMap(MAP, { focus: 'disagreement' }))).toEqual(['shop/catalog', 'shop/search']);
    expect(ids(filterServiceMap(MAP, { focus: 'boundary-latency' }))).toEqual([]);
  });

  it('keeps a namespace with its peers from other namespaces', () => {
    expect(ids(filterServiceMap(MAP, { namespace: 'ops' }))).toEqual(['ops/backup', 'shop/audit']);
  });

  it('without a filter keeps the whole map', () => {
    expect(filterServiceMap(MAP, {})).toBe(MAP);
  });
});
