import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { keptFamilies } from './families';
import { labelsInQuery, mentionsFamily, viewQueries, viewUsage } from './viewUsage';

describe('labelsInQuery', () => {
  it.each([
    ['sum by (a, b) (rate(x{c="1",d!="2",e=~"3",f!~"4"}[5m]))', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['count without (le) (x)', ['le']],
    ['histogram_quantile(0.95, sum by (le) (rate(x[5m])))', ['le']],
    ['label_replace(x, "quantile", "0.5", "", "")', []],
    ['count by (__name__) ({__name__=~"a|b"})', []],
    ['x{a = "1"} or vector(0)', ['a']],
  ])('%s reads %j', (expr, labels) => {
    expect([...labelsInQuery(expr)].sort()).toEqual(labels);
  });
});

describe('mentionsFamily', () => {
  it.each([
    ['rate(response_total{a="b"}[5m])', 'response_total', true],
    ['rate(response_latency_ms_bucket[5m])', 'response_latency_ms_bucket', true],
    ['rate(response_latency_ms_bucket[5m])', 'response_latency_ms', false],
    ['rate(response_latency_ms_bucket[5m])', 'response_latency_ms_sum', false],
    ['rate(my_request_total[5m])', 'request_total', false],
    ['rate(request_total_x[5m])', 'request_total', false],
  ])('%s mentions %s: %s', (expr, family, expected) => {
    expect(mentionsFamily(expr, family)).toBe(expected);
  });
});

describe('viewUsage', () => {
  const settings = (overrides: Partial<AppSettings>): AppSettings => ({ ...DEFAULT_SETTINGS, ...overrides });

  it.each([
    [settings({}), 'stable' as const],
    [settings({ labelSchema: 'linkerd', semconv: 'legacy', appServiceLabel: 'job' }), 'legacy' as const],
  ])(
    'the views read the families the boundary needs (histograms’ _sum and _count for exact means), never request_total (%#)',
    (s, semconv) => {
      const families = keptFamilies(semconv).map((f) => f.family);
      const usage = viewUsage(s, families);
      const unread = families.filter((f) => !usage.families.has(f));
      expect(unread.sort()).toEqual(['request_total', 'tcp_open_total']);
    }
  );

  it.each([
    [
      {},
      'response_total',
      [
        'classification',
        'client_id',
        'direction',
        'grpc_status',
        'error',
        'k8s_namespace_name',
        'k8s_cronjob_name',
        'status_code',
        'target_port',
        'tls',
      ],
      ['target_addr', 'srv_name', 'authority'],
    ],
    [
      { labelSchema: 'linkerd' as const, meshSelector: DEFAULT_MESH_SELECTORS.linkerd },
      'response_total',
      ['namespace', 'deployment', 'statefulset', 'k8s_job', 'dst_deployment', 'dst_k8s_job', 'job'],
      ['k8s_namespace_name', 'layer'],
    ],
    [{}, 'response_latency_ms_bucket', ['le', 'client_id', 'k8s_deployment_name'], ['status_code']],
    [{}, 'tcp_close_total', ['errno', 'peer', 'target_port'], ['classification']],
    [{}, 'http_server_request_duration_seconds_bucket', ['le', 'service_name', 'service_namespace'], ['http_route']],
    [
      { appServiceLabel: 'job' as const },
      'http_server_request_duration_seconds_count',
      ['job', 'http_response_status_code'],
      ['service_name'],
    ],
  ])('with %j, %s is read by %j and not by %j', (overrides, family, read, unread) => {
    const s = settings(overrides);
    const labels = viewUsage(
      s,
      keptFamilies(s.semconv).map((f) => f.family)
    ).labels.get(family)!;
    for (const label of read) {
      expect([label, labels.has(label)]).toEqual([label, true]);
    }
    for (const label of unread) {
      expect([label, labels.has(label)]).toEqual([label, false]);
    }
  });

  it('reads the real query builders', () => {
    expect(viewQueries(DEFAULT_SETTINGS).length).toBeGreaterThan(15);
  });
});

describe('keptFamilies', () => {
  it.each(['stable', 'legacy'] as const)('lists each family once (%s)', (semconv) => {
    const families = keptFamilies(semconv).map((f) => f.family);
    expect(families.length).toBe(new Set(families).size);
    expect(families.filter((f) => f.startsWith('response_latency_ms'))).toEqual([
      'response_latency_ms_bucket',
      'response_latency_ms_sum',
      'response_latency_ms_count',
    ]);
  });
});
