import { buildEdgeQueries } from '../query/edgeQueries';
import { buildOverviewQueries } from '../query/overviewQueries';
import { PromQueryError, type MetricsApi } from '../query/promApi';
import type { Sample } from '../query/sample';
import { DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { runServiceMap, type ServiceMapRefId } from './runServiceMap';

const SETTINGS: AppSettings = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'test' };
const WINDOW = { from: 0, to: 600 };
const CHECKOUT = 'checkout.shop.serviceaccount.identity.linkerd.cluster.local';
const payments = { k8s_namespace_name: 'shop', k8s_deployment_name: 'payments' };
const checkout = { k8s_namespace_name: 'shop', k8s_deployment_name: 'checkout' };
const toPayments = { dst_namespace: 'shop', dst_deployment: 'payments' };
const OK = { classification: 'success', status_code: '200' };
const FAILED = { classification: 'failure', status_code: '500' };

/** What the store answers per query: checkout calls payments (9 of 10 succeed), seen at both ends. */
const ANSWERS: Partial<Record<ServiceMapRefId, Sample[]>> = {
  meshResponses: [
    { labels: { ...payments, classification: 'success', status_code: '200' }, value: 9 },
    { labels: { ...payments, classification: 'failure', status_code: '500' }, value: 1 },
  ],
  calleeResponses: [
    { labels: { ...payments, client_id: CHECKOUT, tls: 'true', ...OK }, value: 9 },
    { labels: { ...payments, client_id: CHECKOUT, tls: 'true', ...FAILED }, value: 1 },
  ],
  callerResponses: [
    { labels: { ...checkout, ...toPayments, ...OK }, value: 9 },
    { labels: { ...checkout, ...toPayments, ...FAILED }, value: 1 },
  ],
  serviceAccounts: [
    { labels: { dst_namespace: 'shop', dst_deployment: 'checkout', dst_serviceaccount: 'checkout' }, value: 1 },
  ],
};

const REF_IDS = new Map<string, ServiceMapRefId>(
  [
    ...buildOverviewQueries({ settings: SETTINGS, windowSeconds: 600 }),
    ...buildEdgeQueries(SETTINGS, 600, { kind: 'mesh' }),
  ].map((q) => [q.expr, q.refId])
);

/** A store that answers each query from ANSWERS, except the failing ones. */
function store(failing: ServiceMapRefId[]): MetricsApi {
  return {
    instant: async (expr) => {
      const refId = REF_IDS.get(expr)!;
      if (failing.includes(refId)) {
        throw new PromQueryError('http', `the metrics datasource failed (HTTP 500): ${refId} broke`, 500);
      }
      return ANSWERS[refId] ?? [];
    },
    labelNames: async () => [],
    labelValues: async () => [],
  };
}

const OVERVIEW_REF_IDS: ServiceMapRefId[] = [
  'meshResponses',
  'meshLatency',
  'meshCallers',
  'appRequests',
  'appLatency',
];

const EDGE_REF_IDS: ServiceMapRefId[] = [
  'calleeResponses',
  'calleeLatency',
  'callerResponses',
  'callerLatency',
  'serviceAccounts',
];

const ALL_REF_IDS = [...OVERVIEW_REF_IDS, ...EDGE_REF_IDS];
const brokeMessage = (refId: string) => ({
  refId,
  message: `the metrics datasource failed (HTTP 500): ${refId} broke`,
});

describe('runServiceMap', () => {
  it('draws the edge and its nodes when every query answers', async () => {
    const map = await runServiceMap(store([]), SETTINGS, WINDOW);
    expect(map.failures).toEqual([]);
    // One request per latency quantile and the mean: more requests than refIds.
    expect(map.queries).toBe(REF_IDS.size);
    expect(map.queries).toBeGreaterThan(ALL_REF_IDS.length);
    expect(map.edges).toEqual([
      expect.objectContaining({ source: 'shop/checkout', target: 'shop/payments', rps: 10, successRate: 0.9 }),
    ]);
    expect(map.nodes.find((n) => n.id === 'shop/payments')).toMatchObject({ rps: 10, successRate: 0.9 });
  });

  it('keeps the edge from the caller’s side when the callee’s queries fail, and names them', async () => {
    const map = await runServiceMap(store(['calleeResponses', 'calleeLatency']), SETTINGS, WINDOW);
    expect(map.edges).toEqual([expect.objectContaining({ source: 'shop/checkout', target: 'shop/payments' })]);
    expect(map.failures).toEqual([brokeMessage('calleeResponses'), brokeMessage('calleeLatency')]);
  });

  it('keeps the edges when every overview query fails, naming each', async () => {
    const map = await runServiceMap(store(OVERVIEW_REF_IDS), SETTINGS, WINDOW);
    expect(map.edges.map((e) => e.id)).toEqual(['shop/checkout->shop/payments']);
    expect(map.nodes.map((n) => n.id)).toEqual(['shop/checkout', 'shop/payments']);
    expect(map.failures).toEqual(OVERVIEW_REF_IDS.map((refId) => ({ ...brokeMessage('meshResponses'), refId })));
  });

  it('keeps the nodes when every edge query fails, naming each', async () => {
    const map = await runServiceMap(store(EDGE_REF_IDS), SETTINGS, WINDOW);
    expect(map.edges).toEqual([]);
    expect(map.nodes.map((n) => n.id)).toEqual(['shop/payments']);
    expect(map.failures.map((f) => f.refId)).toEqual(EDGE_REF_IDS);
  });

  it('fails with the store’s error when nothing answers', async () => {
    await expect(runServiceMap(store(ALL_REF_IDS), SETTINGS, WINDOW)).rejects.toThrow(
      'the metrics datasource failed (HTTP 500): meshResponses broke'
    );
  });

  it('is cancelled, not partly failed, when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runServiceMap(store(['calleeLatency']), SETTINGS, WINDOW, { signal: controller.signal })
    ).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
