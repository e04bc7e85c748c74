import type { FlagId } from '../constants';
import type { TracesDatasourceType } from '../settings/types';

/** What the traces should show: the failures behind a flag, the slow requests, or just the service's server spans. */
export type TraceFocus =
  { kind: 'grpc-failures' } | { kind: 'errors' } | { kind: 'slow'; minDurationMs: number } | { kind: 'all' };

/**
 * Escapes a value for a double-quoted TraceQL string. TraceQL's grammar (as Grafana's editor parses it) knows
 * only the `\\` and `\"` escapes; any other character, a newline included, stands for itself.
 */
export function escapeTraceQLString(value: string): string {
  return value.replace(/[\\"]/g, (char) => `\\${char}`);
}

function durationLiteral(ms: number): string {
  return `${Math.max(1, Math.round(ms))}ms`;
}

/** The TraceQL of DESIGN §4 for one service and focus. */
export function buildTraceQL(service: string, focus: TraceFocus): string {
  const base = `resource.service.name = "${escapeTraceQLString(service)}"`;
  switch (focus.kind) {
    case 'grpc-failures':
      return `{ ${base} && span.rpc.grpc.status_code != 0 }`;
    case 'errors':
      return `{ ${base} && kind = server && status = error }`;
    case 'slow':
      return `{ ${base} && kind = server && duration > ${durationLiteral(focus.minDurationMs)} }`;
    case 'all':
      return `{ ${base} && kind = server }`;
  }
}

/** The trace focus for a flag: the failures for the trap, the slow requests for boundary latency, errors otherwise. */
export function focusForFlag(flag: FlagId, appP95Ms?: number): TraceFocus {
  switch (flag) {
    case 'grpc-trap':
      return { kind: 'grpc-failures' };
    case 'boundary-latency':
      return appP95Ms !== undefined ? { kind: 'slow', minDurationMs: appP95Ms } : { kind: 'all' };
    case 'disagreement':
      return { kind: 'errors' };
    case 'coverage':
      return { kind: 'all' };
  }
}

export interface TraceQuery {
  refId: string;
  datasource: { type: TracesDatasourceType; uid: string };
  [key: string]: unknown;
}

/** The query object the Tempo or Jaeger datasource takes for this service and focus. */
export function buildTraceQuery(
  type: TracesDatasourceType,
  uid: string,
  service: string,
  focus: TraceFocus
): TraceQuery {
  const datasource = { type, uid };
  if (type === 'tempo') {
    return { refId: 'traces', datasource, queryType: 'traceql', query: buildTraceQL(service, focus), limit: 20 };
  }
  const query: TraceQuery = { refId: 'traces', datasource, queryType: 'search', service };
  if (focus.kind === 'grpc-failures' || focus.kind === 'errors') {
    query.tags = 'error=true';
  }
  if (focus.kind === 'slow') {
    query.minDuration = durationLiteral(focus.minDurationMs);
  }
  return query;
}

/**
 * An Explore URL (Grafana 10+ `panes` format) opening that query over the anomaly's time range, in the org whose id
 * is given (the caller passes `config.bootData.user.orgId`). Without an org id the URL names none, and Grafana keeps
 * the current org: `pkg/middleware/org_redirect.go` switches orgs only for a valid `orgId`, and
 * `locationService.push` adds the current one (@grafana/runtime `HistoryWrapper.appendOrgId`). A hard-coded `1`
 * would move a user of any other org to org 1, where the datasource uids do not exist.
 */
export function buildExploreUrl(
  appSubUrl: string,
  query: TraceQuery,
  range: { from: string; to: string },
  orgId?: number
): string {
  const panes = { mesh: { datasource: query.datasource.uid, queries: [query], range } };
  const params = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes) });
  if (orgId !== undefined && Number.isInteger(orgId) && orgId > 0) {
    params.set('orgId', String(orgId));
  }
  return `${appSubUrl}/explore?${params.toString()}`;
}
