/**
 * Every page against a store that fails (tests/shared/faultStore.ts in front of the demo's VictoriaMetrics; the
 * faults preview gives up on it after FAULTS_STORE_TIMEOUT_MS, as Grafana's data proxy does after its timeout): for
 * each fault, the page says what failed, in its own place, keeps its controls working, and shows the data again once
 * the store is back, without a reload. One query of four failing (the latency histogram) costs only its figures.
 */
import type { Page } from '@playwright/test';
import { testIds } from '../../src/testIds';
import { FAULTS, setFault, type Fault } from '../shared/faultStore';
import { APP, CONFIG, expect, test } from './fixtures';
import { faultControlUrl, previewUrl } from './previews';

/** How each fault reaches the user, through the preview's Grafana and the plugin's datasource client. */
const CAUSE: Record<Exclude<Fault, 'none'>, RegExp> = {
  refuse: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  'http-400': /injected fault: bad_data/,
  'http-500': /unexpected response with status code 500: injected fault: internal error/,
  'not-json': /couldn't be parsed\. it is non-json/,
  'truncated-json': /couldn't be parsed\. it is non-json/,
  'stall-headers': /aborted due to timeout/,
  'stall-body': /aborted due to timeout/,
  reset: /other side closed|socket hang up|ECONNRESET/,
};

/** The latency histogram: one query of the overview's five, three of the map's ten, the mesh layer of the budget. */
const ONE_OF_FOUR = 'response_latency_ms_bucket';
const PANEL_ERROR = 'data-testid Panel status error';
const REFRESH = 'data-testid RefreshPicker run button';

interface PageCase {
  name: string;
  path: string;
  /** What the user does for the page to read the store (the Test is a button). */
  open?(page: Page): Promise<void>;
  /** Every query failed: the page says so, and why. */
  failed(page: Page, cause: RegExp): Promise<void>;
  /** One query of four failed: the rest is shown, the missing part named. */
  partial(page: Page): Promise<void>;
  /** The store is back: the page shows data again without a reload. */
  recovers(page: Page): Promise<void>;
}

const PAGES: PageCase[] = [
  {
    name: 'overview',
    path: `${APP}/overview?from=now-1h&to=now`,
    failed: async (page, cause) => {
      const error = page.getByTestId(testIds.overview.error);
      await expect(error).toContainText('The overview could not be loaded');
      await expect(error).toContainText(cause);
      // The filters still work on an empty page.
      await page.getByLabel('Search services').fill('pay');
      await expect(page).toHaveURL(/search=pay/);
    },
    partial: async (page) => {
      const warning = page.getByTestId(testIds.overview.partialFailure);
      await expect(warning.locator('li')).toHaveCount(1);
      await expect(warning.locator('[data-refid="meshLatency"]')).toContainText('injected fault: internal error');
      await expect(page.locator('[data-service="shop/payments"]')).toBeVisible();
    },
    recovers: async (page) => {
      await page.getByTestId(REFRESH).click();
      await expect(page.locator('[data-service="shop/payments"]')).toBeVisible();
      await expect(page.getByTestId(testIds.overview.error)).toHaveCount(0);
      await expect(page.getByTestId(testIds.overview.partialFailure)).toHaveCount(0);
    },
  },
  {
    name: 'service drill-down',
    path: `${APP}/overview/service/shop/payments/boundary?from=now-1h&to=now`,
    failed: async (page, cause) => {
      const alert = page.getByRole('alert').filter({ hasText: 'The service could not be loaded' });
      await expect(alert).toContainText(cause);
      // Each chart says it failed in its own corner; the tabs still work.
      await expect(page.getByTestId(PANEL_ERROR)).toHaveCount(3);
      await page.getByRole('tab', { name: 'Status codes' }).click();
      await expect(page.getByRole('heading', { name: 'The gRPC trap: failures behind HTTP 200' })).toBeVisible();
      await page.getByRole('tab', { name: 'Boundary' }).click();
      await expect(page.getByTestId(PANEL_ERROR)).toHaveCount(3);
    },
    partial: async (page) => {
      const warning = page.getByTestId(testIds.service.partialFailure);
      await expect(warning.locator('[data-refid="meshLatency"]')).toContainText('injected fault: internal error');
      await expect(page.getByTestId(testIds.service.header)).toContainText('gRPC trap');
      // Only the latency chart failed; success and request rate are drawn.
      await expect(page.getByTestId(PANEL_ERROR)).toHaveCount(1);
    },
    recovers: async (page) => {
      await page.getByTestId(REFRESH).click();
      await expect(page.getByTestId(testIds.service.header)).toContainText('gRPC trap');
      await expect(page.getByTestId(testIds.service.partialFailure)).toHaveCount(0);
      await expect(page.getByTestId(PANEL_ERROR)).toHaveCount(0);
    },
  },
  {
    name: 'service map',
    path: `${APP}/service-map?from=now-1h&to=now`,
    failed: async (page, cause) => {
      const error = page.getByTestId(testIds.serviceMap.error);
      await expect(error).toContainText('The service map could not be loaded');
      await expect(error).toContainText(cause);
      // The focus control still works on an empty map.
      await page.getByRole('combobox').nth(1).click();
      await page.getByRole('option', { name: 'Flagged services and their direct peers' }).click();
      await expect(page).toHaveURL(/focus=flagged/);
    },
    partial: async (page) => {
      // The nodes' latency and both ends' edge latency: three queries of ten.
      const warning = page.getByTestId(testIds.serviceMap.partialFailure);
      await expect(warning.locator('li')).toHaveCount(3);
      for (const refId of ['meshLatency', 'calleeLatency', 'callerLatency']) {
        await expect(warning.locator(`[data-refid="${refId}"]`)).toContainText('injected fault: internal error');
      }
      await expect(page.getByTestId(testIds.serviceMap.edge).first()).toBeVisible();
    },
    recovers: async (page) => {
      await page.getByTestId(REFRESH).click();
      await expect(page.getByTestId(testIds.serviceMap.edge).first()).toBeVisible();
      await expect(page.getByTestId(testIds.serviceMap.error)).toHaveCount(0);
      await expect(page.getByTestId(testIds.serviceMap.partialFailure)).toHaveCount(0);
    },
  },
  {
    name: 'cardinality budget',
    path: `${APP}/cardinality`,
    failed: async (page, cause) => {
      const error = page.getByTestId(testIds.cardinality.error);
      await expect(error).toContainText('The cardinality budget could not be measured');
      await expect(error).toContainText(cause);
    },
    partial: async (page) => {
      const gaps = page.getByTestId(testIds.cardinality.gaps);
      await expect(gaps).toContainText('Mesh layer: its series could not be counted');
      await expect(gaps).toContainText('injected fault: internal error');
      await expect(page.getByTestId(testIds.cardinality.total('mesh'))).toContainText('Not measured');
      await expect(
        page.locator(
          `[data-testid="${testIds.cardinality.family}"][data-family="http_server_request_duration_seconds_bucket"]`
        )
      ).toBeVisible();
    },
    recovers: async (page) => {
      await page.getByRole('button', { name: 'Measure again' }).click();
      await expect(
        page.locator(`[data-testid="${testIds.cardinality.family}"][data-family="response_total"]`)
      ).toBeVisible();
      await expect(page.getByTestId(testIds.cardinality.gaps)).toHaveCount(0);
    },
  },
  {
    name: 'configuration Test',
    path: CONFIG,
    open: (page) => page.getByTestId(testIds.appConfig.test).click(),
    failed: async (page, cause) => {
      const result = page.getByTestId(testIds.appConfig.testResult);
      await expect(result).toContainText('The test could not query the datasource');
      await expect(result).toContainText(cause);
    },
    partial: async (page) => {
      const result = page.getByTestId(testIds.appConfig.testResult);
      await expect(result.locator('[data-status="error"]').first()).toContainText('One check could not run');
      await expect(result).toContainText('injected fault: internal error');
      await expect(result).toContainText('App metrics found');
    },
    recovers: async (page) => {
      await page.getByTestId(testIds.appConfig.test).click();
      const result = page.getByTestId(testIds.appConfig.testResult);
      await expect(result).toContainText('Mesh metrics found');
      await expect(result).not.toContainText('could not');
    },
  },
];

test.describe('pages against a failing store', () => {
  const control = () => faultControlUrl();
  let uncaught: string[];

  test.beforeEach(({ page }) => {
    uncaught = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
  });
  test.afterEach(async () => {
    await setFault(control(), { fault: 'none' });
    expect(uncaught).toEqual([]);
  });

  for (const pageCase of PAGES) {
    for (const fault of FAULTS) {
      test(`${pageCase.name}: ${fault}`, async ({ page }) => {
        await setFault(control(), { fault });
        await page.goto(`${previewUrl('faults')}${pageCase.path}`);
        await pageCase.open?.(page);
        await pageCase.failed(page, CAUSE[fault]);
        await setFault(control(), { fault: 'none' });
        await pageCase.recovers(page);
      });
    }

    test(`${pageCase.name}: one query of four fails`, async ({ page }) => {
      await setFault(control(), { fault: 'http-500', match: ONE_OF_FOUR });
      await page.goto(`${previewUrl('faults')}${pageCase.path}`);
      await pageCase.open?.(page);
      await pageCase.partial(page);
      await setFault(control(), { fault: 'none' });
      await pageCase.recovers(page);
    });
  }
});
