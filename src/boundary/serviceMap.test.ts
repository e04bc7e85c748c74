import type { FlagId } from '../constants';
import type { Edge, SideFigures } from './edges';
import {
  buildServiceMap,
  filterServiceMap,
  identityNodeId,
  UNIDENTIFIED_NODE,
  type MapEdge,
  type MapNode,
  type ServiceMap,
} from './serviceMap';
import type { ServiceRow } from './types';

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

const side = (rps: number, successRate?: number, extra: Partial<SideFigures> = {}): SideFigures => ({
  rps,
  failedRps: successRate === undefined ? 0 : rps * (1 - successRate),
  successRate,
  ...extra,
});

const row = (namespace: string, service: string, mesh?: { rps: number; successRate?: number }, flags: FlagId[] = []) =>
  ({
    key: `${namespace}/${service}`,
    namespace,
    service,
    coverage: mesh ? 'both' : 'app-only',
    mesh: mesh && { ...mesh, grpcTrapCodes: [], latency: {} },
    outsideApp: {},
    flags: flags.map((id) => ({ id, summary: id })),
  }) satisfies ServiceRow;

const ref = (namespace: string, workload: string) => ({ namespace, workload });
const IDENTITY = (sa: string, ns: string) => `${sa}.${ns}.serviceaccount.identity.linkerd.cluster.local`;

const byId = <T extends { id: string }>(items: T[], id: string) => {
  const item = items.find((i) => i.id === id);
  if (!item) {
    throw new Error(`${id} is not on the map: ${items.map((i) => i.id).join(', ')}`);
  }
  return item;
};

describe('building the service map', () => {
  it('draws an empty map from no rows and no edges', () => {
    expect(buildServiceMap([], [])).toEqual({ nodes: [], edges: [] });
  });

  it('makes a node of each meshed service with its inbound figures and its flags; an app-only service is no node', () => {
    const map = buildServiceMap(
      [
        row('shop', 'payments', { rps: 12.5, successRate: 0.9 }, ['grpc-trap', 'disagreement']),
        row('shop', 'web', { rps: 3 }),
        row('shop', 'batch'),
      ],
      []
    );
    expect(map.nodes).toEqual([
      {
        id: 'shop/payments',
        namespace: 'shop',
        name: 'payments',
        kind: 'workload',
        rps: 12.5,
        successRate: 0.9,
        flags: ['grpc-trap', 'disagreement'],
      },
      { id: 'shop/web', namespace: 'shop', name: 'web', kind: 'workload', rps: 3, successRate: undefined, flags: [] },
    ]);
    expect(map.edges).toEqual([]);
  });

  it('draws requests both proxies counted as one edge: the caller’s count as headline, both counts in the details', () => {
    const callerSide = side(10, 0.8, { p95: 40, mean: 20 });
    const calleeSide = side(9.5, 0.95, { p95: 30, mean: 12, mtlsShare: 1 });
    const edge: Edge = {
      id: 'shop/web->shop/payments',
      callee: ref('shop', 'payments'),
      callers: [{ ref: ref('shop', 'web'), side: callerSide }],
      identity: IDENTITY('web', 'shop'),
      match: 'service-account',
      callerSide,
      calleeSide,
    };
    const map = buildServiceMap(
      [row('shop', 'payments', { rps: 9.5 }, ['grpc-trap']), row('shop', 'web', { rps: 1 })],
      [edge]
    );
    expect(map.edges).toEqual([
      {
        id: 'shop/web->shop/payments',
        source: 'shop/web',
        target: 'shop/payments',
        rps: 10,
        successRate: 0.8,
        p95: 40,
        mtlsShare: 1,
        callerSide,
        calleeSide,
        sharedWith: [],
        match: 'service-account',
      },
    ]);
    // The edge adds no node and leaves the rows' figures and flags as they were.
    expect(map.nodes.map((n) => [n.id, n.rps, n.flags])).toEqual([
      ['shop/payments', 9.5, ['grpc-trap']],
      ['shop/web', 1, []],
    ]);
  });

  it('draws one edge per caller workload sharing an identity, each naming the others it was counted with', () => {
    const calleeSide = side(7, 1, { mtlsShare: 1 });
    const edge: Edge = {
      id: 'shop/cron+shop/web->shop/payments',
      callee: ref('shop', 'payments'),
      callers: [
        { ref: ref('shop', 'cron'), side: side(2, 1) },
        { ref: ref('shop', 'web'), side: side(5, 1) },
      ],
      identity: IDENTITY('default', 'shop'),
      match: 'only-identity',
      callerSide: side(7, 1),
      calleeSide,
    };
    const map = buildServiceMap([], [edge]);
    expect(map.edges.map((e) => [e.id, e.rps, e.sharedWith, e.calleeSide?.rps, e.match])).toEqual([
      ['shop/cron->shop/payments', 2, ['shop/web'], 7, 'only-identity'],
      ['shop/web->shop/payments', 5, ['shop/cron'], 7, 'only-identity'],
    ]);
    // Services seen only on edges are nodes without figures or flags.
    expect(map.nodes).toEqual([
      { id: 'shop/cron', namespace: 'shop', name: 'cron', kind: 'workload', flags: [] },
      { id: 'shop/payments', namespace: 'shop', name: 'payments', kind: 'workload', flags: [] },
      { id: 'shop/web', namespace: 'shop', name: 'web', kind: 'workload', flags: [] },
    ]);
  });

  it('draws the two unpaired sides of the same calls as two edges: the workload’s count and the identity’s count', () => {
    const edges: Edge[] = [
      {
        id: 'service account worker in jobs->shop/payments',
        callee: ref('shop', 'payments'),
        callers: [],
        identity: IDENTITY('worker', 'jobs'),
        match: 'unpaired',
        calleeSide: side(4, 0.5, { mtlsShare: 1 }),
      },
      {
        id: 'jobs/worker->shop/payments',
        callee: ref('shop', 'payments'),
        callers: [{ ref: ref('jobs', 'worker'), side: side(4.2, 0.5) }],
        match: 'unpaired',
        callerSide: side(4.2, 0.5),
      },
    ];
    const map = buildServiceMap([row('shop', 'payments', { rps: 4 })], edges);
    const identityId = identityNodeId(IDENTITY('worker', 'jobs'));
    expect(
      map.edges.map((e) => [e.source, e.target, e.rps, e.callerSide?.rps, e.calleeSide?.rps, e.mtlsShare])
    ).toEqual([
      [identityId, 'shop/payments', 4, undefined, 4, 1],
      ['jobs/worker', 'shop/payments', 4.2, 4.2, undefined, undefined],
    ]);
    expect(byId(map.nodes, identityId)).toEqual({
      id: identityId,
      namespace: 'jobs',
      name: 'service account worker in jobs',
      kind: 'identity',
      flags: [],
    });
  });

  it('gathers all traffic without an mTLS identity into one node outside the mesh, with no namespace', () => {
    const outside = (callee: string, rps: number): Edge => ({
      id: `${UNIDENTIFIED_NODE}->shop/${callee}`,
      callee: ref('shop', callee),
      callers: [],
      identity: '',
      match: 'unpaired',
      calleeSide: side(rps, 1, { mtlsShare: 0 }),
    });
    const map = buildServiceMap([], [outside('web', 20), outside('payments', 1)]);
    expect(map.nodes.filter((n) => n.kind === 'outside')).toEqual([
      { id: UNIDENTIFIED_NODE, namespace: '', name: 'no mTLS identity', kind: 'outside', flags: [] },
    ]);
    expect(map.edges.map((e) => [e.id, e.rps, e.mtlsShare])).toEqual([
      [`${UNIDENTIFIED_NODE}->shop/payments`, 1, 0],
      [`${UNIDENTIFIED_NODE}->shop/web`, 20, 0],
    ]);
    // A namespace's map keeps the outside node as a peer of its services.
    expect(ids(filterServiceMap(map, { namespace: 'shop' }))).toContain(UNIDENTIFIED_NODE);
  });

  it('names an identity it cannot parse as it is, with no namespace, and keeps it as a peer of a namespace', () => {
    const foreign = 'spiffe://other-trust-domain/ns/x/sa/y';
    const map = buildServiceMap(
      [],
      [
        {
          id: `${foreign}->shop/web`,
          callee: ref('shop', 'web'),
          callers: [],
          identity: foreign,
          match: 'unpaired',
          calleeSide: side(1, 1, { mtlsShare: 1 }),
        },
      ]
    );
    expect(byId(map.nodes, identityNodeId(foreign))).toMatchObject({ namespace: '', name: foreign, kind: 'identity' });
    expect(ids(filterServiceMap(map, { namespace: 'shop' }))).toEqual([identityNodeId(foreign), 'shop/web'].sort());
    expect(ids(filterServiceMap(map, { namespace: 'x' }))).toEqual([]);
  });

  it('draws nothing for a caller-side count whose caller is unknown', () => {
    const map = buildServiceMap([], [{ id: 'x', callee: ref('shop', 'web'), callers: [], match: 'unpaired' }]);
    expect(map.edges).toEqual([]);
    expect(ids(map)).toEqual(['shop/web']);
  });

  it('focused on one flag kind, keeps the services with that flag and their direct peers from the built map', () => {
    const pair = (from: string, to: string): Edge => ({
      id: `shop/${from}->shop/${to}`,
      callee: ref('shop', to),
      callers: [{ ref: ref('shop', from), side: side(1, 1) }],
      identity: IDENTITY(from, 'shop'),
      match: 'service-account',
      callerSide: side(1, 1),
      calleeSide: side(1, 1),
    });
    const map = buildServiceMap(
      [
        row('shop', 'web', { rps: 1 }),
        row('shop', 'checkout', { rps: 1 }, ['boundary-latency']),
        row('shop', 'payments', { rps: 1 }, ['grpc-trap']),
        row('shop', 'ledger', { rps: 1 }),
      ],
      [pair('web', 'checkout'), pair('checkout', 'payments'), pair('payments', 'ledger')]
    );
    expect(ids(filterServiceMap(map, { focus: 'grpc-trap' }))).toEqual([
      'shop/checkout',
      'shop/ledger',
      'shop/payments',
    ]);
    expect(ids(filterServiceMap(map, { focus: 'boundary-latency' }))).toEqual([
      'shop/checkout',
      'shop/payments',
      'shop/web',
    ]);
    expect(ids(filterServiceMap(map, { focus: 'flagged' }))).toEqual(ids(map));
    expect(filterServiceMap(map, { focus: 'coverage' })).toEqual({ nodes: [], edges: [] });
  });
});
