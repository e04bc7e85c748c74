import { runOverview } from '../../src/boundary/runOverview';
import type { LatencyFigures, ServiceRow } from '../../src/boundary/types';
import { demoScenario, randomScenario, scenarioOverrides } from '../../src/demo/scenarios';
import type { Scenario } from '../../src/demo/scenario';
import { computeTruth, type LatencyTruth, type ServiceTruth } from '../../src/demo/truth';
import { DEFAULT_SETTINGS, type AppSettings, type LabelSchema, type SemconvVersion } from '../../src/settings/types';
import { loadScenarioInto, type LoadedStore, type StoreKind } from './harness';

interface Case {
  title: string;
  store: StoreKind;
  scenario: () => Scenario;
  schema: LabelSchema;
  semconv: SemconvVersion;
}

// The demo, and held-back scenarios drawn from seeds no test was tuned to, on both stores, schemas and conventions.
const CASES: Case[] = [
  { title: 'demo on VictoriaMetrics (OTel schema, stable semconv)', store: 'victoria-metrics', scenario: demoScenario, schema: 'otel', semconv: 'stable' },
  { title: 'demo on Prometheus (Linkerd schema, legacy semconv)', store: 'prometheus', scenario: demoScenario, schema: 'linkerd', semconv: 'legacy' },
  { title: 'held-back seed 7331 on VictoriaMetrics (Linkerd schema, legacy semconv)', store: 'victoria-metrics', scenario: () => randomScenario({ seed: 7331, services: 24, perNamespace: 9 }), schema: 'linkerd', semconv: 'legacy' },
  { title: 'held-back seed 90210 on Prometheus (OTel schema, stable semconv)', store: 'prometheus', scenario: () => randomScenario({ seed: 90210, services: 24, perNamespace: 7 }), schema: 'otel', semconv: 'stable' },
];

const WINDOW_MINUTES = 30;

function expectRate(measured: number | undefined, truth: number | undefined, what: string) {
  if (truth === undefined) {
    expect({ what, measured }).toEqual({ what, measured: undefined });
    return;
  }
  expect(measured).toBeDefined();
  const error = truth === 0 ? Math.abs(measured!) : Math.abs(measured! - truth) / truth;
  if (error > 0.01) {
    throw new Error(`${what}: measured ${measured}, truth ${truth} (${(error * 100).toFixed(2)} % off)`);
  }
}

/**
 * Shares of traffic (trap, 5xx) within 1 % of their value, or within 0.1 point of all traffic: a share of
 * 0.05 % is a handful of whole requests in the window, and counters count whole requests.
 */
function expectShare(measured: number | undefined, truth: number | undefined, what: string) {
  if (truth === undefined || measured === undefined) {
    expect({ what, measured }).toEqual({ what, measured: truth });
    return;
  }
  const error = Math.abs(measured - truth);
  if (error > Math.max(0.01 * truth, 0.001)) {
    throw new Error(`${what}: measured ${measured}, truth ${truth}`);
  }
}

function expectLatency(measured: LatencyFigures, truth: LatencyTruth | undefined, what: string) {
  for (const q of ['p50', 'p95', 'p99'] as const) {
    const value = measured[q];
    if (!truth) {
      expect({ what, q, value }).toEqual({ what, q, value: undefined });
      continue;
    }
    const t = truth[q];
    // Inside the bucket that holds the true quantile, and within 5 % of its width of where interpolation
    // over exact buckets puts it (whole-request counts move the interpolation a little).
    const slack = 0.05 * (t.upper - t.lower) + 1e-6;
    if (value === undefined || value < t.lower - 1e-6 || value > t.upper + 1e-6 || Math.abs(value - t.expected) > slack) {
      throw new Error(`${what} ${q}: measured ${value}, expected ${t.expected} in bucket (${t.lower}, ${t.upper}], exact ${t.exact}`);
    }
  }
}

function checkRow(row: ServiceRow | undefined, truth: ServiceTruth) {
  if (!row) {
    throw new Error(`${truth.key} is missing from the overview`);
  }
  expect({ key: row.key, coverage: row.coverage }).toEqual({ key: truth.key, coverage: truth.coverage });
  expect(Boolean(row.mesh)).toBe(Boolean(truth.mesh));
  expect(Boolean(row.app)).toBe(Boolean(truth.app));
  if (row.mesh && truth.mesh) {
    expectRate(row.mesh.rps, truth.mesh.rps, `${truth.key} mesh rps`);
    expectRate(row.mesh.successRate, truth.mesh.successRate, `${truth.key} mesh success`);
    expectShare(row.mesh.grpcTrapShare, truth.mesh.grpcTrapShare, `${truth.key} gRPC trap share`);
    expectShare(row.mesh.httpErrorShare, truth.mesh.httpErrorShare, `${truth.key} mesh HTTP 5xx share`);
    expect(row.mesh.grpcTrapCodes.map((c) => c.code)).toEqual(truth.mesh.grpcTrapCodes);
    expectLatency(row.mesh.latency, truth.mesh.latency, `${truth.key} mesh`);
  }
  if (row.app && truth.app) {
    expectRate(row.app.rps, truth.app.rps, `${truth.key} app rps`);
    expectRate(row.app.successRate, truth.app.successRate, `${truth.key} app success`);
    expectLatency(row.app.latency, truth.app.latency, `${truth.key} app`);
  }
  if (truth.outsideAppP95) {
    expect(row.outsideAppP95).toBeDefined();
    expect(Math.abs(row.outsideAppP95! - truth.outsideAppP95.expected)).toBeLessThanOrEqual(0.02 * truth.outsideAppP95.tolerance + 1e-6);
  } else {
    expect(row.outsideAppP95).toBeUndefined();
  }
  expect({ key: truth.key, flags: row.flags.map((f) => f.id).sort() }).toEqual({ key: truth.key, flags: [...truth.flags].sort() });
}

describe.each(CASES)('overview figures equal the truth: $title', ({ store: kind, scenario: makeScenario, schema, semconv }) => {
  const scenario = makeScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: schema,
    semconv,
    joinOverrides: scenarioOverrides(scenario),
  };
  const truth = computeTruth(scenario, { semconv, thresholds: settings.thresholds });
  let loaded: LoadedStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto(kind, scenario, { schema, semconv, minutes: 60 });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('lists every service once, with the truth’s figures and flags', async () => {
    const { rows, queries } = await runOverview(loaded.api, settings, loaded.window(WINDOW_MINUTES));
    expect(queries).toHaveLength(4);
    expect(rows.map((r) => r.key).sort()).toEqual(truth.map((t) => t.key).sort());
    for (const t of truth) {
      checkRow(rows.find((r) => r.key === t.key), t);
    }
  });

  it('flags exactly the services the truth flags', async () => {
    const { rows } = await runOverview(loaded.api, settings, loaded.window(WINDOW_MINUTES));
    const flagged = (list: Array<{ key: string; flags: unknown[] }>) => list.filter((r) => r.flags.length > 0).map((r) => r.key).sort();
    expect(flagged(rows)).toEqual(flagged(truth));
    // Every kind of flag occurs in these scenarios, so none of them passes by never firing.
    expect(new Set(rows.flatMap((r) => r.flags.map((f) => f.id)))).toEqual(new Set(['grpc-trap', 'boundary-latency', 'disagreement', 'coverage']));
  });
});
