import { testIds } from '../../src/components/testIds';
import { demoScenario } from '../../src/demo/scenarios';
import { computeTruth } from '../../src/demo/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { expect, test } from './fixtures';

// Runs against the docker-compose stack (Grafana + VictoriaMetrics + the generator's demo scenario).
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
