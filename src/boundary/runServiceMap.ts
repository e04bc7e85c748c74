import type { EdgeRefId } from '../query/edgeQueries';
import type { OverviewRefId } from '../query/overviewQueries';
import type { MetricsApi, QueryOptions } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { runEdges } from './runEdges';
import { runOverview, type QueryFailure, type TimeWindow } from './runOverview';
import { buildServiceMap, type ServiceMap } from './serviceMap';

export interface ServiceMapResult extends ServiceMap {
  /** How many queries the map took: the overview's and the edges', whatever the mesh size. */
  queries: number;
  failures: Array<QueryFailure<OverviewRefId | EdgeRefId>>;
}

/** The overview's queries (nodes, flags) and the edge queries (both ends of every edge), in parallel. */
export async function runServiceMap(
  api: MetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  options: QueryOptions & { namespace?: string } = {}
): Promise<ServiceMapResult> {
  const [overview, edges] = await Promise.all([
    runOverview(api, settings, window, options),
    runEdges(api, settings, window, { kind: 'mesh', namespace: options.namespace }, options),
  ]);
  return {
    ...buildServiceMap(overview.rows, edges.edges),
    queries: overview.queries.length + edges.queries.length,
    failures: [...overview.failures, ...edges.failures],
  };
}
