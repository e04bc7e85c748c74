import { testIds } from '../../src/components/testIds';
import { APP, expect, test, withSettings } from './fixtures';
import { previewUrl } from './previews';

const PAYMENTS = `${APP}/overview/service/shop/payments`;

test.describe('service drill-down', () => {
  test('each tab shows its charts or tables without console errors', async ({ page, consoleErrors }) => {
    for (const [tab, text] of [
      ['boundary', 'Latency: mesh p50/p95/p99 and app p95'],
      ['grpc', 'The gRPC trap: failures behind HTTP 200'],
      ['tcp', 'Open connections'],
    ]) {
      await page.goto(`${previewUrl('demo')}${PAYMENTS}/${tab}?from=now-1h&to=now`);
      await expect(page.getByRole('heading', { name: text })).toBeVisible();
      await expect(page.getByTestId(testIds.service.header)).toContainText('gRPC trap');
    }
    await page.waitForLoadState('networkidle');
    expect(consoleErrors).toEqual([]);
  });

  test('callers and callees link to their own drill-downs', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/peers?from=now-1h&to=now`);
    const caller = page.locator('[data-peer="checkout.shop.serviceaccount.identity.linkerd.cluster.local"]');
    await expect(caller).toContainText('32.00 req/s');
    await expect(caller).toContainText('92.00%');
    await expect(page.locator('[data-peer="no mTLS identity"]')).toContainText('8.00 req/s');
    await caller.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`${APP}/overview/service/shop/checkout`));
  });

  test('the trap’s trace link opens Explore with the failure’s TraceQL over the page’s time range', async ({
    page,
  }) => {
    await withSettings(page, {
      metricsDatasourceUid: 'preview-metrics',
      tracesDatasourceUid: 'tempo-1',
      tracesDatasourceType: 'tempo',
    });
    const from = Date.UTC(2026, 10, 25, 10, 0, 0);
    const to = Date.now();
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/boundary?from=${from}&to=${to}`);
    const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="grpc-trap"]`);
    await expect(link).toBeVisible();
    const href = await link.getAttribute('href');
    const panes = JSON.parse(new URL(href!, 'http://x').searchParams.get('panes')!);
    expect(panes.mesh.datasource).toBe('tempo-1');
    expect(panes.mesh.queries[0].query).toBe(
      '{ resource.service.name = "payments" && span.rpc.grpc.status_code != 0 }'
    );
    expect(panes.mesh.range).toEqual({ from: String(from), to: String(to) });
  });

  test('without a traces datasource the Traces tab says how to configure one', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/traces`);
    await expect(page.getByText('No traces datasource configured')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open the configuration' }).last()).toBeVisible();
  });
});
