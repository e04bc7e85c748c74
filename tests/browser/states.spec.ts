import { testIds } from '../../src/testIds';
import { APP, CONFIG, expect, test, withSettings } from './fixtures';
import { previewUrl } from './previews';

const PAGES = [
  { path: `${APP}/overview`, title: 'Overview' },
  { path: `${APP}/service-map`, title: 'Service map' },
  { path: `${APP}/cardinality`, title: 'Cardinality budget' },
  { path: `${APP}/overview/service/shop/payments`, title: 'payments' },
];

test.describe('every page', () => {
  for (const { path, title } of PAGES) {
    test(`${title} loads with its title and description, without console errors`, async ({ page, consoleErrors }) => {
      await page.goto(`${previewUrl('demo')}${path}`);
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(consoleErrors).toEqual([]);
    });

    test(`${title} says it is not configured, with a link to the configuration`, async ({ page }) => {
      await withSettings(page, {});
      await page.goto(`${previewUrl('demo')}${path}`);
      const message = page.getByTestId(testIds.notConfigured);
      await expect(message).toContainText('Mesh Lens is not configured yet');
      await message.getByRole('link', { name: 'Open the configuration' }).click();
      await expect(page).toHaveURL(new RegExp(`${CONFIG}$`));
      await expect(page.getByTestId(testIds.appConfig.container)).toBeVisible();
    });
  }
});

test.describe('datasource problems', () => {
  test('a store that fails shows Grafana’s error, not an empty table', async ({ page }) => {
    // What Grafana's /api/ds/query answers when the store behind the datasource answers HTTP 500
    // (grafana-prometheus-datasource pkg/promlib/querydata/response.go, grafana pkg/api/ds_query.go).
    await page.route('**/api/ds/query**', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          results: {
            A: {
              status: 500,
              error: 'unexpected response with status code 500: storage unavailable',
              errorSource: 'downstream',
            },
          },
        }),
      })
    );
    await page.goto(`${previewUrl('demo')}${APP}/overview`);
    const error = page.getByTestId(testIds.overview.error);
    await expect(error).toContainText('The overview could not be loaded');
    await expect(error).toContainText(
      'the metrics datasource failed (HTTP 500): unexpected response with status code 500: storage unavailable'
    );
    await expect(page.getByTestId(testIds.overview.row)).toHaveCount(0);
  });

  test('a datasource that no longer exists is named as the problem', async ({ page }) => {
    await withSettings(page, { metricsDatasourceUid: 'deleted-datasource' });
    await page.goto(`${previewUrl('demo')}${APP}/overview`);
    await expect(page.getByTestId(testIds.overview.error)).toContainText(
      'the metrics datasource deleted-datasource is not available: Datasource deleted-datasource was not found'
    );
  });

  test('a time range without data says so', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-30d&to=now-29d`);
    await expect(page.getByTestId(testIds.overview.empty)).toContainText('No services in this time range');
  });
});
