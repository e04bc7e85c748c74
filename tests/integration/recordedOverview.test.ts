/**
 * The overview on the recording rules' series (src/query/recordedQueries.ts) against the raw series, on a real
 * VictoriaMetrics: the rates group of the rule file is replayed over a loaded scenario with vmalert, as it would
 * have run live, then runOverview reads both paths.
 *
 * (1) The demo, steady traffic: both paths equal the generator's truth, each other within 1 %, and `auto` picks the
 *     recorded one only when the recorded series cover the window.
 * (2) Changing traffic: steps in the request rate near each edge of the window, and a failing series that appears
 *     inside it. The recorded figure may differ from the raw path's rate over the window (increase() / W) by at
 *     most the bound of docs/rules.md: (R + I) / W × the largest difference between the rate near the window's end
 *     and the rate W earlier.
 */
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { recordRates } from '../../scripts/lib/ruleTools';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { importIntoVictoriaMetrics, startVictoriaMetrics, type RunningStore } from '../../scripts/lib/stores';
import { runOverview, type TimeWindow } from '../../src/boundary/runOverview';
import type { ServiceRow } from '../../src/boundary/types';
import { RECORDED_EVALUATION_SECONDS, RECORDED_RATE_WINDOW_SECONDS } from '../../src/query/recordedNames';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  type AppSettings,
  type RecordedSeriesMode,
} from '../../src/settings/types';
import { compareToTruth, observeRow, type ObservedService } from '../shared/truthChecks';
import { loadScenarioInto, type LoadedStore } from './harness';

const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'test',
  labelSchema: 'otel',
  meshSelector: DEFAULT_MESH_SELECTORS.otel,
};

function withMode(mode: RecordedSeriesMode): AppSettings {
  return { ...settings, recordedSeries: mode };
}

/** Every figure of a row, by name: what the two paths must agree on. */
function figures(row: ServiceRow): Record<string, number | undefined> {
  const {
    key: _key,
    coverage: _c,
    flags: _f,
    meshTrapEvidence: _e,
    outsideAppP95Bounds: _b,
    ...numbers
  } = observeRow(row) as ObservedService & Record<string, unknown>;
  return numbers as Record<string, number | undefined>;
}

describe('the overview on recorded series: the demo, steady traffic', () => {
  const scenario = demoScenario();
  const demoSettings = { ...settings, joinOverrides: scenarioOverrides(scenario) };
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
  let loaded: LoadedStore;
  /** The rules start ten minutes into the loaded hour. */
  const RULES_START_MINUTE = 10;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', scenario, { schema: 'otel', semconv: 'stable', minutes: 60 });
    await recordRates(loaded.store.url, demoSettings, loaded.startMs + RULES_START_MINUTE * 60_000, loaded.endMs);
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  const run = (mode: RecordedSeriesMode, window: TimeWindow) =>
    runOverview(loaded.api, { ...demoSettings, recordedSeries: mode }, window);

  it('auto reads the recorded series where they cover the window, the raw ones where they begin inside it', async () => {
    const covered = await run('auto', loaded.window(30));
    expect(covered.source).toEqual({ path: 'recorded', reason: 'the recording rules’ series cover the time range' });
    expect(covered.queries.every((q) => q.expr.includes('meshlens:'))).toBe(true);
    const longer = await run('auto', loaded.window(55));
    expect(longer.source).toEqual({
      path: 'raw',
      reason: 'the recorded series begin after the start of the time range',
    });
    expect(longer.queries.some((q) => q.expr.includes('meshlens:'))).toBe(false);
  });

  it('both paths equal the truth, and each other within 1 %, from the same number of requests', async () => {
    const raw = await run('raw', loaded.window(30));
    const recorded = await run('recorded', loaded.window(30));
    expect(recorded.queries).toHaveLength(raw.queries.length);
    expect([raw.failures, recorded.failures]).toEqual([[], []]);
    for (const [path, rows] of [
      ['raw', raw.rows],
      ['recorded', recorded.rows],
    ] as const) {
      const problems = truth.flatMap((t) => {
        const row = rows.find((r) => r.key === t.key);
        return row ? compareToTruth(observeRow(row), t) : [`${t.key} is missing`];
      });
      expect([path, problems]).toEqual([path, []]);
    }
    const apart: string[] = [];
    for (const rawRow of raw.rows) {
      const recordedRow = recorded.rows.find((r) => r.key === rawRow.key);
      expect([rawRow.key, recordedRow?.flags]).toEqual([rawRow.key, rawRow.flags]);
      const a = figures(rawRow);
      const b = figures(recordedRow!);
      for (const name of Object.keys(a)) {
        const [x, y] = [a[name], b[name]];
        const close =
          (x === undefined && y === undefined) ||
          (x !== undefined && y !== undefined && Math.abs(x - y) <= 0.01 * Math.abs(x) + 1e-9);
        if (!close) {
          apart.push(`${rawRow.key} ${name}: raw ${x}, recorded ${y}`);
        }
      }
    }
    expect(apart).toEqual([]);
    expect(recorded.rows).toHaveLength(raw.rows.length);
  });

  it('filters the recorded series to a namespace as the raw ones', async () => {
    const raw = await runOverview(loaded.api, withMode('raw'), loaded.window(30), { namespace: 'notify' });
    const recorded = await runOverview(loaded.api, withMode('recorded'), loaded.window(30), { namespace: 'notify' });
    expect(recorded.rows.map((r) => r.key)).toEqual(raw.rows.map((r) => r.key));
    expect(recorded.rows.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Changing traffic.

const SCRAPE_SECONDS = 15;
const MINUTES = 40;
const WINDOW_SECONDS = 900;
const NAMESPACE = 'changing';

/** A counter's rate (per second) at `t` seconds before the window's end. */
type RateAt = (secondsBeforeEnd: number) => number;

interface Workload {
  name: string;
  success: RateAt;
  /** A failing series that exists only from this many seconds before the end, at this rate. */
  failure?: { bornBeforeEnd: number; rate: number };
}

const WORKLOADS: Workload[] = [
  { name: 'steady', success: () => 2 },
  // 1 → 3 requests/s 40 s before the end: inside the last rate window and evaluation.
  { name: 'rise-at-end', success: (t) => (t < 40 ? 3 : 1) },
  // 3 → 1 requests/s 20 s after the window's start.
  { name: 'fall-at-start', success: (t) => (t > WINDOW_SECONDS - 20 ? 3 : 1) },
  // Failures that begin 5 minutes before the end, in a series of their own.
  { name: 'new-failures', success: () => 2, failure: { bornBeforeEnd: 300, rate: 0.5 } },
];

/** The counter's value at `t` seconds before the end: the integral of the rate from the start of the data. */
function counter(rate: RateAt, t: number, bornBeforeEnd = MINUTES * 60): number {
  let value = 0;
  for (let s = bornBeforeEnd; s > t; s -= 1) {
    value += rate(s - 0.5);
  }
  return value;
}

/** The exact average rate over the window, and the bound's rate difference near its end. */
function exact(rate: RateAt, bornBeforeEnd = MINUTES * 60) {
  const alive = (t: number) => (t < bornBeforeEnd ? rate(t) : 0);
  const average = (counter(rate, 0, bornBeforeEnd) - counter(rate, WINDOW_SECONDS, bornBeforeEnd)) / WINDOW_SECONDS;
  // (R + I) seconds before the end, plus a scrape: where the recorded rates read what the window's rate does not.
  const reach = RECORDED_RATE_WINDOW_SECONDS + RECORDED_EVALUATION_SECONDS + SCRAPE_SECONDS;
  let change = 0;
  for (let t = 0; t <= reach; t++) {
    change = Math.max(change, Math.abs(alive(t) - alive(t + WINDOW_SECONDS)));
  }
  const bound = ((RECORDED_RATE_WINDOW_SECONDS + RECORDED_EVALUATION_SECONDS) / WINDOW_SECONDS) * change;
  return { average, bound };
}

function importLines(endMs: number): string {
  const lines: string[] = [];
  const series = (labels: Record<string, string>, rate: RateAt, bornBeforeEnd = MINUTES * 60) => {
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let t = MINUTES * 60; t >= 0; t -= SCRAPE_SECONDS) {
      if (t < bornBeforeEnd) {
        timestamps.push(endMs - t * 1000);
        values.push(counter(rate, t, bornBeforeEnd));
      }
    }
    lines.push(JSON.stringify({ metric: { __name__: 'response_total', ...labels }, values, timestamps }));
  };
  for (const w of WORKLOADS) {
    const base = {
      layer: 'mesh',
      direction: 'inbound',
      k8s_namespace_name: NAMESPACE,
      k8s_deployment_name: w.name,
      k8s_pod_name: `${w.name}-0`,
    };
    series({ ...base, status_code: '200', classification: 'success' }, w.success);
    if (w.failure) {
      const { rate, bornBeforeEnd } = w.failure;
      series({ ...base, status_code: '500', classification: 'failure' }, () => rate, bornBeforeEnd);
    }
  }
  return lines.join('\n');
}

describe('the overview on recorded series: changing traffic stays within the bound of docs/rules.md', () => {
  let store: RunningStore;
  let endMs = 0;

  beforeAll(async () => {
    store = await startVictoriaMetrics();
    endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    await importIntoVictoriaMetrics(store.url, [importLines(endMs)], 'json');
    await recordRates(store.url, settings, endMs - (MINUTES - 2) * 60_000, endMs);
  });
  afterAll(async () => {
    await store?.stop();
  });

  // At the window's end on an evaluation, and 20 s after the last one (the recorded series lag behind).
  it.each([0, 20])('%i s after the last evaluation', async (lagSeconds) => {
    const api = createPromHttpApi({ baseUrl: store.url });
    // The data ends on an evaluation; a window ending `shift` seconds earlier finds the last one `lag` s old.
    const shift = lagSeconds === 0 ? 0 : RECORDED_EVALUATION_SECONDS - lagSeconds;
    const to = endMs / 1000 - shift;
    const window = { from: to - WINDOW_SECONDS, to };
    const [raw, recorded] = await Promise.all(
      (['raw', 'recorded'] as const).map((mode) => runOverview(api, withMode(mode), window))
    );
    expect(recorded.source.path).toBe('recorded');
    const report: string[] = [];
    const failures = (row: ServiceRow | undefined) =>
      row?.mesh ? row.mesh.rps * (1 - (row.mesh.successRate ?? 1)) : 0;
    for (const w of WORKLOADS) {
      const key = `${NAMESPACE}/${w.name}`;
      const rawRow = raw.rows.find((r) => r.key === key);
      const recordedRow = recorded.rows.find((r) => r.key === key);
      // Rates as seen from the window's end.
      const success = exact((t) => w.success(t + shift));
      const failure = w.failure
        ? exact(() => w.failure!.rate, w.failure.bornBeforeEnd - shift)
        : { average: 0, bound: 0 };
      const total = { average: success.average + failure.average, bound: success.bound + failure.bound };
      const within = (what: string, measured: number | undefined, expected: number, bound: number) => {
        if (measured === undefined || Math.abs(measured - expected) > bound + 1e-6 * expected) {
          report.push(`${key} ${what}: ${measured} vs ${expected.toFixed(4)} (bound ${bound.toFixed(4)})`);
        }
      };
      // The recorded rate against the exact average over the window: within the bound.
      within('recorded rps vs exact', recordedRow?.mesh?.rps, total.average, total.bound);
      within('recorded failures/s vs exact', failures(recordedRow), failure.average, failure.bound);
      if (!w.failure) {
        // Series that exist over the whole window: rate() over it agrees with the exact average, so the two paths
        // stay within the bound of each other too.
        within('recorded rps vs raw', recordedRow?.mesh?.rps, rawRow!.mesh!.rps, total.bound);
      }
    }
    expect(report).toEqual([]);
  });

  it('both paths weigh a series that starts inside the window by the window, not by its own life', async () => {
    const api = createPromHttpApi({ baseUrl: store.url });
    const window = { from: endMs / 1000 - WINDOW_SECONDS, to: endMs / 1000 };
    const raw = await runOverview(api, withMode('raw'), window);
    const recorded = await runOverview(api, withMode('recorded'), window);
    const failuresOf = (rows: ServiceRow[]) => {
      const row = rows.find((r) => r.key === `${NAMESPACE}/new-failures`)!;
      return row.mesh!.rps * (1 - row.mesh!.successRate!);
    };
    // 0.5 failures/s for the last 5 of 15 minutes: 1/6 per second over the window. VictoriaMetrics' rate() would
    // divide by the 5 minutes the series existed (0.5); the raw path's increase() over the window and the recorded
    // path's mean of the recorded rates both read the window's mean.
    expect(failuresOf(recorded.rows)).toBeCloseTo(0.5 / 3, 1);
    expect(failuresOf(raw.rows)).toBeCloseTo(0.5 / 3, 1);
  });
});
