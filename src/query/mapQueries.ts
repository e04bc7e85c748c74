import type { AppSettings } from '../settings/types';
import { promDuration, seriesSelector, sumRate } from './promql';
import { meshGroupLabels, meshInbound, OUTCOME_LABELS } from './overviewQueries';
import { MESH_FAMILIES } from './schema';

export type MapRefId = 'edgeResponses' | 'edgeLatency';

/**
 * The map's edges, from the callee's inbound series: who called (client_id, the caller's mTLS identity; none
 * for traffic without identity), with outcome and TLS, and the p95 per edge. Two queries whatever the size
 * of the mesh; the nodes' own figures come from the overview's queries.
 */
export function buildMapQueries(
  settings: AppSettings,
  windowSeconds: number,
  namespace?: string
): Array<{ refId: MapRefId; expr: string }> {
  const matchers = meshInbound(settings, namespace);
  const window = promDuration(windowSeconds);
  const edge = [...meshGroupLabels(settings), 'client_id'];
  return [
    {
      refId: 'edgeResponses',
      expr: sumRate(seriesSelector(MESH_FAMILIES.responses, matchers), [...edge, 'tls', ...OUTCOME_LABELS], window),
    },
    {
      refId: 'edgeLatency',
      expr: `histogram_quantile(0.95, ${sumRate(seriesSelector(MESH_FAMILIES.latencyBucket, matchers), [...edge, 'le'], window)})`,
    },
  ];
}
