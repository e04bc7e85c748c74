/** One query of an Explore pane: the datasource it runs on and the fields its query editor reads. */
export interface ExploreQuery {
  refId: string;
  datasource: { type?: string; uid: string };
  [key: string]: unknown;
}

/**
 * An Explore URL (Grafana 10+ `panes` format) opening a query over a time range, in the org whose id is given (the
 * caller passes `config.bootData.user.orgId`). Without an org id the URL names none, and Grafana keeps the current
 * org: `pkg/middleware/org_redirect.go` switches orgs only for a valid `orgId`, and `locationService.push` adds the
 * current one (@grafana/runtime `HistoryWrapper.appendOrgId`). A hard-coded `1` would move a user of any other org to
 * org 1, where the datasource uids do not exist.
 */
export function exploreUrl(
  appSubUrl: string,
  query: ExploreQuery,
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

/**
 * A PromQL figure in Explore: an instant query at the range's end, as the page computed it (its expression
 * summarises the whole range), on the metrics datasource.
 */
export function promqlExploreUrl(
  appSubUrl: string,
  datasourceUid: string,
  expr: string,
  range: { from: string; to: string },
  orgId?: number
): string {
  const query: ExploreQuery = {
    refId: 'A',
    datasource: { uid: datasourceUid },
    expr,
    instant: true,
    range: false,
    editorMode: 'code',
  };
  return exploreUrl(appSubUrl, query, range, orgId);
}
