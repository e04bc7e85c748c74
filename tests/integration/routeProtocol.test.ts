/**
 * gRPC traffic Linkerd's route metrics record as HTTP, found on a real store as the drill-down finds it, against
 * what the scenario says: a gRPC service without a GRPCRoute, on a proxy generation that has the route families.
 */
import { httpRoutedGrpc } from '../../src/boundary/routeProtocol';
import { runOverview } from '../../src/boundary/runOverview';
import { promDuration } from '../../src/query/promql';
import { HTTP_ROUTE_FAMILIES, routeProtocolQueries, type RouteProtocolRefId } from '../../src/query/serviceQueries';
import type { Sample } from '../../src/query/sample';
import { demoScenario, randomScenario, scenarioOverrides } from '../../generator/scenarios';
import type { Scenario } from '../../generator/scenario';
import { proxyGeneration } from '../../generator/linkerd/generations';
import { COLLECTOR_KEEP } from '../../generator/worlds';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings, type LabelSchema } from '../../src/settings/types';
import { loadScenarioInto, type LoadedStore } from './harness';

const CASES: Array<[string, () => Scenario, LabelSchema]> = [
  ['demo, linkerd-viz world, Linkerd 2.20', demoScenario, 'linkerd'],
  ['demo, Collector world (keeps only the legacy families), Linkerd 2.20', demoScenario, 'otel'],
  [
    'held-back seed 5150, linkerd-viz world, Linkerd stable-2.14.1 (no route families)',
    () => randomScenario({ seed: 5150, services: 20, perNamespace: 10, proxy: '2.14.1' }),
    'linkerd',
  ],
];

describe.each(CASES)('gRPC on HTTP routes: %s', (_, makeScenario, schema) => {
  const scenario = makeScenario();
  const generation = proxyGeneration(scenario.proxy);
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: schema,
    meshSelector: DEFAULT_MESH_SELECTORS[schema],
    joinOverrides: scenarioOverrides(scenario),
  };
  let loaded: LoadedStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', scenario, { schema, semconv: 'stable', minutes: 30 });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('names every gRPC service without a GRPCRoute, and no other', async () => {
    const window = loaded.window(20);
    const { rows } = await runOverview(loaded.api, settings, window);
    const found: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const service of scenario.services.filter((s) => s.layers.includes('mesh') && s.rps > 0)) {
      const key = `${service.namespace}/${service.name}`;
      const row = rows.find((r) => r.key === key)!;
      const ref = { namespace: service.namespace, workload: service.name };
      const queries = routeProtocolQueries(settings, ref, promDuration(window.to - window.from));
      const answers = await Promise.all(queries.map((q) => loaded.api.instant(q.expr, window.to)));
      const results = Object.fromEntries(queries.map((q, i) => [q.refId, answers[i]])) as Record<
        RouteProtocolRefId,
        Sample[]
      >;
      found[key] = httpRoutedGrpc(row, results);
      const onHttpRoutes = service.protocol === 'grpc' && !service.grpcRoute;
      const called = service.callers.some((c) => c.share > 0);
      // The reference Collector keeps only the legacy families (generator/worlds.ts COLLECTOR_KEEP).
      const kept = (family: string) => schema === 'linkerd' || COLLECTOR_KEEP.test(family);
      const outbound = onHttpRoutes && called && generation.outboundRouteFamilies && kept(HTTP_ROUTE_FAMILIES.outbound);
      const inbound = onHttpRoutes && generation.inboundRouteFamilies && kept(HTTP_ROUTE_FAMILIES.inbound);
      expected[key] = outbound || inbound ? { outboundServices: outbound ? [service.name] : [], inbound } : undefined;
    }
    expect(found).toEqual(expected);
    // The demo has both cases: payments without a GRPCRoute, currency with one.
    if (scenario.name === 'demo' && schema === 'linkerd') {
      expect(found['shop/payments']).toEqual({ outboundServices: ['payments'], inbound: true });
      expect(found['shop/currency']).toBeUndefined();
    }
  });
});
