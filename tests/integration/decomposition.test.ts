/**
 * The boundary decomposed, on a real store: each service's callers and callees counted at both ends, and where
 * its time went and its failures were made, against the truth of scenarios the code was not tuned to.
 */
import { failureBreakdown, timeBreakdown } from '../../src/boundary/breakdown';
import { runEdges } from '../../src/boundary/runEdges';
import { runOverview } from '../../src/boundary/runOverview';
import { demoScenario, randomScenario, scenarioOverrides } from '../../generator/scenarios';
import type { Scenario } from '../../generator/scenario';
import { computeBreakdownTruth, computeEdgeGroupTruth, type BreakdownTruth } from '../../generator/truth';
import { calleeRows, callerRows } from '../../src/pages/Service/tabs/peerRows';
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
  ['demo, Collector world, Linkerd 2.20', demoScenario, 'otel'],
  [
    'held-back seed 8086, linkerd-viz world, Linkerd stable-2.14.1',
    () => randomScenario({ seed: 8086, services: 24, perNamespace: 8, proxy: '2.14.1' }),
    'linkerd',
  ],
];

const WINDOW_MINUTES = 30;

/**
 * A difference of two figures each within 1 % may be off by 1 % of their magnitudes' sum, plus `granule`: counters
 * count whole requests, so a rate of a few failures in the window is off by a request or two.
 */
function within(measured: number | undefined, truth: number | undefined, scale: number, granule = 1e-6): boolean {
  if (measured === undefined || truth === undefined) {
    return measured === truth;
  }
  return Math.abs(measured - truth) <= 0.01 * scale + granule;
}

/** Two whole requests over the window, as a rate. */
const TWO_REQUESTS = 2 / (WINDOW_MINUTES * 60);

describe.each(CASES)('the boundary decomposed: %s', (_, makeScenario, schema) => {
  const scenario = makeScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: schema,
    meshSelector: DEFAULT_MESH_SELECTORS[schema],
    joinOverrides: scenarioOverrides(scenario),
  };
  const options = { semconv: 'stable' as const, thresholds: DEFAULT_THRESHOLDS };
  const groups = computeEdgeGroupTruth(scenario, options);
  const meshed = scenario.services.filter((s) => s.layers.includes('mesh'));
  let loaded: LoadedStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', scenario, { schema, semconv: 'stable', minutes: 40 });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('shows every service’s callers with both ends’ counts, from five queries per service', async () => {
    const problems: string[] = [];
    for (const service of meshed) {
      const ref = { namespace: service.namespace, workload: service.name };
      const key = `${ref.namespace}/${ref.workload}`;
      const result = await runEdges(loaded.api, settings, loaded.window(WINDOW_MINUTES), {
        kind: 'callers',
        service: ref,
      });
      expect(result.queries).toHaveLength(5);
      const rows = callerRows(result.edges, ref);
      const expected = groups.filter((g) => g.target === key);
      if (rows.length !== expected.length) {
        problems.push(`${key}: ${rows.length} caller rows, truth ${expected.length}`);
        continue;
      }
      for (const truth of expected) {
        const label = truth.callers.map((c) => c.key).join(', ');
        const row = rows.find((r) =>
          label
            ? r.label === label
            : r.callerSide === undefined &&
              r.workloads.length === 0 &&
              r.label.includes(truth.identity === '' ? 'no mTLS' : truth.identity!.split('.')[0])
        );
        if (!row) {
          problems.push(`${key}: no caller row for ${label || truth.identity}`);
          continue;
        }
        problems.push(...compareSide(`${key} ← ${row.label} caller side`, row.callerSide, truth.callerSide));
        problems.push(...compareSide(`${key} ← ${row.label} callee side`, row.calleeSide, truth.calleeSide));
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows every service’s callees with its own count beside the callee’s count of it', async () => {
    const problems: string[] = [];
    for (const service of meshed) {
      const ref = { namespace: service.namespace, workload: service.name };
      const key = `${ref.namespace}/${ref.workload}`;
      const result = await runEdges(loaded.api, settings, loaded.window(WINDOW_MINUTES), {
        kind: 'callees',
        service: ref,
      });
      const rows = calleeRows(result.edges, ref);
      const expected = groups.filter((g) => g.callers.some((c) => c.key === key));
      expect(rows.map((r) => r.label).sort()).toEqual(expected.map((g) => g.target).sort());
      for (const truth of expected) {
        const row = rows.find((r) => r.label === truth.target)!;
        const own = truth.callers.find((c) => c.key === key)!;
        problems.push(...compareSide(`${key} → ${truth.target} own count`, row.callerSide, own.side));
        const calleeSide = truth.callers.length === 1 ? truth.calleeSide : undefined;
        problems.push(...compareSide(`${key} → ${truth.target} callee's count`, row.calleeSide, calleeSide));
      }
    }
    expect(problems).toEqual([]);
  });

  it('says where each service’s time went and its failures were made', async () => {
    const window = loaded.window(WINDOW_MINUTES);
    const { rows } = await runOverview(loaded.api, settings, window);
    const truths = computeBreakdownTruth(scenario, options);
    const problems: string[] = [];
    for (const truth of truths.filter((t) => rows.some((r) => r.key === t.key && r.mesh))) {
      const row = rows.find((r) => r.key === truth.key)!;
      const [namespace, workload] = truth.key.split('/');
      const { edges } = await runEdges(loaded.api, settings, window, {
        kind: 'callers',
        service: { namespace, workload },
      });
      const time = timeBreakdown(row, edges);
      const failures = failureBreakdown(row, edges);
      const meanScale = (truth.callersWaited ?? 0) + (row.mesh?.latency.mean ?? 0) + (truth.app ?? 0);
      // Failed rates are counted as exactly as any rate: 1 % of the failures involved.
      const failed = (f?: { rps: number; successRate?: number }) => (f ? f.rps * (1 - (f.successRate ?? 1)) : 0);
      const rpsScale = 2 * (failed(row.mesh) + failed(row.mesh?.callers) + failed(row.app));
      const checks: Array<[keyof BreakdownTruth, number | undefined, number, number?]> = [
        ['callersWaited', time.callersWaited, meanScale],
        ['callerSide', time.callerSide, meanScale],
        ['calleeSide', time.calleeSide, meanScale],
        ['app', time.app, meanScale],
        ['failedByCallers', failures.callerProxies, rpsScale, TWO_REQUESTS],
        ['failedByProxy', failures.calleeProxy, rpsScale, TWO_REQUESTS],
        ['failedByApp', failures.app, rpsScale, TWO_REQUESTS],
      ];
      for (const [field, measured, scale, granule] of checks) {
        if (!within(measured, truth[field] as number | undefined, scale, granule)) {
          problems.push(`${truth.key} ${field}: shown ${measured}, truth ${truth[field]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
