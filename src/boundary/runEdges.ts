import { buildEdgeQueries, type EdgeRefId, type EdgeScope } from '../query/edgeQueries';
import type { NamedQuery } from '../query/overviewQueries';
import type { PromApi, QueryOptions } from '../query/promApi';
import type { AppSettings } from '../settings/types';
import { buildEdges, type Edge, type EdgeResults } from './edges';
import { settleQueries, windowSeconds, type QueryFailure, type TimeWindow } from './runOverview';

export interface EdgesResult {
  edges: Edge[];
  queries: Array<NamedQuery<EdgeRefId>>;
  failures: Array<QueryFailure<EdgeRefId>>;
}

/** Runs the edge queries of a scope in parallel; a failed query leaves the others' figures and is reported. */
export async function runEdges(
  api: PromApi,
  settings: AppSettings,
  window: TimeWindow,
  scope: EdgeScope,
  options: QueryOptions = {}
): Promise<EdgesResult> {
  const queries = buildEdgeQueries(settings, windowSeconds(window), scope);
  const { results, failures } = await settleQueries(api, queries, window.to, options);
  return { edges: buildEdges(results as EdgeResults, settings), queries, failures };
}
