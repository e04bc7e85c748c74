import { buildEdgeQueries, type EdgeRefId, type EdgeScope } from '../query/edgeQueries';
import { buildOverviewQueries, type OverviewRefId } from '../query/overviewQueries';
import { PromQueryError, type MetricsApi } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { runEdges } from './runEdges';
import { runOverview, windowSeconds, type QueryFailure, type RunOptions, type TimeWindow } from './runOverview';
import { buildServiceMap, type ServiceMap } from './serviceMap';

export type ServiceMapRefId = OverviewRefId | EdgeRefId;

export interface ServiceMapResult extends ServiceMap {
  /** How many queries the map took: the overview's and the edges', whatever the mesh size. */
  queries: number;
  /** Queries that failed while others answered: the map shows what it has and says what is missing. */
  failures: Array<QueryFailure<ServiceMapRefId>>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The overview's queries (nodes, their figures and flags) and the edge queries (both ends of every edge), in
 * parallel. A failed query costs its part of the map, reported in `failures`, and so does a part that failed as a
 * whole (the overview without a single answer still leaves the edges, and the other way round); the map fails only
 * when nothing answered or the caller cancelled.
 */
export async function runServiceMap(
  api: MetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  options: RunOptions = {}
): Promise<ServiceMapResult> {
  const seconds = windowSeconds(window);
  const scope: EdgeScope = { kind: 'mesh', namespace: options.namespace };
  const overviewQueries = buildOverviewQueries({ settings, windowSeconds: seconds, namespace: options.namespace });
  const edgeQueries = buildEdgeQueries(settings, seconds, scope);
  const [overview, edges] = await Promise.allSettled([
    runOverview(api, settings, window, options),
    runEdges(api, settings, window, scope, options),
  ]);
  if (options.signal?.aborted) {
    throw new PromQueryError('cancelled', 'the request was cancelled');
  }
  if (overview.status === 'rejected' && edges.status === 'rejected') {
    throw overview.reason;
  }
  // A part that failed as a whole failed in each of its queries, named once each (a query may go in parts).
  const eachFailed = <R extends ServiceMapRefId>(queries: Array<{ refId: R }>, reason: unknown) =>
    [...new Set(queries.map((q) => q.refId))].map((refId) => ({ refId, message: messageOf(reason) }));
  const failures: Array<QueryFailure<ServiceMapRefId>> = [
    ...(overview.status === 'fulfilled' ? overview.value.failures : eachFailed(overviewQueries, overview.reason)),
    ...(edges.status === 'fulfilled' ? edges.value.failures : eachFailed(edgeQueries, edges.reason)),
  ];
  return {
    ...buildServiceMap(
      overview.status === 'fulfilled' ? overview.value.rows : [],
      edges.status === 'fulfilled' ? edges.value.edges : []
    ),
    // The overview's own count when it answered: the recorded path sends a different set.
    queries:
      (overview.status === 'fulfilled' ? overview.value.queries.length : overviewQueries.length) + edgeQueries.length,
    failures,
  };
}
