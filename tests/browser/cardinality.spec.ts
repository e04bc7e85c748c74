import { testIds } from '../../src/testIds';
import { APP, expect, test } from './fixtures';
import { previewUrl } from './previews';

test.describe('cardinality budget', () => {
  test('shows the cost per family and layer, and the Collector snippets for a chosen drop', async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(`${previewUrl('demo')}${APP}/cardinality`);
    const families = page.getByTestId(testIds.cardinality.family);
    await expect(families.first()).toBeVisible();
    const shown = await families.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-family')));
    expect(shown).toEqual(expect.arrayContaining(['response_total', 'response_latency_ms_bucket', 'request_total']));
    const buckets = page.locator(
      `[data-testid="${testIds.cardinality.family}"][data-family="response_latency_ms_bucket"]`
    );
    // The demo's proxies use Linkerd's 25 bounds plus +Inf.
    await expect(buckets).toHaveAttribute('data-buckets', '26');

    const meshTotal = Number(await page.getByTestId(testIds.cardinality.total('mesh')).getAttribute('data-series'));
    const requestTotal = Number(
      await page
        .locator(`[data-testid="${testIds.cardinality.family}"][data-family="request_total"]`)
        .getAttribute('data-series')
    );
    await page
      .locator(`[data-testid="${testIds.cardinality.unusedFamily}"][data-family="request_total"]`)
      .getByRole('checkbox')
      .check({ force: true });
    await expect(page.getByTestId(testIds.cardinality.saving)).toContainText(`(−${requestTotal}`);
    const snippets = page.getByTestId(testIds.cardinality.snippet);
    await expect(snippets).toHaveCount(2);
    await expect(snippets.filter({ hasText: 'metric_relabel_configs' })).toContainText('request_total');
    await expect(snippets.filter({ hasText: 'filter/' })).toContainText('request_total');
    expect(meshTotal).toBeGreaterThan(requestTotal);
    // The probes and scrapes of the proxies' admin port are part of the mesh's cost, and said to feed no figure.
    const admin = page.getByTestId(testIds.cardinality.adminSeries);
    await expect(admin).toContainText('No figure counts them');
    const adminSeries = Number(await admin.getAttribute('data-series'));
    expect(adminSeries).toBeGreaterThan(0);
    expect(adminSeries).toBeLessThan(meshTotal);
    // The demo's Collector keeps only the legacy families: no route families beside them.
    await expect(page.getByTestId(testIds.cardinality.routeFamilies)).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
});
