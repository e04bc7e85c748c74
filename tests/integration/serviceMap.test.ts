import { runServiceMap } from '../../src/boundary/runServiceMap';
import { filterServiceMap } from '../../src/boundary/serviceMap';
import { demoScenario, randomScenario, scenarioOverrides } from '../../generator/scenarios';
import type { Scenario } from '../../generator/scenario';
import { computeEdgeTruth, computeTruth } from '../../generator/truth';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  DEFAULT_THRESHOLDS,
  type AppSettings,
  type LabelSchema,
} from '../../src/settings/types';
import { loadScenarioInto, type LoadedStore } from './harness';

const CASES: Array<[string, () => Scenario, LabelSchema]> = [
  ['demo, OTel schema', demoScenario, 'otel'],
  [
    'held-back seed 4711, Linkerd schema',
    () => randomScenario({ seed: 4711, services: 30, perNamespace: 10 }),
    'linkerd',
  ],
];

describe.each(CASES)('service map edges equal the truth: %s', (_, makeScenario, schema) => {
  const scenario = makeScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: schema,
    meshSelector: DEFAULT_MESH_SELECTORS[schema],
    joinOverrides: scenarioOverrides(scenario),
  };
  let loaded: LoadedStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', scenario, { schema, semconv: 'stable', minutes: 40 });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('has every edge with its rate, success, p95 and mTLS share, from a fixed number of queries', async () => {
    const map = await runServiceMap(loaded.api, settings, loaded.window(30));
    expect(map.queries).toBe(7);
    const truth = computeEdgeTruth(scenario, { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
    expect(map.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(
      truth.map((t) => `${t.source}->${t.target}`).sort()
    );
    const problems: string[] = [];
    for (const t of truth) {
      const edge = map.edges.find((e) => e.source === t.source && e.target === t.target)!;
      const off = (a: number | undefined, b: number | undefined) =>
        a === undefined || b === undefined ? a !== b : b === 0 ? Math.abs(a) > 1e-9 : Math.abs(a - b) / b > 0.01;
      if (off(edge.rps, t.rps)) problems.push(`${edge.id} rps ${edge.rps} vs ${t.rps}`);
      if (t.rps > 0 && off(edge.successRate, t.successRate))
        problems.push(`${edge.id} success ${edge.successRate} vs ${t.successRate}`);
      if (t.rps > 0 && edge.mtlsShare !== t.mtlsShare)
        problems.push(`${edge.id} mTLS ${edge.mtlsShare} vs ${t.mtlsShare}`);
      if (t.rps > 0 && t.p95 && (edge.p95 === undefined || edge.p95 < t.p95.lower || edge.p95 > t.p95.upper)) {
        problems.push(`${edge.id} p95 ${edge.p95} outside (${t.p95.lower}, ${t.p95.upper}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('marks the flagged nodes, and the flagged focus keeps exactly those and their direct peers', async () => {
    const map = await runServiceMap(loaded.api, settings, loaded.window(30));
    const flaggedTruth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds })
      .filter((t) => t.flags.length > 0 && t.mesh)
      .map((t) => t.key)
      .sort();
    expect(
      map.nodes
        .filter((n) => n.flags.length > 0)
        .map((n) => n.id)
        .sort()
    ).toEqual(flaggedTruth);
    const focused = filterServiceMap(map, { focus: 'flagged' });
    const expected = new Set(flaggedTruth);
    for (const e of computeEdgeTruth(scenario, { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS })) {
      if (flaggedTruth.includes(e.source) || flaggedTruth.includes(e.target)) {
        expected.add(e.source);
        expected.add(e.target);
      }
    }
    expect(focused.nodes.map((n) => n.id).sort()).toEqual([...expected].sort());
  });
});
