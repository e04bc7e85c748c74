import { dashboardTrapTraceQL } from '../shared/dashboardQueries';
import { readExploreUrl } from '../shared/grafanaLinks';
import { currentOrgId, expect, explorePaneOf, TEMPO_UID, test, tracesFound, waitForTempoSearch } from './fixtures';

// The shipped dashboards as Grafana renders them: the link a user clicks is the one Grafana interpolated, so it is
// read from the rendered panel (tests/integration/dashboards.test.ts follows the JSON's link without a Grafana).

const TRAP_PANEL = 'gRPC trap: failures behind HTTP 200';
const TRACE_LINK = 'Traces of these failures (Explore)';

test('the boundary dashboard’s trace link opens Explore on Tempo with the service’s TraceQL, and Tempo finds traces', async ({
  gotoDashboardPage,
  explorePage,
  page,
}) => {
  const dashboardPage = await gotoDashboardPage({
    uid: 'meshlens-service-boundary',
    queryParams: new URLSearchParams({
      'var-namespace': 'shop',
      'var-kind': 'k8s_deployment_name',
      'var-service': 'payments',
    }),
  });
  const panel = dashboardPage.getPanelByTitle(TRAP_PANEL);
  await panel.scrollIntoView();
  // Two links: Grafana shows them in a menu behind the panel header's "panel links" button (dashboard-scene
  // PanelLinks.tsx), each a Menu.Item rendered as <a role="menuitem" href>.
  await panel.locator.getByRole('button', { name: 'panel links' }).click();
  const item = page.getByRole('menuitem', { name: TRACE_LINK });
  await expect(item).toBeVisible();

  // The href as Grafana rendered it, not decoded by anything: every variable put in, and Explore's own reading of
  // it gives the pane the link means.
  const href = (await item.getAttribute('href')) ?? '';
  expect(href).not.toMatch(/\$\{|\[\[/);
  const traceQL = dashboardTrapTraceQL('payments');
  const { path, params, panes } = readExploreUrl(href);
  expect(path.endsWith('/explore')).toBe(true);
  expect(params.schemaVersion).toBe('1');
  expect(params.orgId).toBe(String(await currentOrgId(page)));
  const [pane] = Object.values(panes ?? {});
  expect(pane?.datasource).toBe(TEMPO_UID);
  expect(pane?.queries?.[0]).toMatchObject({
    datasource: { type: 'tempo', uid: TEMPO_UID },
    queryType: 'traceql',
    query: traceQL,
  });
  // The dashboard's range, in epoch milliseconds: the last hour by default.
  const from = Number(pane?.range?.from);
  const to = Number(pane?.range?.to);
  expect(to - from).toBeGreaterThan(59 * 60_000);
  expect(Math.abs(Date.now() - to)).toBeLessThan(10 * 60_000);

  // Opened as a user opens it: Explore shows the TraceQL and Tempo's search (a GET through the datasource proxy,
  // streaming being off) finds the trap's failing traces.
  const search = waitForTempoSearch(page, traceQL);
  await item.click();
  await expect(page).toHaveURL(/\/explore\?/);
  expect(explorePaneOf(page)?.queries?.[0].query).toBe(traceQL);
  await expect(explorePage.getQueryEditorRow('A')).toContainText(traceQL);
  const response = await search;
  expect(response.ok()).toBe(true);
  expect(await tracesFound(response)).toBeGreaterThan(0);
  const start = Number(new URL(response.url()).searchParams.get('start'));
  expect(start).toBe(Math.floor(from / 1000));
});
