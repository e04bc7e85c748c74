import { demoScenario, namedScenario } from '../../generator/scenarios';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { testIds } from '../../src/components/testIds';
import { compareToTruth, type ObservedService } from '../shared/truthChecks';
import { APP, expect, readOverview, test } from './fixtures';
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
    await expect(page.getByText(/at p95 spent outside the app/)).toBeVisible();
  });
});
