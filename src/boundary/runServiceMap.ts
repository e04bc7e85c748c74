import { buildMapQueries } from '../query/mapQueries';
import type { MetricsApi, QueryOptions } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { runOverview, windowSeconds, type TimeWindow } from './runOverview';
import { buildServiceMap, type ServiceMap } from './serviceMap';

/** The overview's four queries (nodes, flags) and the map's two (edges), in parallel: six whatever the mesh size. */
export async function runServiceMap(
  api: MetricsApi,
  settings: AppSettings,
  window: TimeWindow,
  options: QueryOptions & { namespace?: string } = {}
): Promise<ServiceMap & { queries: number }> {
  const queries = buildMapQueries(settings, windowSeconds(window), options.namespace);
  const [overview, responses, latency] = await Promise.all([
    runOverview(api, settings, window, options),
    ...queries.map((q) => api.instant(q.expr, window.to, options)),
  ]);
  const map = buildServiceMap(overview.rows, responses, latency, settings);
  return { ...map, queries: overview.queries.length + queries.length };
}
