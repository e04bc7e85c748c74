/**
 * The incident timeline on real VictoriaMetrics: scenarios that change in the last half hour of a two-hour range
 * (the first hour is the baseline's). Flags of the range's most recent part, onsets within one query step of the
 * truth's, baseline figures within the truth's tolerances, a fixed number of queries.
 */
import { runIncidentOverview, runTimeline, type IncidentOverview } from '../../src/boundary/runTimeline';
import type { FlagOnset, ServiceRow } from '../../src/boundary/types';
import { COMPARE_OFFSETS, RECENT_WINDOW_SECONDS, type FlagId } from '../../src/constants';
import { namedScenario, scenarioOverrides } from '../../generator/scenarios';
import type { Scenario } from '../../generator/scenario';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { flagOnsets, type OnsetTruth } from '../../generator/timelineTruth';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { compareToTruth, observeRow } from '../shared/truthChecks';
import { loadScenarioInto, type LoadedStore } from './harness';

const RANGE_MINUTES = 60;
const HOUR = COMPARE_OFFSETS['1h'];

// The incident demo, its changes on the query steps' minutes; and a held-back seed whose changes no test was tuned
// to, 37 s off them, so a change falls inside a step.
const CASES: Array<{ title: string; scenario: () => Scenario; secondsOffMinute: number }> = [
  { title: 'demo-incident', scenario: () => namedScenario('demo-incident')!, secondsOffMinute: 0 },
  {
    title: 'held-back random-incident:2718:30, 37 s off the minute',
    scenario: () => namedScenario('random-incident:2718:30')!,
    secondsOffMinute: 37,
  },
];

function truthByKey(list: ServiceTruth[]): Map<string, ServiceTruth> {
  return new Map(list.map((t) => [t.key, t]));
}

/** How far a measured onset is from the truth's, in ms; undefined when they disagree on its kind. */
function onsetError(measured: FlagOnset | undefined, truth: OnsetTruth): number | undefined {
  if (!measured || measured.state === 'no-step') {
    return undefined;
  }
  const since = measured.state === 'since' ? measured.sinceMs : undefined;
  if ((since === undefined) !== (truth.sinceMs === undefined)) {
    return undefined;
  }
  if ((measured.untilMs === undefined) !== (truth.untilMs === undefined)) {
    return undefined;
  }
  return Math.max(
    Math.abs((since ?? 0) - (truth.sinceMs ?? 0)),
    Math.abs((measured.untilMs ?? 0) - (truth.untilMs ?? 0))
  );
}

describe.each(CASES)('the incident timeline: $title', ({ scenario: makeScenario, secondsOffMinute }) => {
  const scenario = makeScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    joinOverrides: scenarioOverrides(scenario),
  };
  const options = { semconv: 'stable' as const, thresholds: settings.thresholds };
  let loaded: LoadedStore;
  let overview: IncidentOverview;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', scenario, {
      schema: 'otel',
      semconv: 'stable',
      minutes: RANGE_MINUTES + HOUR / 60,
      secondsOffMinute,
    });
    overview = await runIncidentOverview(loaded.api, settings, loaded.window(RANGE_MINUTES), { compareSeconds: HOUR });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  const windowTruth = (fromMs: number, toMs: number) =>
    truthByKey(computeTruth(scenario, { ...options, window: { rangeEndMs: loaded.endMs, fromMs, toMs } }));

  it('flags what the range’s recent part shows, and says which window fired', () => {
    const whole = windowTruth(loaded.endMs - RANGE_MINUTES * 60_000, loaded.endMs);
    const recent = windowTruth(loaded.endMs - RECENT_WINDOW_SECONDS * 1000, loaded.endMs);
    expect(overview.notes).toEqual([]);
    expect(overview.recentSeconds).toBe(RECENT_WINDOW_SECONDS);
    const problems: string[] = [];
    for (const row of overview.rows) {
      const fired = (window: 'range' | 'recent') =>
        row.flags
          .filter((f) => f.windows?.includes(window))
          .map((f) => f.id)
          .sort();
      const expectRange = [...(whole.get(row.key)?.flags ?? [])].sort();
      const expectRecent = [...(recent.get(row.key)?.flags ?? [])].sort();
      if (JSON.stringify(fired('range')) !== JSON.stringify(expectRange)) {
        problems.push(`${row.key} range flags ${fired('range')}, truth ${expectRange}`);
      }
      if (JSON.stringify(fired('recent')) !== JSON.stringify(expectRecent)) {
        problems.push(`${row.key} recent flags ${fired('recent')}, truth ${expectRecent}`);
      }
    }
    expect(problems).toEqual([]);
    // The reason for the recent window: flags the hour's average misses are there.
    const onlyRecent = overview.rows.filter((r) => r.flags.some((f) => f.windows?.join() === 'recent'));
    expect(onlyRecent.length).toBeGreaterThan(0);
  });

  it('shows the figures of the range, as the truth has them for it', () => {
    const whole = windowTruth(loaded.endMs - RANGE_MINUTES * 60_000, loaded.endMs);
    const problems = overview.rows.flatMap((row) => {
      const truth = whole.get(row.key);
      if (!truth) {
        return [`${row.key} is not in the truth`];
      }
      return compareToTruth({ ...observeRow(row), flags: truth.flags }, truth);
    });
    expect(problems).toEqual([]);
  });

  it('gives each row the figures of the same range an hour earlier, within the truth’s tolerances', () => {
    const earlier = windowTruth(loaded.endMs - (RANGE_MINUTES * 60 + HOUR) * 1000, loaded.endMs - HOUR * 1000);
    const problems = overview.rows.flatMap((row) => {
      const truth = earlier.get(row.key);
      const baseline = row.baseline;
      if (!truth) {
        return baseline?.state === 'no-data' ? [] : [`${row.key} has a baseline the truth does not have`];
      }
      if (baseline?.state !== 'data') {
        return [`${row.key} has no baseline`];
      }
      const asRow: ServiceRow = { ...row, ...baseline, flags: [] };
      const observed = observeRow(asRow);
      // The baseline shows figures only: no coverage, no bucket range beside the p95 difference.
      delete observed.coverage;
      delete observed.outsideAppP95Bounds;
      return compareToTruth({ ...observed, flags: truth.flags }, truth);
    });
    expect(problems).toEqual([]);
  });

  it('dates every flag within one query step of the truth, with the overview’s five queries as range queries', async () => {
    const window = loaded.window(RANGE_MINUTES);
    const timeline = await runTimeline(loaded.api, settings, window, overview.rows, overview.buckets);
    // The five queries, latency in its parts (a quantile each and the mean): the overview's own requests.
    expect(new Set(timeline.queries.map((q) => q.refId)).size).toBe(5);
    expect(timeline.queries).toHaveLength(11);
    expect(timeline.failures).toEqual([]);
    const stepMs = timeline.stepSeconds! * 1000;
    expect(stepMs).toBe(60_000);
    const truth = flagOnsets(scenario, options, { startMs: window.from * 1000, endMs: window.to * 1000 });
    const errors: Array<{ key: string; flag: FlagId; errorMs?: number }> = [];
    for (const row of timeline.rows.filter((r) => r.flags.length > 0)) {
      expect(row.timeline?.points.length).toBeLessThanOrEqual(RANGE_MINUTES);
      for (const flag of row.flags) {
        const expected = truth.get(row.key)?.[flag.id];
        if (!expected) {
          errors.push({ key: row.key, flag: flag.id });
          continue;
        }
        errors.push({ key: row.key, flag: flag.id, errorMs: onsetError(row.timeline?.onsets[flag.id], expected) });
      }
    }
    const wrong = errors.filter((e) => e.errorMs === undefined || e.errorMs > stepMs);
    expect(wrong).toEqual([]);
    // Some flags began inside the range: the comparison is about real onsets, not only "all along".
    const dated = timeline.rows
      .flatMap((r) => Object.values(r.timeline?.onsets ?? {}))
      .filter((o) => o.state === 'since');
    expect(dated.length).toBeGreaterThan(0);
    const sinceErrors = timeline.rows.flatMap((r) =>
      r.flags
        .filter((f) => r.timeline?.onsets[f.id]?.state === 'since')
        .map((f) => `${r.key} ${f.id} ${errors.find((e) => e.key === r.key && e.flag === f.id)?.errorMs! / 1000} s`)
    );
    process.stdout.write(
      `${scenario.name}: ${errors.length} flags, step ${stepMs / 1000} s; onsets inside the range: ${sinceErrors.join('; ')}\n`
    );
  });
});
