import { RECENT_WINDOW_SECONDS } from '../constants';
import { buildOverviewQueries, type NamedQuery, type OverviewRefId } from '../query/overviewQueries';
import { PromQueryError, type RangeMetricsApi, type RangeSeries } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { formatDuration } from './format';
import { buildOverviewRows, type OverviewResults } from './overview';
import {
  runOverview,
  windowSeconds,
  type BucketLayouts,
  type OverviewResult,
  type QueryFailure,
  type RunOptions,
  type TimeWindow,
} from './runOverview';
import { buildTimelines, samplesByStep, selectionOf, timelineStep, withBaseline, withRecentFlags } from './timeline';
import type { ServiceRow } from './types';

export interface IncidentOptions extends RunOptions {
  /** Compare with the same range this many seconds earlier (COMPARE_OFFSETS); none without. */
  compareSeconds?: number;
}

/** Something beside the range's figures that could not be loaded: the page says so and shows the rest. */
export interface IncidentNote {
  part: 'recent' | 'baseline' | 'timeline';
  message: string;
}

export interface IncidentOverview extends OverviewResult {
  /** The recent window looked at besides the range, when the range is longer than it. */
  recentSeconds?: number;
  notes: IncidentNote[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "last 5 min": how the page names the recent window. */
export function recentLabel(seconds: number): string {
  return `last ${formatDuration(seconds)}`;
}

/**
 * The overview with what an incident needs besides the range's figures: the flags of its most recent part (latency
 * by its exact mean there) and, when asked, the figures of the same range earlier. Three sets of the overview's
 * fixed queries at most, all sent at once, whatever the number of services; a set that fails leaves a note, never
 * the page. `onRange` gets the range's own rows as soon as they are in, before the other two sets are.
 */
export async function runIncidentOverview(
  api: RangeMetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  options: IncidentOptions = {},
  onRange?: (range: OverviewResult & { recentSeconds?: number }) => void
): Promise<IncidentOverview> {
  const seconds = windowSeconds(window);
  const recentSeconds = seconds > RECENT_WINDOW_SECONDS ? RECENT_WINDOW_SECONDS : undefined;
  const { compareSeconds, ...runOptions } = options;
  const pendingRecent = recentSeconds
    ? // The recent window's latency flags rest on the exact mean: its quantiles would double the answers' size.
      settle(
        runOverview(
          api,
          settings,
          { from: window.to - recentSeconds, to: window.to },
          { ...runOptions, meanOnly: true }
        )
      )
    : undefined;
  const pendingBaseline = compareSeconds
    ? settle(runOverview(api, settings, window, { ...runOptions, offsetSeconds: compareSeconds }))
    : undefined;
  const main = await runOverview(api, settings, window, runOptions);
  onRange?.({ ...main, recentSeconds });
  const [recent, baseline] = await Promise.all([pendingRecent, pendingBaseline]);
  const notes: IncidentNote[] = [];
  let rows = main.rows;
  if (recent && recentSeconds) {
    if ('value' in recent) {
      rows = withRecentFlags(rows, recent.value.rows, recentLabel(recentSeconds));
    } else {
      notes.push({ part: 'recent', message: recent.error });
    }
  }
  if (baseline) {
    if ('value' in baseline) {
      rows = withBaseline(rows, baseline.value.rows);
    } else {
      notes.push({ part: 'baseline', message: baseline.error });
    }
  }
  return { ...main, rows, recentSeconds, notes };
}

async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    if (error instanceof PromQueryError && error.kind === 'cancelled') {
      throw error;
    }
    return { error: messageOf(error) };
  }
}

export interface TimelineResult {
  rows: ServiceRow[];
  stepSeconds?: number;
  queries: Array<NamedQuery<OverviewRefId>>;
  failures: Array<QueryFailure<OverviewRefId>>;
}

/**
 * The flagged rows step by step: the overview's own queries as range queries, restricted to those services, each
 * step's rate over the step, so every step is decided as the whole range is (the same aggregation and detection).
 * The overview's fixed requests whatever the number of services, at most TIMELINE_MAX_POINTS points per series. Rows without a flag
 * are returned as they are.
 */
export async function runTimeline(
  api: RangeMetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  rows: ServiceRow[],
  buckets: BucketLayouts,
  options: RunOptions = {}
): Promise<TimelineResult> {
  const flagged = rows.filter((row) => row.flags.length > 0);
  const stepSeconds = timelineStep(windowSeconds(window));
  if (flagged.length === 0 || window.to - window.from < 2 * stepSeconds) {
    return { rows, queries: [], failures: [] };
  }
  const queries = buildOverviewQueries({
    settings,
    windowSeconds: stepSeconds,
    namespace: options.namespace,
    only: selectionOf(flagged),
  });
  // The first step's window starts at the range's start: no step reads before it.
  const start = window.from + stepSeconds;
  const answers = await Promise.allSettled(
    queries.map((q) => api.range(q.expr, start, window.to, stepSeconds, options))
  );
  if (options.signal?.aborted) {
    throw new PromQueryError('cancelled', 'the request was cancelled');
  }
  const rejected = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (rejected.length === answers.length) {
    throw rejected[0].reason;
  }
  const results = {} as Record<OverviewRefId, RangeSeries[]>;
  const failures: Array<QueryFailure<OverviewRefId>> = [];
  // A latency query goes in parts (a quantile each, and the mean) under one refId: their series are merged, and a
  // failed part is reported once, as settleQueries does for the instant queries.
  answers.forEach((answer, i) => {
    const { refId } = queries[i];
    results[refId] = [...(results[refId] ?? []), ...(answer.status === 'fulfilled' ? answer.value : [])];
    if (answer.status === 'rejected' && !failures.some((f) => f.refId === refId)) {
      failures.push({ refId, message: messageOf(answer.reason) });
    }
  });
  const failed = new Set(failures.map((f) => f.refId));
  const loaded = { mesh: !failed.has('meshResponses'), app: !failed.has('appRequests') };
  const steps = samplesByStep(results).map(({ timeMs, results: atStep }) => ({
    timeMs,
    rows: buildOverviewRows(atStep as OverviewResults, settings, loaded, buckets),
  }));
  const timelines = buildTimelines(flagged, steps, stepSeconds * 1000, settings.thresholds);
  return {
    rows: rows.map((row) => (timelines.has(row.key) ? { ...row, timeline: timelines.get(row.key) } : row)),
    stepSeconds,
    queries,
    failures,
  };
}
