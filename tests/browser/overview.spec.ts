import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { importJsonChunks } from '../../generator/generate';
import { demoScenario, namedScenario } from '../../generator/scenarios';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { startPreview, type RunningPreview } from '../../scripts/preview';
import { importIntoVictoriaMetrics, startVictoriaMetrics, type RunningStore } from '../../scripts/lib/stores';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { testIds } from '../../src/testIds';
import { compareToTruth, type ObservedService } from '../shared/truthChecks';
import { parseCsv } from './csv';
import { APP, expect, readOverview, readShownRows, test, type ShownRow } from './fixtures';
import { HELD_BACK_SCENARIO, previewUrl } from './previews';

const demoTruth = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
const heldBackTruth = computeTruth(namedScenario(HELD_BACK_SCENARIO)!, {
  semconv: 'stable',
  thresholds: DEFAULT_THRESHOLDS,
});

function differences(observed: ObservedService[], truth: ServiceTruth[]): string[] {
  const problems: string[] = [];
  const keys = (list: Array<{ key: string }>) => list.map((s) => s.key).sort();
  if (keys(observed).join() !== keys(truth).join()) {
    problems.push(`services shown: ${keys(observed).join(', ')}; truth: ${keys(truth).join(', ')}`);
  }
  for (const t of truth) {
    const row = observed.find((o) => o.key === t.key);
    problems.push(...(row ? compareToTruth(row, t) : []));
  }
  return problems;
}

const flagged = (list: Array<{ key: string; flags: string[] }>) =>
  list
    .filter((s) => s.flags.length > 0)
    .map((s) => `${s.key}: ${[...s.flags].sort().join(' ')}`)
    .sort();

test.describe('overview', () => {
  test('shows every demo service with the truth’s figures and flags', async ({ page, consoleErrors }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-1h&to=now`);
    const observed = await readOverview(page);
    expect(differences(observed, demoTruth)).toEqual([]);
    expect(flagged(observed)).toEqual(flagged(demoTruth));
    expect(consoleErrors).toEqual([]);
  });

  test('shows a held-back scenario exactly as its truth says', async ({ page }) => {
    await page.goto(`${previewUrl('heldBack')}${APP}/overview?from=now-1h&to=now`);
    const observed = await readOverview(page);
    expect(differences(observed, heldBackTruth)).toEqual([]);
    expect(flagged(observed)).toEqual(flagged(heldBackTruth));
  });

  test('"flagged only" in the URL lists exactly the flagged services, most severe first', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-1h&to=now&flagged=true`);
    const observed = await readOverview(page);
    expect(observed.map((o) => o.key).sort()).toEqual(
      demoTruth
        .filter((t) => t.flags.length > 0)
        .map((t) => t.key)
        .sort()
    );
    expect(observed[0].flags).toContain('grpc-trap');
    await expect(
      page
        .getByRole('switch', { name: /flagged only/i })
        .or(page.locator('input[type="checkbox"]'))
        .first()
    ).toBeChecked();
  });

  test('the search box filters and is kept in the URL', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-1h&to=now`);
    await readOverview(page);
    await page.getByLabel('Search services').fill('pay');
    await expect(page.getByTestId(testIds.overview.row)).toHaveCount(1);
    await expect(page.getByTestId(testIds.overview.row)).toHaveAttribute('data-service', 'shop/payments');
    await expect(page).toHaveURL(/search=pay/);
  });

  test('the gRPC trap badge states both numbers behind it', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-1h&to=now&search=payments`);
    const badge = page.locator('[data-flag="grpc-trap"]');
    await badge.hover();
    await expect(page.getByRole('tooltip')).toContainText(
      /mesh: 8\.0 % of responses failed with gRPC status UNAVAILABLE 6\.0 %/
    );
    await expect(page.getByRole('tooltip')).toContainText('HTTP view: 0.0 % errors');
  });

  test('clicking a row opens the service drill-down with the same figures', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/overview?from=now-1h&to=now`);
    await readOverview(page);
    await page.locator('[data-service="shop/inventory"] td').first().click();
    await expect(page).toHaveURL(new RegExp(`${APP}/overview/service/shop/inventory`));
    await expect(page.getByRole('heading', { name: 'inventory' })).toBeVisible();
    await expect(page.getByText(/spent outside the app/)).toBeVisible();
  });
});

const OVERVIEW = `${APP}/overview?from=now-1h&to=now`;

const COVERAGE_BADGE = { 'app-only': 'Not meshed', 'mesh-only': 'Not instrumented' } as const;

/** Exports the rows through the page's button and reads the file the browser saved. */
async function exportCsv(page: Page): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^mesh-lens-overview_.*\.csv$/);
  return parseCsv(readFileSync((await download.path())!, 'utf8'));
}

/** The CSV's records as the page's rows: key, coverage, flags and each figure by its cell id. */
function csvAsRows(records: string[][]): ShownRow[] {
  const [header, ...rows] = records;
  const figures = header.slice(5).map((name) => name.replace(/ \(.*\)$/, ''));
  return rows.map(([namespace, service, , coverage, flags, ...values]) => ({
    key: `${namespace}/${service}`,
    coverage,
    flags,
    cells: Object.fromEntries(figures.map((id, i) => [id, values[i]])),
  }));
}

test.describe('overview filters, order and export', () => {
  test('the coverage filter keeps each case of the truth, and the badge names it', async ({ page }) => {
    for (const coverage of ['app-only', 'mesh-only', 'both'] as const) {
      await page.goto(`${previewUrl('heldBack')}${OVERVIEW}&coverage=${coverage}`);
      const expected = heldBackTruth.filter((t) => t.coverage === coverage).map((t) => t.key);
      expect(expected.length).toBeGreaterThan(0);
      const shown = await readOverview(page);
      expect(shown.map((s) => s.key).sort()).toEqual(expected.sort());
      const badges = page.locator('[data-flag="coverage"]');
      if (coverage === 'both') {
        await expect(badges).toHaveCount(0);
      } else {
        await expect(badges).toHaveCount(expected.length);
        // The badge's name; since when it holds follows it on the same badge (timeline.spec.ts).
        for (const text of await badges.allInnerTexts()) {
          expect(text.split('\n')[0]).toBe(COVERAGE_BADGE[coverage]);
        }
      }
    }
  });

  test('choosing "Not instrumented" puts the filter in the URL', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${OVERVIEW}`);
    await readOverview(page);
    await page.getByRole('combobox', { name: 'Coverage' }).click();
    await page.getByRole('option', { name: 'Not instrumented' }).click();
    await expect(page).toHaveURL(/coverage=mesh-only/);
    const expected = demoTruth.filter((t) => t.coverage === 'mesh-only').map((t) => t.key);
    await expect(page.getByTestId(testIds.overview.row)).toHaveCount(expected.length);
  });

  test('a search matching nothing says what was searched and clears the filters', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${OVERVIEW}&flagged=true&search=notify%20zzz`);
    const noMatch = page.getByTestId(testIds.overview.noMatch);
    await expect(noMatch).toContainText('No service matches these filters');
    await expect(noMatch).toContainText(
      `No flagged service whose namespace, name or app name contains "notify" and "zzz". ${demoTruth.length} services were searched.`
    );
    await noMatch.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page.getByTestId(testIds.overview.row)).toHaveCount(demoTruth.length);
    await expect(page).not.toHaveURL(/search=|flagged=/);
  });

  test('the search finds a namespace', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${OVERVIEW}&search=notify`);
    const shown = await readOverview(page);
    expect(shown.map((s) => s.key).sort()).toEqual(
      demoTruth
        .filter((t) => t.namespace === 'notify')
        .map((t) => t.key)
        .sort()
    );
  });

  test('a first click sorts worst first, a second flips it, and both survive a reload', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${OVERVIEW}`);
    await readOverview(page);
    const meshSuccess = page.locator('button[data-sort-key="mesh-success"]');
    await meshSuccess.click();
    await expect(page).toHaveURL(/sort=mesh-success/);
    expect(page.url()).not.toMatch(/dir=/);
    const ascending = (await readOverview(page)).map((s) => s.meshSuccess);
    const known = ascending.filter((v): v is number => v !== undefined);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(ascending.slice(0, known.length)).toEqual(known);
    expect(known[0]).toBeLessThan(0.95);

    await meshSuccess.click();
    await expect(page).toHaveURL(/sort=mesh-success&dir=desc|dir=desc&.*sort=mesh-success/);
    const before = (await readOverview(page)).map((s) => s.key);
    await page.reload();
    expect((await readOverview(page)).map((s) => s.key)).toEqual(before);
    await expect(page.locator('button[data-sort-key="mesh-success"]')).toHaveAttribute(
      'data-sort-direction',
      'descending'
    );

    await page.locator('button[data-sort-key="outside-app-mean"]').click();
    const outside = (await readOverview(page)).map((s) => s.outsideAppMean).filter((v) => v !== undefined);
    expect(outside).toEqual([...outside].sort((a, b) => b! - a!));
  });

  test('the CSV holds the rows as shown, in their order, figures in base units', async ({ page }) => {
    await page.goto(`${previewUrl('heldBack')}${OVERVIEW}&sort=mesh-p95&coverage=both`);
    const shown = await readShownRows(page);
    const exported = await exportCsv(page);
    expect(exported[0]).toContain('mesh-p95 (ms)');
    expect(exported[0]).toContain('mesh-success (ratio 0-1)');
    expect(csvAsRows(exported)).toEqual(shown);
  });

  test('at 1280×800 every figure is on screen without scrolling sideways', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${previewUrl('demo')}${OVERVIEW}`);
    await readOverview(page);
    const row = page.locator('[data-service="shop/inventory"]');
    for (const id of ['outside-app-mean', 'outside-app-p95', 'app-p95', 'mesh-p99']) {
      const box = await row.getByTestId(testIds.overview.cell(id)).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(1280);
    }
    await expect(row.getByTestId(testIds.overview.cell('outside-app-p95'))).toHaveAttribute(
      'title',
      /the true difference lies between/
    );
    const overflow = await page.getByTestId(testIds.overview.table).evaluate((table) => ({
      frame: table.parentElement!.scrollWidth - table.parentElement!.clientWidth,
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    expect(overflow).toEqual({ frame: 0, page: 0 });
  });
});

/** More services than a page holds: 20 minutes of a scenario no other test uses, in a store of its own. */
const PAGED_SCENARIO = 'random:2718:110';

test.describe('overview pages', () => {
  let store: RunningStore;
  let preview: RunningPreview;

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(180_000);
    store = await startVictoriaMetrics();
    const endMs = Math.floor(Date.now() / 60_000) * 60_000;
    await importIntoVictoriaMetrics(
      store.url,
      importJsonChunks(namedScenario(PAGED_SCENARIO)!, {
        schema: 'otel',
        semconv: 'stable',
        startMs: endMs - 20 * 60_000,
        endMs,
      }),
      'json'
    );
    preview = await startPreview({
      prometheus: store.url,
      port: 0,
      scenario: PAGED_SCENARIO,
      live: false,
      log: () => undefined,
    });
  });
  test.afterAll(async () => {
    await preview?.stop();
    await store?.stop();
  });

  test('a page-2 link opens page 2, and a reload keeps it', async ({ page }) => {
    await page.goto(`${preview.url}${OVERVIEW}&sort=service`);
    const first = await readShownRows(page);
    expect(first).toHaveLength(100);
    await page.getByRole('button', { name: '2', exact: true }).click();
    await expect(page).toHaveURL(/page=2/);
    const second = await readShownRows(page);
    expect(second.length).toBeGreaterThan(0);
    expect(second[0].key.localeCompare(first[99].key)).toBeGreaterThan(0);

    await page.reload();
    expect((await readShownRows(page)).map((r) => r.key)).toEqual(second.map((r) => r.key));
    await expect(page.getByRole('button', { name: '2', exact: true })).toHaveAttribute('aria-current', 'page');

    await page.goto(`${preview.url}${OVERVIEW}&sort=service&page=2`);
    expect((await readShownRows(page)).map((r) => r.key)).toEqual(second.map((r) => r.key));
  });

  test('the CSV holds every page', async ({ page }) => {
    await page.goto(`${preview.url}${OVERVIEW}&sort=service`);
    const first = await readShownRows(page);
    const exported = csvAsRows(await exportCsv(page));
    await page.getByRole('button', { name: '2', exact: true }).click();
    const second = await readShownRows(page);
    expect(exported).toEqual([...first, ...second]);
  });
});
