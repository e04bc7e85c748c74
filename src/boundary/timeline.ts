/**
 * The overview over time, without React: flags over the range's most recent part, the flagged rows step by step
 * (when each flag's condition began to hold, the figure behind the worst flag), and the figures of an earlier window.
 * Every step is decided by the same aggregation and detection as the whole range (overview.ts).
 */
import { TIMELINE_MAX_POINTS, TIMELINE_MIN_STEP_SECONDS, type FlagId } from '../constants';
import type { RangeSeries } from '../query/promApi';
import type { Sample } from '../query/sample';
import type { ServiceSelection } from '../query/serviceSelection';
import type { Thresholds } from '../settings/types';
import { FLOAT_SLACK } from './detect';
import { FLAG_FACTS } from './flags';
import { mostSevereFirst } from './overview';
import type { Flag, FlagOnset, FlagWindow, RowTimeline, ServiceRow, TrendFigure } from './types';

/** Steps Grafana's interval rounding (promlib `intervalv2`) keeps as they are, so the store answers on them. */
const ROUND_STEPS = [60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The step of a range's timeline: the shortest round step that keeps it within TIMELINE_MAX_POINTS. */
export function timelineStep(rangeSeconds: number): number {
  const least = Math.max(TIMELINE_MIN_STEP_SECONDS, rangeSeconds / TIMELINE_MAX_POINTS);
  return ROUND_STEPS.find((step) => step >= least) ?? Math.ceil(least / 86_400) * 86_400;
}

/** Range query answers regrouped by step: at each time, the samples an instant query at that time would return. */
export function samplesByStep<R extends string>(
  results: Record<R, RangeSeries[]>
): Array<{ timeMs: number; results: Record<R, Sample[]> }> {
  const refIds = Object.keys(results) as R[];
  const byTime = new Map<number, Record<R, Sample[]>>();
  for (const refId of refIds) {
    for (const series of results[refId]) {
      for (const [seconds, value] of series.points) {
        const timeMs = Math.round(seconds * 1000);
        let step = byTime.get(timeMs);
        if (!step) {
          step = Object.fromEntries(refIds.map((id) => [id, []])) as unknown as Record<R, Sample[]>;
          byTime.set(timeMs, step);
        }
        step[refId].push({ labels: series.labels, value });
      }
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([timeMs, step]) => ({ timeMs, results: step }));
}

/**
 * The rows with the flags of the range's most recent part added: each flag says which windows it fired in, and a
 * flag only the recent window shows says so in its summary. Rows are sorted again, by their flags of either window.
 */
export function withRecentFlags(rows: ServiceRow[], recentRows: ServiceRow[], recentLabel: string): ServiceRow[] {
  const recent = new Map(recentRows.map((row) => [row.key, row]));
  const merged = rows.map((row): ServiceRow => {
    const recentRow = recent.get(row.key);
    const recentFlags = recentRow?.flags ?? [];
    const ids = new Set([...row.flags, ...recentFlags].map((f) => f.id));
    const flags = [...ids]
      .sort((a, b) => FLAG_FACTS[b].weight - FLAG_FACTS[a].weight)
      .map((id): Flag => {
        const inRange = row.flags.find((f) => f.id === id);
        const inRecent = recentFlags.find((f) => f.id === id);
        const windows: FlagWindow[] = [
          ...(inRange ? ['range' as const] : []),
          ...(inRecent ? ['recent' as const] : []),
        ];
        const summary = inRange
          ? inRecent
            ? inRange.summary
            : `${inRange.summary}; not in the ${recentLabel}`
          : `${recentLabel}: ${inRecent!.summary} (not over the whole range)`;
        // A layer that appeared or left within the recent window: the badge names what the recent window found.
        const coverage = id === 'coverage' && !inRange ? recentRow?.coverage : undefined;
        return coverage ? { id, summary, windows, coverage } : { id, summary, windows };
      });
    return { ...row, flags };
  });
  return merged.sort(mostSevereFirst);
}

/** The rows with the figures of the window compared with: `no-data` for a row that window did not have. */
export function withBaseline(rows: ServiceRow[], baselineRows: ServiceRow[]): ServiceRow[] {
  const baseline = new Map(baselineRows.map((row) => [row.key, row]));
  return rows.map((row) => {
    const earlier = baseline.get(row.key);
    return {
      ...row,
      baseline: earlier
        ? { state: 'data', mesh: earlier.mesh, app: earlier.app, outsideApp: earlier.outsideApp }
        : { state: 'no-data' },
    };
  });
}

/** The services of these rows, as each layer names them: what the timeline's queries are restricted to. */
export function selectionOf(rows: ServiceRow[]): ServiceSelection {
  return {
    mesh: rows.filter((r) => r.mesh).map((r) => ({ namespace: r.namespace, workload: r.service, kind: r.kind })),
    app: rows.filter((r) => r.app).map((r) => ({ namespace: r.namespace, service: r.appService ?? r.service })),
  };
}

/**
 * The latest stretch of steps in which `holds` is true. Steps are in time order; `timesMs` gives each step's start.
 * Undefined when it never held.
 */
export function latestStretch(holds: boolean[], timesMs: number[]): FlagOnset | undefined {
  let last = holds.length - 1;
  while (last >= 0 && !holds[last]) {
    last--;
  }
  if (last < 0) {
    return undefined;
  }
  let first = last;
  while (first > 0 && holds[first - 1]) {
    first--;
  }
  const untilMs = last < holds.length - 1 ? timesMs[last + 1] : undefined;
  return first === 0 ? { state: 'all-along', untilMs } : { state: 'since', sinceMs: timesMs[first], untilMs };
}

/**
 * The stretch a flag's evidence lies in: from its onset to where its latest stretch ended (the range's end while it
 * holds); the whole range where the timeline could not date it. Epoch ms.
 */
export function flagStretchMs(
  onset: FlagOnset | undefined,
  range: { fromMs: number; toMs: number }
): { fromMs: number; toMs: number } {
  if (onset?.state !== 'since') {
    return range;
  }
  return { fromMs: onset.sinceMs, toMs: onset.untilMs ?? range.toMs };
}

function worstFlag(row: ServiceRow): FlagId | undefined {
  return [...row.flags].sort((a, b) => FLAG_FACTS[b.id].weight - FLAG_FACTS[a.id].weight)[0]?.id;
}

/**
 * The figure behind a flag: the gRPC trap's share, the time outside the app, the success gap or the request-rate
 * factor (whichever of the two is past its threshold), or the one layer's request rate.
 */
export function trendFigure(row: ServiceRow, flag: FlagId, thresholds: Thresholds): TrendFigure {
  switch (flag) {
    case 'grpc-trap':
      return 'grpc-trap-share';
    case 'boundary-latency':
      return 'outside-app-mean';
    case 'disagreement': {
      const gap = figureValue('success-gap', row);
      return gap !== undefined && gap * 100 > thresholds.disagreementPoints + FLOAT_SLACK
        ? 'success-gap'
        : 'rate-factor';
    }
    case 'coverage':
      return row.mesh ? 'mesh-rps' : 'app-rps';
  }
}

export function figureValue(figure: TrendFigure, row: ServiceRow | undefined): number | undefined {
  if (!row) {
    return undefined;
  }
  const { mesh, app } = row;
  switch (figure) {
    case 'grpc-trap-share':
      return mesh?.grpcTrapShare;
    case 'outside-app-mean':
      return row.outsideApp.mean ?? row.outsideApp.p95;
    case 'success-gap':
      return mesh?.successRate !== undefined && app?.successRate !== undefined
        ? Math.abs(mesh.successRate - app.successRate)
        : undefined;
    case 'rate-factor':
      return mesh && app && mesh.rps > 0 && app.rps > 0 ? Math.max(mesh.rps / app.rps, app.rps / mesh.rps) : undefined;
    case 'mesh-rps':
      return mesh?.rps;
    case 'app-rps':
      return app?.rps;
  }
}

/**
 * Each flagged row's timeline from the rows of every step (each step's figures are over the step ending at its
 * time): per flag, the latest stretch of steps in which it was detected, dated by the start of its first step and
 * the end of its last (`no-step` where the window's figures flag it but no single step does), and the worst flag's
 * figure at each step's time.
 */
export function buildTimelines(
  flagged: ServiceRow[],
  steps: Array<{ timeMs: number; rows: ServiceRow[] }>,
  stepMs: number,
  thresholds: Thresholds
): Map<string, RowTimeline> {
  const timesMs = steps.map((s) => s.timeMs);
  const startsMs = timesMs.map((t) => t - stepMs);
  const byStep = steps.map((s) => new Map(s.rows.map((row) => [row.key, row])));
  const timelines = new Map<string, RowTimeline>();
  for (const row of flagged) {
    const worst = worstFlag(row);
    if (!worst) {
      continue;
    }
    const atSteps = byStep.map((rows) => rows.get(row.key));
    const figure = trendFigure(row, worst, thresholds);
    const onsets: RowTimeline['onsets'] = {};
    for (const flag of row.flags) {
      const holds = atSteps.map((r) => r?.flags.some((f) => f.id === flag.id) ?? false);
      onsets[flag.id] = latestStretch(holds, startsMs) ?? { state: 'no-step' };
    }
    timelines.set(row.key, {
      flag: worst,
      figure,
      points: atSteps.map((r, i) => [timesMs[i], figureValue(figure, r)]),
      onsets,
    });
  }
  return timelines;
}
