import { TIMELINE_MAX_POINTS, TIMELINE_MIN_STEP_SECONDS } from '../constants';
import type { RangeSeries } from '../query/promApi';
import { DEFAULT_SETTINGS } from '../settings/types';
import { buildOverviewRows, type OverviewResults } from './overview';
import {
  buildTimelines,
  figureValue,
  flagStretchMs,
  latestStretch,
  samplesByStep,
  selectionOf,
  timelineStep,
  trendFigure,
  withBaseline,
  withRecentFlags,
} from './timeline';
import type { FlagOnset, ServiceRow } from './types';

const T0 = Date.UTC(2026, 0, 1, 12);
const MINUTE = 60_000;
const mesh = (workload: string) => ({ k8s_namespace_name: 'shop', k8s_deployment_name: workload });
const app = (service: string) => ({ service_name: service, service_namespace: 'shop' });
const OK = { classification: 'success', status_code: '200', grpc_status: '0' };
const TRAP = { classification: 'failure', status_code: '200', grpc_status: '14' };

/** The overview's answers at one moment: `trap` of payments' calls fail behind HTTP 200. */
function answers(trap: number): OverviewResults {
  return {
    meshResponses: [
      { labels: { ...mesh('payments'), ...OK }, value: 40 * (1 - trap) },
      ...(trap > 0 ? [{ labels: { ...mesh('payments'), ...TRAP }, value: 40 * trap }] : []),
      { labels: { ...mesh('web'), ...OK }, value: 50 },
    ],
    meshLatency: [],
    meshCallers: [],
    appRequests: [
      { labels: { ...app('payments'), rpc_response_status_code: 'OK' }, value: 40 * (1 - trap) },
      ...(trap > 0
        ? [{ labels: { ...app('payments'), rpc_response_status_code: 'UNAVAILABLE' }, value: 40 * trap }]
        : []),
      { labels: { ...app('web'), http_response_status_code: '200' }, value: 50 },
    ],
    appLatency: [],
  };
}

const rowsAt = (trap: number) => buildOverviewRows(answers(trap), DEFAULT_SETTINGS);
const row = (rows: ServiceRow[], key: string) => rows.find((r) => r.key === key)!;

describe('timelineStep', () => {
  test.each([
    [5 * 60, 60],
    [3600, 60],
    [3 * 3600, 120],
    [6 * 3600, 300],
    [24 * 3600, 900],
    [7 * 86_400, 7200],
    [30 * 86_400, 21_600],
    [90 * 86_400, 86_400],
  ])('a range of %p s steps by %p s', (range, step) => {
    expect(timelineStep(range)).toBe(step);
  });

  it('keeps every range within the points limit, each step at least the least step', () => {
    for (let range = 60; range < 400 * 86_400; range = Math.ceil(range * 1.37)) {
      const step = timelineStep(range);
      expect(range / step).toBeLessThanOrEqual(TIMELINE_MAX_POINTS);
      expect(step).toBeGreaterThanOrEqual(TIMELINE_MIN_STEP_SECONDS);
    }
  });
});

describe('latestStretch', () => {
  const times = [0, 1, 2, 3, 4, 5].map((i) => T0 + i * MINUTE);
  test.each<[string, boolean[], ReturnType<typeof latestStretch>]>([
    ['began at the fourth step', [false, false, false, true, true, true], { state: 'since', sinceMs: times[3] }],
    ['held all along', [true, true, true, true, true, true], { state: 'all-along' }],
    ['the latest of two stretches', [true, true, false, false, true, true], { state: 'since', sinceMs: times[4] }],
    [
      'ended before the last step',
      [false, true, true, false, false, false],
      { state: 'since', sinceMs: times[1], untilMs: times[3] },
    ],
    [
      'held from the start, then ended',
      [true, true, false, false, false, false],
      { state: 'all-along', untilMs: times[2] },
    ],
    ['never', [false, false, false, false, false, false], undefined],
  ])('%s', (_, holds, expected) => {
    expect(latestStretch(holds, times)).toEqual(expected);
  });
});

describe('samplesByStep', () => {
  it('regroups range answers into the instant answers of each step, in time order', () => {
    const a: RangeSeries = {
      labels: { x: 'a' },
      points: [
        [T0 / 1000 + 60, 2],
        [T0 / 1000, 1],
      ],
    };
    const b: RangeSeries = { labels: { x: 'b' }, points: [[T0 / 1000 + 60, 5]] };
    expect(samplesByStep({ one: [a], two: [b] })).toEqual([
      { timeMs: T0, results: { one: [{ labels: { x: 'a' }, value: 1 }], two: [] } },
      {
        timeMs: T0 + MINUTE,
        results: { one: [{ labels: { x: 'a' }, value: 2 }], two: [{ labels: { x: 'b' }, value: 5 }] },
      },
    ]);
  });
});

describe('withRecentFlags', () => {
  it('adds what only the recent window flags, says which window fired, and sorts by both', () => {
    const range = rowsAt(0.008);
    const recent = rowsAt(0.08);
    expect(row(range, 'shop/payments').flags).toEqual([]);
    const merged = withRecentFlags(range, recent, 'last 5 min');
    expect(merged[0].key).toBe('shop/payments');
    expect(merged[0].flags).toEqual([
      {
        id: 'grpc-trap',
        windows: ['recent'],
        summary: expect.stringMatching(
          /^last 5 min: mesh: 8\.0 % of responses failed .* \(not over the whole range\)$/
        ),
      },
    ]);
  });

  it('keeps a flag of both windows with the range’s own words, and says when the recent window no longer has it', () => {
    const both = withRecentFlags(rowsAt(0.05), rowsAt(0.08), 'last 5 min');
    expect(row(both, 'shop/payments').flags[0]).toMatchObject({ windows: ['range', 'recent'] });
    expect(row(both, 'shop/payments').flags[0].summary).toMatch(/^mesh: 5\.0 %/);
    const over = withRecentFlags(rowsAt(0.05), rowsAt(0), 'last 5 min');
    expect(row(over, 'shop/payments').flags[0]).toMatchObject({ windows: ['range'] });
    expect(row(over, 'shop/payments').flags[0].summary).toMatch(/; not in the last 5 min$/);
  });

  it('names the coverage a coverage flag only the recent window shows found there', () => {
    const withoutApp = answers(0);
    withoutApp.appRequests = withoutApp.appRequests.filter((s) => s.labels.service_name !== 'payments');
    const merged = withRecentFlags(rowsAt(0), buildOverviewRows(withoutApp, DEFAULT_SETTINGS), 'last 5 min');
    expect(row(merged, 'shop/payments').coverage).toBe('both');
    expect(row(merged, 'shop/payments').flags).toEqual([
      expect.objectContaining({ id: 'coverage', windows: ['recent'], coverage: 'mesh-only' }),
    ]);
  });
});

describe('withBaseline', () => {
  it('gives each row the earlier window’s figures, or says it had none', () => {
    const now = rowsAt(0.08);
    const earlier = rowsAt(0).filter((r) => r.key !== 'shop/web');
    const compared = withBaseline(now, earlier);
    expect(row(compared, 'shop/payments').baseline).toMatchObject({ state: 'data', mesh: { successRate: 1 } });
    expect(row(compared, 'shop/web').baseline).toEqual({ state: 'no-data' });
  });
});

describe('buildTimelines', () => {
  const times = [0, 1, 2, 3, 4].map((i) => T0 + i * MINUTE);
  const traps = [0, 0, 0.08, 0.08, 0.08];
  const steps = times.map((timeMs, i) => ({ timeMs, rows: rowsAt(traps[i]) }));
  const flagged = withRecentFlags(rowsAt(0.008), rowsAt(0.08), 'last 5 min').filter((r) => r.flags.length > 0);

  it('dates each flag by the start of its first step and draws the figure behind the worst flag', () => {
    const timeline = buildTimelines(flagged, steps, MINUTE, DEFAULT_SETTINGS.thresholds).get('shop/payments');
    expect(timeline?.onsets).toEqual({ 'grpc-trap': { state: 'since', sinceMs: times[2] - MINUTE } });
    expect(timeline?.figure).toBe('grpc-trap-share');
    expect(timeline?.points.map(([t, v]) => [t, v === undefined ? v : Math.round(v * 1000) / 1000])).toEqual(
      times.map((t, i) => [t, traps[i]])
    );
  });

  it('says so when no single step shows a flag the window’s figures show', () => {
    const quiet = times.map((timeMs) => ({ timeMs, rows: rowsAt(0) }));
    const timeline = buildTimelines(flagged, quiet, MINUTE, DEFAULT_SETTINGS.thresholds).get('shop/payments');
    expect(timeline?.onsets).toEqual({ 'grpc-trap': { state: 'no-step' } });
  });

  it('leaves a step without the row without a value', () => {
    const gap = steps.map((s, i) => (i === 3 ? { ...s, rows: [] } : s));
    const timeline = buildTimelines(flagged, gap, MINUTE, DEFAULT_SETTINGS.thresholds).get('shop/payments');
    expect(timeline?.points[3]).toEqual([times[3], undefined]);
    expect(timeline?.onsets['grpc-trap']).toEqual({ state: 'since', sinceMs: times[4] - MINUTE });
  });
});

describe('trend figures', () => {
  it('follow the reason a disagreement fired: the success gap, or else the request-rate factor', () => {
    const base = row(rowsAt(0), 'shop/web');
    const gap: ServiceRow = {
      ...base,
      mesh: { ...base.mesh!, successRate: 0.95 },
      app: { ...base.app!, successRate: 1 },
    };
    expect(trendFigure(gap, 'disagreement', DEFAULT_SETTINGS.thresholds)).toBe('success-gap');
    expect(figureValue('success-gap', gap)).toBeCloseTo(0.05, 9);
    const rates: ServiceRow = { ...base, app: { ...base.app!, rps: 150 } };
    expect(trendFigure(rates, 'disagreement', DEFAULT_SETTINGS.thresholds)).toBe('rate-factor');
    expect(figureValue('rate-factor', rates)).toBe(3);
    expect(trendFigure({ ...base, app: undefined }, 'coverage', DEFAULT_SETTINGS.thresholds)).toBe('mesh-rps');
  });
});

describe('selectionOf', () => {
  it('names each row by the labels of the layers it has', () => {
    const rows = rowsAt(0);
    expect(selectionOf(rows)).toEqual({
      mesh: [
        { namespace: 'shop', workload: 'web', kind: 'deployment' },
        { namespace: 'shop', workload: 'payments', kind: 'deployment' },
      ],
      app: [
        { namespace: 'shop', service: 'web' },
        { namespace: 'shop', service: 'payments' },
      ],
    });
  });
});

describe('flagStretchMs: where a flag’s traces are searched', () => {
  const range = { fromMs: T0, toMs: T0 + 60 * MINUTE };
  test.each([
    [
      'a flag that began inside the range and holds',
      { state: 'since', sinceMs: T0 + 35 * MINUTE },
      T0 + 35 * MINUTE,
      T0 + 60 * MINUTE,
    ],
    [
      'a stretch that ended inside the range',
      { state: 'since', sinceMs: T0 + 10 * MINUTE, untilMs: T0 + 20 * MINUTE },
      T0 + 10 * MINUTE,
      T0 + 20 * MINUTE,
    ],
    ['a flag that held all along', { state: 'all-along' }, T0, T0 + 60 * MINUTE],
    ['a flag no single step shows', { state: 'no-step' }, T0, T0 + 60 * MINUTE],
    ['a timeline still loading', undefined, T0, T0 + 60 * MINUTE],
  ] as Array<[string, FlagOnset | undefined, number, number]>)('%s', (_, onset, fromMs, toMs) => {
    expect(flagStretchMs(onset, range)).toEqual({ fromMs, toMs });
  });
});
