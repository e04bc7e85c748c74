import { testIds } from '../../src/testIds';
import { APP, CONFIG, expect, test, withSettings } from './fixtures';
import { HELD_BACK_DATASOURCE, previewUrl } from './previews';

test.describe('configuration page', () => {
  test('Test reports the families found in each layer', async ({ page, consoleErrors }) => {
    await page.goto(`${previewUrl('demo')}${CONFIG}`);
    await page.getByTestId(testIds.appConfig.test).click();
    const result = page.getByTestId(testIds.appConfig.testResult);
    await expect(result).toContainText('Mesh metrics found');
    await expect(result).toContainText('App metrics found');
    await expect(result).toContainText('http_server_request_duration_seconds, rpc_server_call_duration_seconds');
    expect(consoleErrors).toEqual([]);
  });

  test('Test says what to change when the conventions do not match', async ({ page }) => {
    await withSettings(page, { metricsDatasourceUid: 'preview-metrics', semconv: 'legacy', labelSchema: 'linkerd' });
    await page.goto(`${previewUrl('demo')}${CONFIG}`);
    await page.getByTestId(testIds.appConfig.test).click();
    const result = page.getByTestId(testIds.appConfig.testResult);
    await expect(result).toContainText('App metrics use the stable semantic conventions');
    await expect(result).toContainText("Mesh series lack the Linkerd's Prometheus labels");
  });

  test('refuses a threshold that is not a number, negative or over 100 %', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${CONFIG}`);
    const trap = page.getByTestId(testIds.appConfig.threshold('grpcTrapPercent'));
    const save = page.getByTestId(testIds.appConfig.submit);
    await trap.fill('abc');
    await expect(page.getByText('gRPC trap share (%) must be a number, got "abc".')).toBeVisible();
    await expect(save).toBeDisabled();
    await trap.fill('120');
    await expect(page.getByText('gRPC trap share (%) is a percentage and cannot exceed 100.')).toBeVisible();
    await page.getByTestId(testIds.appConfig.threshold('boundaryLatencyMs')).fill('-3');
    await expect(page.getByText('Boundary latency (ms) cannot be negative.')).toBeVisible();
    await trap.fill('5');
    await page.getByTestId(testIds.appConfig.threshold('boundaryLatencyMs')).fill('80');
    await expect(save).toBeEnabled();
  });

  test('a new datasource takes effect once saved, without a manual refresh', async ({ page, consoleErrors }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview`);
    await expect(page.locator('[data-service="shop/payments"]')).toBeVisible();
    await page.getByRole('link', { name: 'Configuration' }).click();
    const picker = page.getByTestId(testIds.appConfig.metricsDatasource);
    await picker.getByRole('combobox').click();
    await page.getByText(HELD_BACK_DATASOURCE.name, { exact: true }).click();
    await page.getByTestId(testIds.appConfig.submit).click();
    await page.waitForLoadState('load');
    await page.getByRole('link', { name: 'Overview' }).click();
    // The held-back scenario's services, and none of the demo's.
    await expect(page.locator('[data-service^="team-0/"]').first()).toBeVisible();
    await expect(page.locator('[data-service="shop/payments"]')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });

  test('saved settings come back after a reload', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${CONFIG}`);
    await page.getByTestId(testIds.appConfig.threshold('grpcTrapPercent')).fill('3.5');
    await page.getByTestId(testIds.appConfig.submit).click();
    await page.waitForLoadState('load');
    await expect(page.getByTestId(testIds.appConfig.threshold('grpcTrapPercent'))).toHaveValue('3.5');
    const saved = await page.evaluate(() => window.localStorage.getItem('meshlens.preview.settings'));
    expect(JSON.parse(saved ?? '{}').thresholds.grpcTrapPercent).toBe(3.5);
  });

  test('the series the overview reads: saved, and named on the overview with the reason', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview`);
    // The preview's store has no recording rules: auto reads the raw series, and says why.
    const source = page.getByTestId(testIds.overview.source);
    await expect(source).toHaveAttribute('data-path', 'raw');
    await expect(source).toHaveText('From the raw series');
    await source.hover();
    await expect(page.getByRole('tooltip')).toContainText('the store has no series of Mesh Lens’ recording rules');

    await page.goto(`${previewUrl('demo')}${CONFIG}`);
    const choice = page.getByTestId(testIds.appConfig.recordedSeries);
    await expect(choice.getByRole('radio', { name: 'Auto' })).toBeChecked();
    await choice.getByRole('radio', { name: 'Recorded series' }).check();
    await page.getByTestId(testIds.appConfig.submit).click();
    await page.waitForLoadState('load');
    await expect(
      page.getByTestId(testIds.appConfig.recordedSeries).getByRole('radio', { name: 'Recorded series' })
    ).toBeChecked();
    const saved = await page.evaluate(() => window.localStorage.getItem('meshlens.preview.settings'));
    expect(JSON.parse(saved ?? '{}').recordedSeries).toBe('recorded');

    await page.getByRole('link', { name: 'Overview' }).click();
    await expect(page.getByTestId(testIds.overview.source)).toHaveAttribute('data-path', 'recorded');
    await expect(page.getByTestId(testIds.overview.source)).toHaveText('From the recording rules’ series');
  });
});
