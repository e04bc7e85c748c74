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
import { compareSide } from '../shared/truthChecks';
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

  it('has every edge with both ends’ rate, success, p95, mean and mTLS share, from a fixed number of queries', async () => {
    const map = await runServiceMap(loaded.api, settings, loaded.window(30));
    expect(map.queries).toBe(16);
    expect(map.failures).toEqual([]);
    const truth = computeEdgeTruth(scenario, { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
    expect(map.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(
      truth.map((t) => `${t.source}->${t.target}`).sort()
    );
    const problems = truth.flatMap((t) => {
      const edge = map.edges.find((e) => e.source === t.source && e.target === t.target)!;
      const shared = [...edge.sharedWith].sort().join(',') === [...t.sharedWith].sort().join(',');
      return [
        ...compareSide(`${edge.id} caller side`, edge.callerSide, t.callerSide),
        ...compareSide(`${edge.id} callee side`, edge.calleeSide, t.calleeSide),
        ...(edge.match === t.match ? [] : [`${edge.id} paired ${edge.match}, truth ${t.match}`]),
        ...(shared ? [] : [`${edge.id} shared with ${edge.sharedWith.join(',')}, truth ${t.sharedWith.join(',')}`]),
      ];
    });
    expect(problems).toEqual([]);
    // Every way of pairing occurs, so none passes by never happening.
    expect(new Set(map.edges.map((e) => e.match))).toEqual(new Set(truth.map((t) => t.match)));
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
