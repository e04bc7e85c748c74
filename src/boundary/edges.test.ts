import { DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { buildEdges, identityLabel, parseIdentity, type Edge, type EdgeResults } from './edges';

const SETTINGS: AppSettings = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'x' };
const id = (sa: string, ns = 'shop') => `${sa}.${ns}.serviceaccount.identity.linkerd.cluster.local`;
const at = (workload: string, namespace = 'shop') => ({ k8s_namespace_name: namespace, k8s_deployment_name: workload });
const to = (workload: string, namespace = 'shop') => ({ dst_namespace: namespace, dst_deployment: workload });
const OK = { classification: 'success', status_code: '200' };
const FAIL = { classification: 'failure', status_code: '502' };

/** Inbound at `callee` from `identity`, outbound from `caller` to `callee`, each with ok/failed rates and a mean. */
interface Traffic {
  inbound?: Array<{ callee: string; identity: string; ok: number; failed?: number; mean?: number }>;
  outbound?: Array<{ caller: string; callee: string; ok: number; failed?: number; mean?: number; ns?: string }>;
  accounts?: Array<{ workload: string; account: string; ns?: string }>;
}

function results({ inbound = [], outbound = [], accounts = [] }: Traffic): EdgeResults {
  return {
    calleeResponses: inbound.flatMap((i) => [
      {
        labels: { ...at(i.callee), client_id: i.identity, tls: i.identity ? 'true' : 'no_identity', ...OK },
        value: i.ok,
      },
      {
        labels: { ...at(i.callee), client_id: i.identity, tls: i.identity ? 'true' : 'no_identity', ...FAIL },
        value: i.failed ?? 0,
      },
    ]),
    calleeLatency: inbound.flatMap((i) => [
      { labels: { ...at(i.callee), client_id: i.identity, quantile: 'mean' }, value: i.mean ?? 10 },
      { labels: { ...at(i.callee), client_id: i.identity, quantile: '0.95' }, value: 2 * (i.mean ?? 10) },
    ]),
    callerResponses: outbound.flatMap((o) => [
      { labels: { ...at(o.caller, o.ns), ...to(o.callee), ...OK }, value: o.ok },
      { labels: { ...at(o.caller, o.ns), ...to(o.callee), ...FAIL }, value: o.failed ?? 0 },
    ]),
    callerLatency: outbound.map((o) => ({
      labels: { ...at(o.caller, o.ns), ...to(o.callee), quantile: 'mean' },
      value: o.mean ?? 12,
    })),
    serviceAccounts: accounts.map((a) => ({
      labels: { ...to(a.workload, a.ns), dst_serviceaccount: a.account },
      value: 1,
    })),
  };
}

const summary = (edges: Edge[]) =>
  edges.map((e) => ({
    callee: e.callee.workload,
    callers: e.callers.map((c) => c.ref.workload),
    identity: e.identity === undefined ? undefined : e.identity && parseIdentity(e.identity)?.serviceAccount,
    match: e.match,
  }));

describe('parseIdentity and identityLabel', () => {
  test.each([
    [id('web'), { namespace: 'shop', serviceAccount: 'web' }, 'service account web in shop'],
    [
      'checkout.prod.serviceaccount.identity.linkerd.example.org',
      { namespace: 'prod', serviceAccount: 'checkout' },
      'service account checkout in prod',
    ],
    [
      // Service accounts are DNS subdomains and may have dots; namespaces are DNS labels and have none.
      'web.v1.sa.hostile.serviceaccount.identity.linkerd.cluster.local',
      { namespace: 'hostile', serviceAccount: 'web.v1.sa' },
      'service account web.v1.sa in hostile',
    ],
    ['not-an-identity', undefined, 'not-an-identity'],
  ])('%s', (identity, parsed, label) => {
    expect(parseIdentity(identity)).toEqual(parsed);
    expect(identityLabel(identity)).toBe(label);
  });

  it('names the missing cases', () => {
    expect(identityLabel('')).toBe('no mTLS identity');
    expect(identityLabel(undefined)).toBe('unknown identity');
  });
});

describe('buildEdges: both ends of each edge', () => {
  it('pairs a caller with its identity by the service account its callers name, and keeps both counts', () => {
    const edges = buildEdges(
      results({
        inbound: [{ callee: 'payments', identity: id('checkout-sa'), ok: 9, failed: 1, mean: 20 }],
        outbound: [{ caller: 'checkout', callee: 'payments', ok: 9, failed: 1.5, mean: 35 }],
        accounts: [{ workload: 'checkout', account: 'checkout-sa' }],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'payments', callers: ['checkout'], identity: 'checkout-sa', match: 'service-account' },
    ]);
    const [edge] = edges;
    expect(edge.callerSide).toMatchObject({ rps: 10.5, failedRps: 1.5, mean: 35 });
    expect(edge.callerSide?.successRate).toBeCloseTo(9 / 10.5, 12);
    expect(edge.calleeSide).toMatchObject({ rps: 10, failedRps: 1, successRate: 0.9, mean: 20, p95: 40, mtlsShare: 1 });
  });

  it('pairs the only identity of a namespace with all its callers, even of unknown account', () => {
    const edges = buildEdges(
      results({
        inbound: [{ callee: 'catalog', identity: id('default'), ok: 10 }],
        outbound: [
          { caller: 'web', callee: 'catalog', ok: 6, mean: 10 },
          { caller: 'search', callee: 'catalog', ok: 4, mean: 20 },
        ],
        accounts: [{ workload: 'search', account: 'default' }],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'catalog', callers: ['search', 'web'], identity: 'default', match: 'only-identity' },
    ]);
    // The callers' side of a shared identity: rates summed, means weighted by rate, no combined quantile.
    expect(edges[0].callerSide).toMatchObject({ rps: 10, mean: 14, p95: undefined });
  });

  it('pairs the last identity with the last caller of unknown account in the namespace', () => {
    const edges = buildEdges(
      results({
        inbound: [
          { callee: 'inventory', identity: id('checkout'), ok: 5 },
          { callee: 'inventory', identity: id('web'), ok: 3 },
        ],
        outbound: [
          { caller: 'checkout', callee: 'inventory', ok: 5 },
          { caller: 'web', callee: 'inventory', ok: 3 },
        ],
        accounts: [{ workload: 'checkout', account: 'checkout' }],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'inventory', callers: ['checkout'], identity: 'checkout', match: 'service-account' },
      { callee: 'inventory', callers: ['web'], identity: 'web', match: 'only-candidate' },
    ]);
  });

  it('pairs nothing in a namespace where two callers of unknown account could be either identity', () => {
    const edges = buildEdges(
      results({
        inbound: [
          { callee: 'inventory', identity: id('a'), ok: 5 },
          { callee: 'inventory', identity: id('b'), ok: 3 },
        ],
        outbound: [
          { caller: 'web', callee: 'inventory', ok: 5 },
          { caller: 'admin', callee: 'inventory', ok: 3 },
        ],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'inventory', callers: [], identity: 'a', match: 'unpaired' },
      { callee: 'inventory', callers: [], identity: 'b', match: 'unpaired' },
      { callee: 'inventory', callers: ['admin'], identity: undefined, match: 'unpaired' },
      { callee: 'inventory', callers: ['web'], identity: undefined, match: 'unpaired' },
    ]);
    expect(edges.every((e) => (e.callerSide === undefined) !== (e.calleeSide === undefined))).toBe(true);
  });

  it('keeps a caller whose requests never arrived (its proxy failed them all) on its own row', () => {
    const edges = buildEdges(
      results({
        inbound: [{ callee: 'shipping', identity: id('checkout'), ok: 4 }],
        outbound: [
          { caller: 'checkout', callee: 'shipping', ok: 4 },
          { caller: 'billing', callee: 'shipping', ok: 0, failed: 2 },
        ],
        accounts: [
          { workload: 'checkout', account: 'checkout' },
          { workload: 'billing', account: 'billing' },
        ],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'shipping', callers: ['billing'], identity: undefined, match: 'unpaired' },
      { callee: 'shipping', callers: ['checkout'], identity: 'checkout', match: 'service-account' },
    ]);
  });

  it('gives requests without identity a row of their own, and pairs across namespaces independently', () => {
    const edges = buildEdges(
      results({
        inbound: [
          { callee: 'api', identity: '', ok: 2 },
          { callee: 'api', identity: id('gw', 'edge'), ok: 7 },
        ],
        outbound: [{ caller: 'gw', callee: 'api', ok: 7, ns: 'edge' }],
      }),
      SETTINGS
    );
    expect(summary(edges)).toEqual([
      { callee: 'api', callers: ['gw'], identity: 'gw', match: 'only-identity' },
      { callee: 'api', callers: [], identity: '', match: 'unpaired' },
    ]);
    expect(edges[1].calleeSide).toMatchObject({ rps: 2, mtlsShare: 0 });
  });

  it('treats a workload whose pods run as two accounts (mid-rollout) as of unknown account', () => {
    const edges = buildEdges(
      results({
        inbound: [
          { callee: 'api', identity: id('old'), ok: 1 },
          { callee: 'api', identity: id('new'), ok: 1 },
        ],
        outbound: [{ caller: 'web', callee: 'api', ok: 2 }],
        accounts: [
          { workload: 'web', account: 'old' },
          { workload: 'web', account: 'new' },
        ],
      }),
      SETTINGS
    );
    expect(edges.every((e) => e.match === 'unpaired')).toBe(true);
  });

  it('ignores broken samples: NaN and negative rates count as nothing', () => {
    const broken = results({ inbound: [{ callee: 'api', identity: '', ok: 2 }] });
    broken.calleeResponses.push({ labels: { ...at('api'), client_id: '', ...OK }, value: Number.NaN });
    broken.calleeResponses.push({ labels: { ...at('api'), client_id: '', ...OK }, value: -3 });
    expect(buildEdges(broken, SETTINGS)[0].calleeSide?.rps).toBe(2);
  });
});
