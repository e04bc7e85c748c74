import { testIds } from '../../src/components/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeBreakdownTruth, computeEdgeGroupTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { compareSide } from '../shared/truthChecks';
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

  test('callers and callees show both ends’ counts, and link to their own drill-downs', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview/service/shop/catalog/peers?from=now-1h&to=now`);
    const groups = computeEdgeGroupTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
    const read = async (peer: string, testId: string) =>
      Number(await page.locator(`[data-peer="${peer}"] [data-testid="${testId}"]`).first().getAttribute('data-value'));
    for (const truth of groups.filter((g) => g.target === 'shop/catalog')) {
      const peer = truth.callers.map((c) => c.key).join(', ');
      await expect(page.locator(`[data-peer="${peer}"]`)).toBeVisible();
      expect(
        compareSide(
          peer,
          { rps: await read(peer, 'peer-rps-caller'), mean: await read(peer, 'peer-mean-caller') },
          {
            rps: truth.callerSide!.rps,
            mean: truth.callerSide!.mean,
          }
        )
      ).toEqual([]);
      expect(
        compareSide(
          peer,
          { rps: await read(peer, 'peer-rps-callee'), mean: await read(peer, 'peer-mean-callee') },
          {
            rps: truth.calleeSide!.rps,
            mean: truth.calleeSide!.mean,
          }
        )
      ).toEqual([]);
    }
    // web's calls wait 150 ms on web's side of the boundary: the table says so in words an SRE reads.
    await expect(page.locator('[data-peer="shop/web"] [data-testid="peer-caller-side-adds"]')).toHaveText(
      /^15\d\.\d ms$/
    );
    await page.locator('[data-peer="shop/web"]').getByRole('link', { name: 'shop/web' }).click();
    await expect(page).toHaveURL(new RegExp(`${APP}/overview/service/shop/web`));
  });

  test('the boundary tab says where the time went and where failures were made', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview/service/shop/catalog/boundary?from=now-1h&to=now`);
    const truth = computeBreakdownTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS }).find(
      (t) => t.key === 'shop/catalog'
    )!;
    const breakdown = page.getByTestId(testIds.service.breakdown);
    await expect(breakdown).toBeVisible();
    const value = async (id: string) =>
      Number(await breakdown.getByTestId(`breakdown-${id}`).getAttribute('data-value'));
    const scale = truth.callersWaited! + truth.app!;
    for (const [id, expected] of [
      ['callers-waited', truth.callersWaited],
      ['caller-side', truth.callerSide],
      ['callee-side', truth.calleeSide],
      ['app', truth.app],
    ] as const) {
      expect({ id, off: Math.abs((await value(id)) - expected!) <= 0.01 * scale }).toEqual({ id, off: true });
    }
    // search's proxy fails 5 % of what it sends to catalog before it leaves: about 1.7 req/s.
    const failed = await value('failed-by-callers');
    expect({ failed, off: Math.abs(failed - truth.failedByCallers!) <= 0.02 * truth.failedByCallers! }).toEqual({
      failed,
      off: true,
    });
    await expect(breakdown.getByTestId('breakdown-caller-side')).toContainText('ms');
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
