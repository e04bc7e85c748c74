import { parseScenario, ScenarioError, WORKLOAD_KINDS } from './scenario';
import { demoScenario, namedScenario } from './scenarios';

type Raw = Record<string, unknown>;

function service(overrides: Raw = {}): Raw {
  return {
    namespace: 'shop',
    name: 'web',
    protocol: 'http',
    rps: 10,
    appLatencyMs: { median: 10, p95: 30 },
    ...overrides,
  };
}

function scenario(services: unknown[] = [service()], overrides: Raw = {}): Raw {
  return { name: 'test', seed: 1, services, ...overrides };
}

/** The problems a ScenarioError lists, or a failure when the input is accepted. */
function problemsOf(input: unknown): string[] {
  try {
    parseScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('the scenario was accepted');
}

const WORKLOAD_NAME = 'must be a Kubernetes workload name (lowercase letters, digits, "-" and ".", at most 63)';
const NAMESPACE_NAME = 'must be a Kubernetes namespace name (lowercase letters, digits and "-", at most 63)';
const SERVICE_ACCOUNT_NAME = 'must be a Kubernetes service account name';

describe('parseScenario: valid input', () => {
  it('fills defaults', () => {
    expect(parseScenario(scenario())).toEqual({
      name: 'test',
      seed: 1,
      scrapeIntervalSeconds: 15,
      proxy: '2.20',
      services: [
        {
          namespace: 'shop',
          name: 'web',
          protocol: 'http',
          rps: 10,
          appLatencyMs: { median: 10, p95: 30 },
          boundaryLatencyMs: 0.5,
          httpErrorRate: 0,
          boundaryFailureRate: 0,
          unmeshedRps: 0,
          layers: ['mesh', 'app'],
          callers: [],
          kind: 'deployment',
          pods: 2,
          serviceAccount: 'web',
          grpcRoute: false,
        },
      ],
    });
  });

  it('takes every name Kubernetes and OTel take: dotted workloads and service accounts, any app-only service.name', () => {
    const parsed = parseScenario(
      scenario([
        service({ namespace: 'n'.repeat(63), name: `api.v2-${'w'.repeat(56)}`, serviceAccount: 'web.v1.sa' }),
        service({ name: 'say "hi" \\ 100% /a?b#c 東京', layers: ['app'] }),
      ])
    ).services;
    expect(parsed.map((s) => [s.namespace.length, s.name, s.serviceAccount])).toEqual([
      [63, `api.v2-${'w'.repeat(56)}`, 'web.v1.sa'],
      [4, 'say "hi" \\ 100% /a?b#c 東京', 'say "hi" \\ 100% /a?b#c 東京'],
    ]);
  });

  it('fills caller defaults: the caller side adds 0.3 ms and fails nothing', () => {
    const [parsed] = parseScenario(scenario([service({ callers: [{ workload: 'front', share: 0.5 }] })])).services;
    expect(parsed.callers).toEqual([{ workload: 'front', share: 0.5, latencyMs: 0.3, failureRate: 0 }]);
  });

  it('keeps optional fields', () => {
    const grpc = service({
      protocol: 'grpc',
      grpcFailures: { rate: 0.08, codes: { UNAVAILABLE: 3, DEADLINE_EXCEEDED: 1 } },
      callers: [{ workload: 'front', namespace: 'edge', share: 0.5, latencyMs: 2.5, failureRate: 0.02 }],
      appServiceName: 'Web API',
      restartAtMinute: 20,
      layers: ['app'],
      serviceAccount: 'shared',
      grpcRoute: true,
      kind: 'statefulset',
    });
    const parsedScenario = parseScenario(scenario([grpc], { proxy: '2.14.1' }));
    expect(parsedScenario.proxy).toBe('2.14.1');
    const [parsed] = parsedScenario.services;
    expect(parsed.grpcFailures).toEqual({ rate: 0.08, codes: { UNAVAILABLE: 3, DEADLINE_EXCEEDED: 1 } });
    expect(parsed.callers).toEqual([
      { workload: 'front', namespace: 'edge', share: 0.5, latencyMs: 2.5, failureRate: 0.02 },
    ]);
    expect(parsed.serviceAccount).toBe('shared');
    expect(parsed.grpcRoute).toBe(true);
    expect(parsed.kind).toBe('statefulset');
    expect(parsed.appServiceName).toBe('Web API');
    expect(parsed.restartAtMinute).toBe(20);
    expect(parsed.layers).toEqual(['app']);
  });

  test.each(WORKLOAD_KINDS)('accepts the workload kind %s', (kind) => {
    expect(parseScenario(scenario([service({ kind })])).services[0].kind).toBe(kind);
  });

  test.each(['2.20', '2.14.1'])('accepts the proxy generation %s', (proxy) => {
    expect(parseScenario(scenario([service()], { proxy })).proxy).toBe(proxy);
  });

  it('accepts the boundary values of a caller: no added latency, nearly every request failed by its proxy', () => {
    const callers = [{ workload: 'front', share: 1, latencyMs: 0, failureRate: 0.99 }];
    expect(parseScenario(scenario([service({ callers })])).services[0].callers[0]).toEqual(callers[0]);
  });

  it('accepts caller shares adding up to exactly 1', () => {
    const callers = [0.1, 0.2, 0.3, 0.4].map((share, i) => ({ workload: `c${i}`, share }));
    expect(parseScenario(scenario([service({ callers })])).services[0].callers).toHaveLength(4);
  });

  it('accepts the bundled demo', () => {
    const demo = demoScenario();
    expect(demo.services).toHaveLength(12);
    expect(demo.services.find((s) => s.name === 'checkout')?.restartAtMinute).toBe(20);
  });
});

describe('parseScenario: problems', () => {
  test.each([null, [], 'demo', 42])('rejects a non-object %j', (input) => {
    expect(problemsOf(input)).toEqual(['the scenario must be a JSON object']);
  });

  it('lists every missing top-level field', () => {
    expect(problemsOf({})).toEqual([
      'scenario.name must be a non-empty string',
      'scenario.seed must be a number (missing)',
      'scenario.services must be a non-empty list',
    ]);
  });

  test.each<[string, Raw, string]>([
    [
      'p95 equal to median',
      { appLatencyMs: { median: 30, p95: 30 } },
      'services[0].appLatencyMs.p95 (30) must be greater than its median (30)',
    ],
    [
      'p95 below median',
      { appLatencyMs: { median: 30, p95: 20 } },
      'services[0].appLatencyMs.p95 (20) must be greater than its median (30)',
    ],
    ['missing median', { appLatencyMs: { p95: 20 } }, 'services[0].appLatencyMs.median must be a number (missing)'],
    ['string rps', { rps: '10' }, 'services[0].rps must be a number, got "10"'],
    ['negative rps', { rps: -1 }, 'services[0].rps must be at least 0, got -1'],
    ['fractional pods', { pods: 1.5 }, 'services[0].pods must be a whole number, got 1.5'],
    ['too many pods', { pods: 51 }, 'services[0].pods must be at most 50, got 51'],
    ['unknown protocol', { protocol: 'udp' }, 'services[0].protocol must be one of http, grpc, got "udp"'],
    [
      'unknown kind',
      { kind: 'pod' },
      'services[0].kind must be one of deployment, statefulset, daemonset, cronjob, job, replicationcontroller, replicaset, got "pod"',
    ],
    [
      'capitalised kind',
      { kind: 'Deployment' },
      'services[0].kind must be one of deployment, statefulset, daemonset, cronjob, job, replicationcontroller, replicaset, got "Deployment"',
    ],
    [
      'uppercase service account',
      { serviceAccount: 'Default' },
      `services[0].serviceAccount "Default" ${SERVICE_ACCOUNT_NAME}`,
    ],
    ['empty service account', { serviceAccount: '' }, 'services[0].serviceAccount must be a non-empty string'],
    ['numeric service account', { serviceAccount: 7 }, 'services[0].serviceAccount must be a non-empty string'],
    ['grpcRoute as a string', { protocol: 'grpc', grpcRoute: 'yes' }, 'services[0].grpcRoute must be true or false'],
    ['grpcRoute as a number', { protocol: 'grpc', grpcRoute: 1 }, 'services[0].grpcRoute must be true or false'],
    [
      'negative caller latency',
      { callers: [{ workload: 'a', share: 0.5, latencyMs: -1 }] },
      'services[0].callers[0].latencyMs must be at least 0, got -1',
    ],
    [
      'caller latency as a string',
      { callers: [{ workload: 'a', share: 0.5, latencyMs: '2ms' }] },
      'services[0].callers[0].latencyMs must be a number, got "2ms"',
    ],
    [
      'caller failure rate above 1',
      { callers: [{ workload: 'a', share: 0.5, failureRate: 1.5 }] },
      'services[0].callers[0].failureRate must be at most 1, got 1.5',
    ],
    [
      // The callee's rps counts what gets through: a caller failing everything would have to send infinitely many.
      'caller failure rate of 1',
      { callers: [{ workload: 'a', share: 0.5, failureRate: 1 }] },
      "services[0].callers[0].failureRate must be below 1: the callee's rps counts the requests that get through",
    ],
    [
      'negative caller failure rate',
      { callers: [{ workload: 'a', share: 0.5, failureRate: -0.1 }] },
      'services[0].callers[0].failureRate must be at least 0, got -0.1',
    ],
    ['unknown layer', { layers: ['mesh', 'db'] }, 'services[0].layers must list "mesh", "app" or both'],
    ['no layer', { layers: [] }, 'services[0].layers must list "mesh", "app" or both'],
    ['error rate above 1', { httpErrorRate: 1.2 }, 'services[0].httpErrorRate must be at most 1, got 1.2'],
    [
      'grpcFailures on an HTTP service',
      { grpcFailures: { rate: 0.1, codes: { UNAVAILABLE: 1 } } },
      'services[0].grpcFailures applies to gRPC services only (protocol is "http")',
    ],
    [
      'httpErrorRate on a gRPC service',
      { protocol: 'grpc', httpErrorRate: 0.1 },
      'services[0].httpErrorRate applies to HTTP services; describe gRPC failures with grpcFailures',
    ],
    [
      'OK as a failure code',
      { protocol: 'grpc', grpcFailures: { rate: 0.1, codes: { OK: 1 } } },
      'services[0].grpcFailures.codes must map gRPC status names other than OK to positive shares',
    ],
    [
      'a zero code share',
      { protocol: 'grpc', grpcFailures: { rate: 0.1, codes: { UNAVAILABLE: 0 } } },
      'services[0].grpcFailures.codes must map gRPC status names other than OK to positive shares',
    ],
    [
      'caller shares above 1',
      {
        callers: [
          { workload: 'a', share: 0.6 },
          { workload: 'b', share: 0.6 },
        ],
      },
      'services[0].callers shares add up to 1.2, more than 1',
    ],
    ['callers not a list', { callers: { workload: 'a' } }, 'services[0].callers must be a list'],
    ['uppercase name', { name: 'Web' }, `services[0].name "Web" ${WORKLOAD_NAME}`],
    ['quote in namespace', { namespace: 'a"b' }, `services[0].namespace "a"b" ${NAMESPACE_NAME}`],
    ['dot in namespace', { namespace: 'a.b' }, `services[0].namespace "a.b" ${NAMESPACE_NAME}`],
    [
      '64-character namespace',
      { namespace: 'n'.repeat(64) },
      `services[0].namespace "${'n'.repeat(64)}" ${NAMESPACE_NAME}`,
    ],
    ['underscore in name', { name: 'web_1' }, `services[0].name "web_1" ${WORKLOAD_NAME}`],
    ['leading dash', { name: '-web' }, `services[0].name "-web" ${WORKLOAD_NAME}`],
    ['trailing dash', { name: 'web-' }, `services[0].name "web-" ${WORKLOAD_NAME}`],
    ['empty label between dots', { name: 'web..v2' }, `services[0].name "web..v2" ${WORKLOAD_NAME}`],
    ['64-character workload', { name: 'w'.repeat(64) }, `services[0].name "${'w'.repeat(64)}" ${WORKLOAD_NAME}`],
    ['empty name', { name: '' }, 'services[0].name must be a non-empty string'],
    [
      'uppercase caller',
      { callers: [{ workload: 'Checkout', share: 0.5 }] },
      `services[0].callers[0].workload "Checkout" ${WORKLOAD_NAME}`,
    ],
    [
      'quoted caller namespace',
      { callers: [{ workload: 'checkout', namespace: 'x"} or 1', share: 0.5 }] },
      `services[0].callers[0].namespace "x"} or 1" ${NAMESPACE_NAME}`,
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(problemsOf(scenario([service(overrides)]))).toContain(expected);
  });

  test.each<[unknown, string]>([
    ['2.19', 'scenario.proxy must be one of 2.20, 2.14.1, got "2.19"'],
    [2.2, 'scenario.proxy must be one of 2.20, 2.14.1, got 2.2'],
    ['stable-2.14.1', 'scenario.proxy must be one of 2.20, 2.14.1, got "stable-2.14.1"'],
  ])('rejects the proxy generation %j', (proxy, expected) => {
    expect(problemsOf(scenario([service()], { proxy }))).toEqual([expected]);
  });

  it('reports a duplicate service once per extra declaration', () => {
    const problems = problemsOf(scenario([service(), service({ rps: 5 }), service({ namespace: 'other' }), service()]));
    expect(problems).toEqual(['service shop/web is declared twice', 'service shop/web is declared twice']);
  });

  it('reports a service that is not an object by its index', () => {
    expect(problemsOf(scenario([service(), 'web']))).toEqual(['services[1] must be an object']);
  });

  it('lists every problem of every service, and the message shows them all', () => {
    const input = scenario(
      [
        service({ name: 'Web', appLatencyMs: { median: 50, p95: 40 } }),
        service({ name: 'api', grpcFailures: { rate: 0.1, codes: { UNAVAILABLE: 1 } } }),
        service({
          name: 'api',
          callers: [
            { workload: 'a', share: 0.7 },
            { workload: 'b', share: 0.7 },
          ],
        }),
      ],
      { seed: -1, scrapeIntervalSeconds: 0 }
    );
    const expected = [
      'scenario.seed must be at least 0, got -1',
      'scenario.scrapeIntervalSeconds must be at least 1, got 0',
      'services[0].appLatencyMs.p95 (40) must be greater than its median (50)',
      `services[0].name "Web" ${WORKLOAD_NAME}`,
      'services[1].grpcFailures applies to gRPC services only (protocol is "http")',
      'services[2].callers shares add up to 1.4, more than 1',
      'service shop/api is declared twice',
    ];
    expect(problemsOf(input)).toEqual(expected);
    expect(() => parseScenario(input)).toThrow(expected.map((p) => `  - ${p}`).join('\n'));
  });
});

describe('parseScenario: changes over time', () => {
  const grpc = service({ name: 'pay', protocol: 'grpc' });

  it('keeps each change with the fields it sets, filled as the service’s own, earliest first', () => {
    const parsed = parseScenario(
      scenario([service(), grpc], {
        changes: [
          {
            minutesBeforeEnd: 5,
            service: 'shop/pay',
            set: { grpcFailures: { rate: 0.08, codes: { UNAVAILABLE: 1 } } },
          },
          { minutesBeforeEnd: 20, service: 'shop/web', set: { rps: 20, layers: ['app'] } },
        ],
      })
    );
    expect(parsed.changes).toEqual([
      { minutesBeforeEnd: 20, service: 'shop/web', set: { rps: 20, layers: ['app'] } },
      { minutesBeforeEnd: 5, service: 'shop/pay', set: { grpcFailures: { rate: 0.08, codes: { UNAVAILABLE: 1 } } } },
    ]);
  });

  it('has no changes when the file gives none', () => {
    expect(parseScenario(scenario()).changes).toBeUndefined();
  });

  it('accepts the bundled incident demo: the demo’s services and five changes', () => {
    const incident = namedScenario('demo-incident')!;
    expect(incident.services).toEqual(demoScenario().services);
    expect(incident.changes?.map((c) => [c.minutesBeforeEnd, c.service])).toEqual([
      [25, 'shop/shipping'],
      [20, 'shop/web'],
      [15, 'shop/checkout'],
      [10, 'shop/cart'],
      [6, 'shop/currency'],
    ]);
  });

  test.each<[string, unknown, string]>([
    ['not a list', { service: 'shop/web' }, 'scenario.changes must be a list'],
    [
      'an unknown service',
      [{ minutesBeforeEnd: 5, service: 'shop/api', set: { rps: 1 } }],
      'changes[0].service "shop/api" is not a service of the scenario (namespace/name)',
    ],
    [
      'a change at the end',
      [{ minutesBeforeEnd: 0, service: 'shop/web', set: { rps: 1 } }],
      'changes[0].minutesBeforeEnd must be more than 0: a change at the end of the range is never seen',
    ],
    [
      'a field no change may set',
      [{ minutesBeforeEnd: 5, service: 'shop/web', set: { pods: 3 } }],
      'changes[0].set must set some of rps, unmeshedRps, appLatencyMs, boundaryLatencyMs, httpErrorRate, grpcFailures, boundaryFailureRate, layers, not pods',
    ],
    [
      'nothing set',
      [{ minutesBeforeEnd: 5, service: 'shop/web', set: {} }],
      'changes[0].set must set some of rps, unmeshedRps, appLatencyMs, boundaryLatencyMs, httpErrorRate, grpcFailures, boundaryFailureRate, layers',
    ],
    [
      'a value the service would refuse',
      [{ minutesBeforeEnd: 5, service: 'shop/web', set: { rps: -2 } }],
      'changes[0].set.rps must be at least 0, got -2',
    ],
    [
      'gRPC failures on an HTTP service',
      [{ minutesBeforeEnd: 5, service: 'shop/web', set: { grpcFailures: { rate: 0.1, codes: { INTERNAL: 1 } } } }],
      'changes[0].set.grpcFailures applies to gRPC services only (protocol is "http")',
    ],
  ])('rejects %s', (_, changes, problem) => {
    expect(problemsOf(scenario([service()], { changes }))).toEqual([problem]);
  });

  it('checks a change on top of the earlier changes of its service', () => {
    const changes = [
      { minutesBeforeEnd: 30, service: 'shop/web', set: { appLatencyMs: { median: 50, p95: 100 } } },
      { minutesBeforeEnd: 10, service: 'shop/web', set: { appLatencyMs: { median: 50, p95: 40 } } },
    ];
    expect(problemsOf(scenario([service()], { changes }))).toEqual([
      'changes[1].set.appLatencyMs.p95 (40) must be greater than its median (50)',
    ]);
  });
});
