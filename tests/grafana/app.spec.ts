import { testIds } from '../../src/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { expect, explorePaneOf, TEMPO_UID, test, tracesFound, waitForTempoSearch } from './fixtures';

// Runs against the docker-compose stack (`docker compose up`, then `npm run e2e`): Grafana with the plugin,
// VictoriaMetrics, Tempo and the Collector fed by the generator's demo scenario.
const flaggedInDemo = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS })
  .filter((t) => t.flags.length > 0)
  .map((t) => t.key)
  .sort();

test('the configuration page saves and its Test finds both layers', async ({ appConfigPage, page }) => {
  await page.getByTestId(testIds.appConfig.test).click();
  const result = page.getByTestId(testIds.appConfig.testResult);
  await expect(result).toContainText('Mesh metrics found');
  await expect(result).toContainText('App metrics found');
  const saved = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.submit).click();
  await expect(saved).toBeOK();
});

test('the overview lists the demo’s flagged services', async ({ gotoPage, page }) => {
  await gotoPage('/overview?flagged=true');
  const rows = page.getByTestId(testIds.overview.row);
  await expect(rows.first()).toBeVisible();
  const services = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-service') ?? ''));
  expect(services.sort()).toEqual(flaggedInDemo);
});

test('a row opens the service drill-down', async ({ gotoPage, page }) => {
  await gotoPage('/overview');
  await page.locator('[data-service="shop/payments"] td').first().click();
  await expect(page).toHaveURL(/\/overview\/service\/shop\/payments/);
  await expect(page.getByText(/failed with gRPC status UNAVAILABLE/)).toBeVisible();
});

test('the trap’s trace link opens Explore with its TraceQL, and Tempo returns the failing spans', async ({
  gotoPage,
  page,
}) => {
  await gotoPage('/overview/service/shop/payments/boundary');
  const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="grpc-trap"]`);
  await expect(link).toBeVisible();
  const traceQL =
    '{ resource.service.name = "payments" && kind = server && span.rpc.response.status_code =~ ' +
    '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" }';
  // With streaming off (provisioning/datasources/default.yaml) Tempo's datasource searches with a GET through the
  // datasource proxy, not /api/ds/query.
  const search = waitForTempoSearch(page, traceQL);
  await link.click();
  await expect(page).toHaveURL(/\/explore\?/);
  const pane = explorePaneOf(page);
  expect(pane?.datasource).toBe(TEMPO_UID);
  expect(pane?.queries?.[0].query).toBe(traceQL);
  // The generator sends the trap service's failing spans to Tempo: the search finds traces.
  const response = await search;
  expect(response.ok()).toBe(true);
  expect(await tracesFound(response)).toBeGreaterThan(0);
});

for (const uid of ['meshlens-service-boundary', 'meshlens-pipeline-cost']) {
  test(`the provisioned dashboard ${uid} loads with no panel errors`, async ({ gotoDashboardPage }) => {
    const dashboardPage = await gotoDashboardPage({ uid });
    await expect(dashboardPage).not.toHavePanelErrors();
  });
}
