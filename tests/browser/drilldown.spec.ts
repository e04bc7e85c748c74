import type { Page } from '@playwright/test';
import { testIds } from '../../src/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeBreakdownTruth, computeEdgeGroupTruth } from '../../generator/truth';
import { DEFAULT_SETTINGS, DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { promDuration } from '../../src/query/promql';
import { figureQueries } from '../../src/query/serviceQueries';
import { compareSide } from '../shared/truthChecks';
import { APP, expect, test, withSettings } from './fixtures';
import { previewUrl } from './previews';

const PAYMENTS = `${APP}/overview/service/shop/payments`;
const TEMPO_SETTINGS = {
  metricsDatasourceUid: 'preview-metrics',
  tracesDatasourceUid: 'tempo-1',
  tracesDatasourceType: 'tempo',
  joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
};

function panesOf(href: string | null) {
  return JSON.parse(new URL(href!, 'http://x').searchParams.get('panes')!);
}

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
    await withSettings(page, TEMPO_SETTINGS);
    const from = Date.UTC(2026, 10, 25, 10, 0, 0);
    const to = Date.now();
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/boundary?from=${from}&to=${to}`);
    const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="grpc-trap"]`);
    await expect(link).toHaveText('Calls payments answered with a failing gRPC status');
    const panes = panesOf(await link.getAttribute('href'));
    expect(panes.mesh.datasource).toBe('tempo-1');
    expect(panes.mesh.queries[0].query).toBe(
      '{ resource.service.name = "payments" && kind = server && span.rpc.response.status_code =~ ' +
        '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" }'
    );
    expect(panes.mesh.range).toEqual({ from: String(from), to: String(to) });
  });

  for (const { service, flag, evidence, title, traceQL } of [
    {
      service: 'shop/cart',
      flag: 'disagreement',
      evidence: 'proxy-failures',
      title: 'Failed calls to cart that never reached its app',
      traceQL:
        '{ resource.service.name = "cart" && kind = server } !< { kind = client && ' +
        'span.server.address =~ "cart(\\\\.shop(\\\\.svc(\\\\..+)?)?)?" && status = error }',
    },
    {
      service: 'shop/search',
      flag: 'disagreement',
      evidence: 'no-traced-caller',
      title: 'Requests to search with no traced caller',
      traceQL: '{ kind = client } !> { resource.service.name = "search" && kind = server }',
    },
    {
      service: 'shop/recommendations',
      flag: 'coverage',
      evidence: 'caller-spans',
      title: 'Calls to recommendations from its traced callers',
      traceQL: '{ kind = client && span.server.address =~ "recommendations(\\\\.shop(\\\\.svc(\\\\..+)?)?)?" }',
    },
    {
      service: 'notify/email',
      flag: 'coverage',
      evidence: 'server-spans',
      title: 'Requests to email, none of them through the mesh',
      traceQL: '{ resource.service.name = "email" && kind = server }',
    },
  ]) {
    test(`${service}’s ${flag} links to “${title}”`, async ({ page }) => {
      await withSettings(page, TEMPO_SETTINGS);
      await page.goto(`${previewUrl('demo')}${APP}/overview/service/${service}/boundary?from=now-1h&to=now`);
      const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="${flag}"]`);
      await expect(link).toHaveText(title);
      await expect(link).toHaveAttribute('data-evidence', evidence);
      expect(panesOf(await link.getAttribute('href')).mesh.queries[0].query).toBe(traceQL);
    });
  }

  test('boundary latency links to calls whose two spans are the flag’s limit apart, as its words say', async ({
    page,
  }) => {
    await withSettings(page, TEMPO_SETTINGS);
    await page.goto(`${previewUrl('demo')}${APP}/overview/service/shop/inventory/boundary?from=now-1h&to=now`);
    const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="boundary-latency"]`);
    await expect(link).toHaveText('Calls to inventory that spent over 50 ms outside its app');
    const query: string = panesOf(await link.getAttribute('href')).mesh.queries[0].query;
    const match =
      /^\{ resource\.service\.name = "inventory" && kind = server && duration < (\d+)ms \} < \{ kind = client && duration > (\d+)ms \}$/.exec(
        query
      );
    expect(match).not.toBeNull();
    const [under, over] = [Number(match![1]), Number(match![2])];
    expect(over - under).toBe(50);
    await expect(page.getByTestId(testIds.service.traceLinkExplanation)).toContainText(
      `Callers’ spans longer than ${over} ms whose child span in inventory took less than ${under} ms`
    );
  });

  test('with Jaeger, a link where its search can ask, and why not where it cannot', async ({ page }) => {
    await withSettings(page, { ...TEMPO_SETTINGS, tracesDatasourceUid: 'jaeger-1', tracesDatasourceType: 'jaeger' });
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/boundary?from=now-1h&to=now`);
    const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="grpc-trap"]`);
    const query = panesOf(await link.getAttribute('href')).mesh.queries[0];
    expect(query).toMatchObject({
      queryType: 'search',
      service: 'payments',
      tags: 'span.kind=server rpc.response.status_code=UNAVAILABLE',
    });
    await expect(page.getByTestId(testIds.service.traceLinkExplanation)).toContainText(
      'it finds UNAVAILABLE, the most frequent failing code'
    );

    await page.goto(`${previewUrl('demo')}${APP}/overview/service/shop/inventory/boundary?from=now-1h&to=now`);
    const unavailable = page.getByTestId(testIds.service.traceLinkUnavailable);
    await expect(unavailable).toContainText(
      'Calls to inventory that spent over 50 ms outside its app: no Jaeger search.'
    );
    await expect(unavailable).toContainText('it cannot compare a caller’s span with the callee’s');
    await expect(page.getByTestId(testIds.service.traceLink)).toHaveCount(0);
  });

  test('every figure of the header opens its own PromQL in Explore, over the page’s range', async ({ page }) => {
    const from = Date.UTC(2026, 10, 30, 6, 0, 0);
    const to = from + 3600_000;
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/boundary?from=${from}&to=${to}`);
    const settings = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'preview-metrics' };
    const queries = figureQueries(settings, { namespace: 'shop', workload: 'payments' }, promDuration(3600));
    for (const id of ['mesh-success', 'app-p95', 'outside-app-mean'] as const) {
      const link = page.getByTestId(testIds.service.figureExplore(id));
      await expect(link).toBeVisible();
      const pane = panesOf(await link.getAttribute('href')).mesh;
      expect(pane).toEqual({
        datasource: 'preview-metrics',
        queries: [
          {
            refId: 'A',
            datasource: { uid: 'preview-metrics' },
            expr: queries[id],
            instant: true,
            range: false,
            editorMode: 'code',
          },
        ],
        range: { from: String(from), to: String(to) },
      });
    }
  });

  test('without a traces datasource the Traces tab says how to configure one', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${PAYMENTS}/traces`);
    await expect(page.getByText('No traces datasource configured')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open the configuration' }).last()).toBeVisible();
  });
});
