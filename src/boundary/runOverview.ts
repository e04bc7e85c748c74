import { buildOverviewQueries, type NamedQuery, type OverviewRefId } from '../query/overviewQueries';
import type { PromApi } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { buildOverviewRows, type OverviewResults } from './overview';
import type { ServiceRow } from './types';

export interface TimeWindow {
  /** Unix seconds. */
  from: number;
  to: number;
}

export interface OverviewResult {
  rows: ServiceRow[];
  queries: Array<NamedQuery<OverviewRefId>>;
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

/** Runs the overview's fixed set of queries in parallel and builds the rows. */
export async function runOverview(
  api: PromApi,
  settings: AppSettings,
  window: TimeWindow,
  namespace?: string
): Promise<OverviewResult> {
  const queries = buildOverviewQueries({ settings, windowSeconds: windowSeconds(window), namespace });
  const answers = await Promise.all(queries.map((q) => api.instant(q.expr, window.to)));
  const results = Object.fromEntries(queries.map((q, i) => [q.refId, answers[i]])) as OverviewResults;
  const rows = buildOverviewRows(results, settings);
  return { rows: namespace === undefined ? rows : rows.filter((row) => row.namespace === namespace), queries };
}
