import { DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import type { Sample } from '../query/sample';
import { buildOverviewRows, severity, type OverviewResults } from './overview';
import type { ServiceRow } from './types';

const SETTINGS: AppSettings = {
  ...DEFAULT_SETTINGS,
  joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
};

const meshLabels = (workload: string, namespace = 'shop') => ({
  k8s_namespace_name: namespace,
  k8s_deployment_name: workload,
});
const appLabels = (service: string, namespace = 'shop') => ({ service_name: service, service_namespace: namespace });

function meshResponse(workload: string, extra: Record<string, string>, value: number, namespace?: string): Sample {
  return { labels: { ...meshLabels(workload, namespace), ...extra }, value };
}
function appRequest(service: string, extra: Record<string, string>, value: number, namespace?: string): Sample {
  return { labels: { ...appLabels(service, namespace), ...extra }, value };
}
function meshQuantile(workload: string, quantile: string, ms: number): Sample {
  return { labels: { ...meshLabels(workload), quantile }, value: ms };
}
function appQuantile(service: string, quantile: string, seconds: number, namespace?: string): Sample {
  return { labels: { ...appLabels(service, namespace), quantile }, value: seconds };
}

const OK = { classification: 'success', status_code: '200' };
const HTTP_OK = { http_response_status_code: '200' };

/** A small estate where each service has one known truth. */
function estate(): OverviewResults {
  return {
    meshResponses: [
      // payments: 8 % fail in gRPC trailers behind HTTP 200.
      meshResponse('payments', { ...OK, grpc_status: '0' }, 92),
      meshResponse('payments', { classification: 'failure', status_code: '200', grpc_status: '14' }, 6),
      meshResponse('payments', { classification: 'failure', status_code: '200', grpc_status: '4' }, 2),
      // cart: the proxy fails 5 % with 503 before the app sees them.
      meshResponse('cart', OK, 95),
      meshResponse('cart', { classification: 'failure', status_code: '503' }, 5),
      meshResponse('inventory', OK, 60),
      meshResponse('fast', OK, 50),
      meshResponse('currency', { ...OK, grpc_status: '0' }, 35),
      meshResponse('recommendations', OK, 20),
    ],
    meshCallers: [],
    meshLatency: [
      meshQuantile('payments', '0.5', 15.6),
      meshQuantile('payments', '0.95', 46),
      meshQuantile('payments', 'mean', 14),
      meshQuantile('inventory', '0.95', 160),
      meshQuantile('inventory', 'mean', 130),
      meshQuantile('fast', '0.95', 30),
      meshQuantile('fast', 'mean', 20),
      meshQuantile('recommendations', '0.95', 90),
    ],
    appRequests: [
      appRequest('payments', { rpc_response_status_code: 'OK' }, 92),
      appRequest('payments', { rpc_response_status_code: 'UNAVAILABLE' }, 6),
      appRequest('payments', { rpc_response_status_code: 'DEADLINE_EXCEEDED' }, 2),
      appRequest('cart', HTTP_OK, 95),
      appRequest('inventory', HTTP_OK, 60),
      appRequest('fast', HTTP_OK, 50),
      appRequest('currency-api', { rpc_response_status_code: 'OK' }, 35),
      appRequest('email', HTTP_OK, 5, 'notify'),
    ],
    appLatency: [
      appQuantile('payments', '0.5', 0.015),
      appQuantile('payments', '0.95', 0.045),
      appQuantile('payments', 'mean', 0.0135),
      appQuantile('inventory', '0.95', 0.04),
      appQuantile('inventory', 'mean', 0.03),
      appQuantile('fast', '0.95', 0.035),
      appQuantile('fast', 'mean', 0.022),
      appQuantile('email', '0.95', 0.15, 'notify'),
    ],
  };
}

const byKey = (rows: ServiceRow[], key: string): ServiceRow => {
  const row = rows.find((r) => r.key === key);
  if (!row) {
    throw new Error(`no row ${key}`);
  }
  return row;
};

describe('buildOverviewRows', () => {
  const rows = buildOverviewRows(estate(), SETTINGS);

  it('sorts by severity (trap 8, disagreement 4, latency 2, coverage 1), then by rate', () => {
    expect(rows.map((r) => [r.key, r.flags.map((f) => f.id)])).toEqual([
      ['shop/payments', ['grpc-trap']],
      ['shop/cart', ['disagreement']],
      ['shop/inventory', ['boundary-latency']],
      ['shop/recommendations', ['coverage']],
      ['notify/email', ['coverage']],
      ['shop/fast', []],
      ['shop/currency', []],
    ]);
  });

  it('computes the time outside the app in ms, keeping negative values', () => {
    expect(byKey(rows, 'shop/inventory').outsideApp.mean).toBeCloseTo(100, 9);
    expect(byKey(rows, 'shop/inventory').outsideApp.p95).toBeCloseTo(120, 9);
    expect(byKey(rows, 'shop/fast').outsideApp.mean).toBeCloseTo(-2, 9);
    expect(byKey(rows, 'shop/fast').outsideApp.p95).toBeCloseTo(-5, 9);
    expect(byKey(rows, 'shop/payments').outsideApp.p95).toBeCloseTo(1, 9);
    expect(byKey(rows, 'shop/payments').outsideApp.p50).toBeCloseTo(0.6, 9);
    expect(byKey(rows, 'shop/inventory').outsideApp.p50).toBeUndefined();
    expect(byKey(rows, 'shop/recommendations').outsideApp).toEqual({});
    expect(byKey(rows, 'notify/email').outsideApp).toEqual({});
  });

  it("bounds the p95 difference by both layers' buckets (mesh in ms, app in seconds)", () => {
    const buckets = { mesh: [10, 20, 30, 40, 50, 100, 200, 300], app: [0.005, 0.01, 0.025, 0.05, 0.1] };
    const row = byKey(buildOverviewRows(estate(), SETTINGS, undefined, buckets), 'shop/inventory');
    // Mesh p95 160 ms lies in (100, 200]; app p95 40 ms in (25, 50]: the difference in (50, 175).
    expect(row.mesh?.latency.p95Bounds).toEqual({ lower: 100, upper: 200 });
    expect(row.app?.latency.p95Bounds).toEqual({ lower: 25, upper: 50 });
    expect(row.outsideApp.p95Bounds).toEqual({ lower: 50, upper: 175 });
  });

  it('does not flag boundary latency on a p95 difference the buckets cannot confirm', () => {
    const noMeans = estate();
    noMeans.meshLatency = noMeans.meshLatency.filter((s) => s.labels.quantile !== 'mean');
    const coarse = { mesh: [10, 1000], app: [0.01, 1] };
    const row = byKey(buildOverviewRows(noMeans, SETTINGS, undefined, coarse), 'shop/inventory');
    expect(row.outsideApp.p95).toBeCloseTo(120, 9);
    expect(row.flags).toEqual([]);
  });

  it('explains the gRPC trap with the code and the HTTP-only view', () => {
    const summary = byKey(rows, 'shop/payments').flags[0].summary;
    expect(summary).toContain('8.0 %');
    expect(summary).toContain('UNAVAILABLE 6.0 %');
    expect(summary).toContain('DEADLINE_EXCEEDED 2.0 %');
    expect(summary).toContain('HTTP view: 0.0 % errors');
  });

  it('explains disagreement and boundary latency with both layers’ numbers', () => {
    expect(byKey(rows, 'shop/cart').flags[0].summary).toContain('mesh 95.0 % vs app 100.0 %');
    expect(byKey(rows, 'shop/inventory').flags[0].summary).toContain('mesh mean 130 ms, app mean 30 ms');
  });

  it('records coverage and the renamed app service', () => {
    expect(rows.map((r) => [r.key, r.coverage, r.appService])).toEqual(
      expect.arrayContaining([
        ['shop/currency', 'both', 'currency-api'],
        ['shop/payments', 'both', undefined],
        ['shop/recommendations', 'mesh-only', undefined],
        ['notify/email', 'app-only', undefined],
      ])
    );
    const email = byKey(rows, 'notify/email');
    expect(email.mesh).toBeUndefined();
    expect(email.app?.latency.p95).toBeCloseTo(150, 9);
  });

  it('breaks severity ties by rate, then by key', () => {
    const tied = buildOverviewRows(
      {
        meshResponses: [meshResponse('b', OK, 1), meshResponse('a', OK, 1), meshResponse('c', OK, 3)],
        meshLatency: [],
        meshCallers: [],
        appRequests: [],
        appLatency: [],
      },
      DEFAULT_SETTINGS
    );
    expect(tied.map((r) => r.key)).toEqual(['shop/c', 'shop/a', 'shop/b']);
  });

  it('returns no rows for empty results', () => {
    const empty: OverviewResults = {
      meshResponses: [],
      meshLatency: [],
      meshCallers: [],
      appRequests: [],
      appLatency: [],
    };
    expect(buildOverviewRows(empty, DEFAULT_SETTINGS)).toEqual([]);
  });

  it('uses the configured thresholds', () => {
    const strict = { ...SETTINGS, thresholds: { ...SETTINGS.thresholds, boundaryLatencyMs: 200 } };
    const row = byKey(buildOverviewRows(estate(), strict), 'shop/inventory');
    expect(row.flags).toEqual([]);
  });
});

describe('severity', () => {
  const row = (ids: Array<ServiceRow['flags'][number]['id']>): ServiceRow => ({
    key: 'n/s',
    namespace: 'n',
    service: 's',
    coverage: 'both',
    outsideApp: {},
    flags: ids.map((id) => ({ id, summary: '' })),
  });

  test.each([
    [[], 0],
    [['coverage'], 1],
    [['boundary-latency'], 2],
    [['disagreement'], 4],
    [['grpc-trap'], 8],
    [['grpc-trap', 'boundary-latency', 'disagreement'], 14],
  ] as const)('%j → %p', (ids, expected) => {
    expect(severity(row([...ids]))).toBe(expected);
  });

  it('ranks one gRPC trap above every other flag combined', () => {
    expect(severity(row(['grpc-trap']))).toBeGreaterThan(
      severity(row(['disagreement', 'boundary-latency', 'coverage']))
    );
  });
});
