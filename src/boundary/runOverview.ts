import {
  buildBucketSelectors,
  buildOverviewQueries,
  type NamedQuery,
  type OverviewQuery,
  type OverviewQueryOptions,
  type OverviewRefId,
} from '../query/overviewQueries';
import { buildRecordedBucketSelectors, buildRecordedOverviewQueries } from '../query/recordedQueries';
import { PromQueryError, type MetricsApi, type PromApi, type QueryOptions } from '../query/promApi';
import type { Sample } from '../query/sample';
import type { AppSettings } from '../settings/types';
import { parseBucketBounds } from './buckets';
import { buildOverviewRows, type BucketLayouts, type OverviewResults } from './overview';
import { resolveSource, type OverviewSource, type SourceCache } from './overviewSource';
import type { ServiceRow } from './types';

export type { BucketLayouts };

export interface TimeWindow {
  /** Unix seconds. */
  from: number;
  to: number;
}

/** A query of a view that failed while others answered: the view shows what it has and says what is missing. */
export interface QueryFailure<R extends string = string> {
  refId: R;
  message: string;
}

export interface OverviewResult {
  rows: ServiceRow[];
  queries: OverviewQuery[];
  failures: Array<QueryFailure<OverviewRefId>>;
  /** Raw or recorded series, and why. */
  source: OverviewSource;
  /** Both layers' bucket bounds, as read for the window. */
  buckets: BucketLayouts;
}

export interface RunOptions extends QueryOptions {
  /** Restricts the mesh queries (and app queries by `job`) to one namespace, and the rows to it. */
  namespace?: string;
  /** Keeps the answer to "are there recorded series?" for the page's lifetime. */
  sourceCache?: SourceCache;
  /** The same window this many seconds earlier (PromQL `offset`): a baseline. Always on the raw series. */
  offsetSeconds?: number;
  /**
   * Latency as the exact mean only (overviewQueries `meanOnly`): no quantiles, no bucket layouts read. Always on
   * the raw series.
   */
  meanOnly?: boolean;
}

/**
 * A baseline (offset) or the recent window (mean only) always reads the raw series (docs/rules.md): the coverage
 * check looks at the range itself, so it cannot vouch for the recorded series an offset earlier.
 */
const RAW_FOR_PART: OverviewSource = {
  path: 'raw',
  reason: 'a baseline and the recent window always read the raw series',
};

/** The range's own path, or the raw one for a baseline or the recent window. */
function sourceFor(
  api: MetricsApi,
  settings: AppSettings,
  queryOptions: OverviewQueryOptions,
  window: TimeWindow,
  options: RunOptions
): Promise<OverviewSource> {
  if (options.offsetSeconds || options.meanOnly) {
    return Promise.resolve(RAW_FOR_PART);
  }
  return resolveSource(api, queryOptions, window.to, {
    mode: settings.recordedSeries,
    cache: options.sourceCache,
    signal: options.signal,
  });
}

export class EmptyRangeError extends Error {
  constructor(window: TimeWindow) {
    super(
      window.to > window.from
        ? 'The time range is shorter than a second: pick a longer range.'
        : 'The time range is empty: pick a range whose end is after its start.'
    );
    this.name = 'EmptyRangeError';
  }
}

/** The window's length in whole seconds, the range of its rate() queries; an empty window is refused. */
export function windowSeconds(window: TimeWindow): number {
  const seconds = Math.round(window.to - window.from);
  if (!(seconds >= 1)) {
    throw new EmptyRangeError(window);
  }
  return seconds;
}

export interface SettledQueries<R extends string> {
  results: Record<R, Sample[]>;
  failures: Array<QueryFailure<R>>;
}

/**
 * Runs a view's queries in parallel; each failed query answers nothing and is reported, so the view keeps what
 * the others answered. Requests that share a refId (a query sent in parts) have their samples merged, and a failed
 * part is reported once under that refId. Fails only when every request failed (one error says it all) or the
 * caller cancelled.
 */
export async function settleQueries<R extends string>(
  api: PromApi,
  queries: Array<NamedQuery<R>>,
  timeSeconds: number,
  options: QueryOptions = {}
): Promise<SettledQueries<R>> {
  const answers = await Promise.allSettled(queries.map((q) => api.instant(q.expr, timeSeconds, options)));
  if (options.signal?.aborted) {
    throw new PromQueryError('cancelled', 'the request was cancelled');
  }
  const rejected = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (rejected.length === answers.length && rejected.length > 0) {
    throw rejected[0].reason;
  }
  const results = {} as Record<R, Sample[]>;
  const failures: Array<QueryFailure<R>> = [];
  answers.forEach((answer, i) => {
    const { refId } = queries[i];
    results[refId] = [...(results[refId] ?? []), ...(answer.status === 'fulfilled' ? answer.value : [])];
    if (answer.status === 'rejected' && !failures.some((f) => f.refId === refId)) {
      failures.push({ refId, message: answer.reason instanceof Error ? answer.reason.message : String(answer.reason) });
    }
  });
  return { results, failures };
}

/**
 * Both layers' bucket bounds. Without them the p95 difference is shown without its range and cannot be evidence
 * on its own, so a store that refuses metadata costs a hint, never the view.
 */
async function readBucketLayouts(
  api: MetricsApi,
  selectors: { mesh: string; app: string },
  window: TimeWindow,
  options: QueryOptions
): Promise<BucketLayouts> {
  const read = (selector: string) =>
    api
      .labelValues('le', selector, window.from, window.to, options)
      .then(parseBucketBounds)
      .catch(() => undefined);
  const [mesh, app] = await Promise.all([read(selectors.mesh), read(selectors.app)]);
  return { mesh, app };
}

/**
 * Runs the overview's fixed set of queries in parallel and builds the rows: on the recording rules' series where
 * the settings or the store say so (overviewSource.ts), on the raw series otherwise.
 */
export async function runOverview(
  api: MetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  options: RunOptions = {}
): Promise<OverviewResult> {
  const { namespace, offsetSeconds = 0, meanOnly } = options;
  const queryOptions: OverviewQueryOptions = {
    settings,
    windowSeconds: windowSeconds(window),
    namespace,
    offsetSeconds,
    meanOnly,
  };
  const source = await sourceFor(api, settings, queryOptions, window, options);
  const recorded = source.path === 'recorded';
  const queries = recorded ? buildRecordedOverviewQueries(queryOptions) : buildOverviewQueries(queryOptions);
  const selectors = recorded ? buildRecordedBucketSelectors(queryOptions) : buildBucketSelectors(queryOptions);
  const read = { from: window.from - offsetSeconds, to: window.to - offsetSeconds };
  const [{ results, failures }, buckets] = await Promise.all([
    settleQueries(api, queries, window.to, options),
    meanOnly ? {} : readBucketLayouts(api, selectors, read, options),
  ]);
  const failed = new Set(failures.map((f) => f.refId));
  const loaded = { mesh: !failed.has('meshResponses'), app: !failed.has('appRequests') };
  const rows = buildOverviewRows(results as OverviewResults, settings, loaded, buckets);
  return {
    rows: namespace === undefined ? rows : rows.filter((row) => row.namespace === namespace),
    queries,
    failures,
    source,
    buckets,
  };
}
