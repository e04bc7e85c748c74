import type { Page } from '@playwright/test';
import { testIds } from '../../src/components/testIds';
import { APP, expect, test, withSettings } from './fixtures';
import { previewUrl } from './previews';

const PAYMENTS = `${APP}/overview/service/shop/payments`;

/** A chart legend's entry (Grafana's VizLegend marks each with its series name). */
const legendItem = (page: Page, name: string) => page.getByTestId(`data-testid VizLegend series ${name}`);

/** The colour family a user sees on a legend entry's swatch. */
async function legendHue(page: Page, name: string): Promise<'red' | 'green' | 'other'> {
  const colour = await legendItem(page, name)
    .getByTestId('series-icon')
    .evaluate((icon) => getComputedStyle(icon).backgroundColor);
  const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
  return r > g && r > b ? 'red' : g > r && g > b ? 'green' : 'other';
}

test.describe('service drill-down', () => {
  test('each tab shows its charts or tables without console errors', async ({ page, consoleErrors }) => {
    for (const [tab, text] of [
      ['boundary', 'Latency: mesh p50/p95/p99 and app p95'],
      ['status', 'The gRPC trap: failures behind HTTP 200'],
      ['tcp', 'Open connections'],
    ]) {
      await page.goto(`${previewUrl('demo')}${PAYMENTS}/${tab}?from=now-1h&to=now`);
      await expect(page.getByRole('heading', { name: text })).toBeVisible();
      await expect(page.getByTestId(testIds.service.header)).toContainText('gRPC trap');
    }
    await page.waitForLoadState('networkidle');
    expect(consoleErrors).toEqual([]);
  });

  test('the Status codes tab names each code and draws failures red and success green', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/status?from=now-1h&to=now`);
    await expect(page.getByRole('tab', { name: 'Status codes', selected: true })).toBeVisible();
    const legend = (name: string) => legendItem(page, name);
    const hue = (name: string) => legendHue(page, name);
    for (const name of ['0 OK', '4 DEADLINE_EXCEEDED', '14 UNAVAILABLE', 'HTTP 200']) {
      await expect(legend(name)).toBeVisible();
    }
    await expect(legend('14')).toHaveCount(0);
    expect(await hue('14 UNAVAILABLE')).toBe('red');
    expect(await hue('4 DEADLINE_EXCEEDED')).toBe('red');
    expect(await hue("failed behind HTTP 200 (this service's proxy)")).toBe('red');
    expect(await hue('0 OK')).toBe('green');
    expect(await hue('HTTP 200')).toBe('green');
  });

  test('an HTTP service’s failing status codes are red too', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview/service/shop/cart/status?from=now-1h&to=now`);
    await expect(legendItem(page, 'HTTP 502')).toBeVisible();
    expect(await legendHue(page, 'HTTP 502')).toBe('red');
    expect(await legendHue(page, 'HTTP 200')).toBe('green');
    await expect(page.getByText('No gRPC responses in this time range: the service answered HTTP only')).toBeVisible();
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
