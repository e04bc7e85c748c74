import type { AppSettings } from '../settings/types';
import { byClause, eq, escapeRegex, matcher, promDuration, seriesSelector, type LabelMatcher } from './promql';
import { destinationGroupLabels, MEAN, meshGroupLabels, OUTCOME_LABELS, type NamedQuery } from './overviewQueries';
import { DESTINATION_LABELS, INBOUND, MESH_FAMILIES, MESH_LABELS, meshMatchers, NOT_ADMIN, OUTBOUND } from './schema';
import { workloadMatcherSets, type ServiceRef } from './serviceQueries';

/**
 * The edges of the mesh, each seen from both ends: the callee's proxy (inbound, per caller identity `client_id`)
 * and the callers' proxies (outbound, per caller workload and destination workload). Five queries whatever the
 * size of the mesh; `serviceAccounts` names the service account each destination workload runs as
 * (`dst_serviceaccount`), which ties a caller's identity back to its workload where the metrics allow it.
 */
export type EdgeRefId = 'calleeResponses' | 'calleeLatency' | 'callerResponses' | 'callerLatency' | 'serviceAccounts';

/** Which edges a view needs: the whole mesh (optionally those into one namespace), or one service's either side. */
export type EdgeScope =
  | { kind: 'mesh'; namespace?: string }
  | { kind: 'callers'; service: ServiceRef }
  | { kind: 'callees'; service: ServiceRef };

/** The p95 of an edge's latency; the mean comes tagged `quantile="mean"` from the same query. */
export const EDGE_QUANTILE = 0.95;

/**
 * Identities of the callers in a namespace: `<service account>.<namespace>.serviceaccount.identity.<…>`
 * (linkerd2 `charts/partials/templates/_proxy.tpl`, LINKERD2_PROXY_IDENTITY_LOCAL_NAME).
 */
function identityInNamespace(namespace: string): LabelMatcher {
  return matcher('client_id', '=~', `[^.]+\\.${escapeRegex(namespace)}\\.serviceaccount\\.identity\\..+`);
}

interface SideSelectors {
  /** Alternative matcher sets; their series are summed together. */
  inbound: LabelMatcher[][];
  outbound: LabelMatcher[][];
}

function scopeMatchers(settings: AppSettings, scope: EdgeScope): SideSelectors {
  const own = MESH_LABELS[settings.labelSchema];
  const inbound = [...meshMatchers(settings), INBOUND, NOT_ADMIN];
  const outbound = [...meshMatchers(settings), OUTBOUND];
  switch (scope.kind) {
    case 'mesh':
      return scope.namespace
        ? {
            inbound: [[...inbound, eq(own.namespace, scope.namespace)]],
            outbound: [[...outbound, eq(DESTINATION_LABELS.namespace, scope.namespace)]],
          }
        : { inbound: [inbound], outbound: [outbound] };
    case 'callers':
      return {
        inbound: workloadMatcherSets(own, scope.service).map((set) => [...inbound, ...set]),
        outbound: workloadMatcherSets(DESTINATION_LABELS, scope.service).map((set) => [...outbound, ...set]),
      };
    case 'callees':
      // Whom the service calls, with every other caller of its namespace: telling which identity is the
      // service's may take its neighbours (boundary/edges.ts).
      return {
        inbound: [[...inbound, identityInNamespace(scope.service.namespace)]],
        outbound: [[...outbound, eq(own.namespace, scope.service.namespace)]],
      };
  }
}

function sumRateOf(metric: string, sets: LabelMatcher[][], groupBy: string[], window: string): string {
  const rates = sets.map((set) => `rate(${seriesSelector(metric, set)}[${window}])`).join(' or ');
  return `sum ${byClause(groupBy)} (${rates})`;
}

function latencyQuery(sets: LabelMatcher[][], groupBy: string[], window: string): string {
  const buckets = sumRateOf(MESH_FAMILIES.latencyBucket, sets, [...groupBy, 'le'], window);
  const p95 = `label_replace(histogram_quantile(${EDGE_QUANTILE}, ${buckets}), "quantile", "${EDGE_QUANTILE}", "", "")`;
  const sum = sumRateOf(MESH_FAMILIES.latencySum, sets, groupBy, window);
  const count = sumRateOf(MESH_FAMILIES.latencyCount, sets, groupBy, window);
  return `${p95} or label_replace(${sum} / ${count}, "quantile", "${MEAN}", "", "")`;
}

/** The labels of an edge at the callee's proxy. */
export function calleeEdgeLabels(settings: AppSettings): string[] {
  return [...meshGroupLabels(settings), 'client_id'];
}

/** The labels of an edge at the caller's proxy. */
export function callerEdgeLabels(settings: AppSettings): string[] {
  return [...meshGroupLabels(settings), ...destinationGroupLabels()];
}

export function buildEdgeQueries(
  settings: AppSettings,
  windowSeconds: number,
  scope: EdgeScope
): Array<NamedQuery<EdgeRefId>> {
  const window = promDuration(windowSeconds);
  const { inbound, outbound } = scopeMatchers(settings, scope);
  const callee = calleeEdgeLabels(settings);
  const caller = callerEdgeLabels(settings);
  const accounts = seriesSelector(MESH_FAMILIES.responses, [...meshMatchers(settings), OUTBOUND]);
  return [
    {
      refId: 'calleeResponses',
      expr: sumRateOf(MESH_FAMILIES.responses, inbound, [...callee, 'tls', ...OUTCOME_LABELS], window),
    },
    { refId: 'calleeLatency', expr: latencyQuery(inbound, callee, window) },
    {
      refId: 'callerResponses',
      expr: sumRateOf(MESH_FAMILIES.responses, outbound, [...caller, ...OUTCOME_LABELS], window),
    },
    { refId: 'callerLatency', expr: latencyQuery(outbound, caller, window) },
    {
      refId: 'serviceAccounts',
      expr: `group ${byClause([...destinationGroupLabels(), 'dst_serviceaccount'])} (last_over_time(${accounts}[${window}]))`,
    },
  ];
}
