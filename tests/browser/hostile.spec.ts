/**
 * The hostile scenario in the browser (generator/scenarios/hostile.json): the overview lists every service under
 * exactly its name with the truth's figures, and a drill-down opens, by a click or by its address, for the nastiest
 * names: a 335-character app name full of quotes, backslashes, `%`, `/`, `?` and `#`, one with a newline and a tab,
 * `team%42` (an escape lookalike) and `-` (the no-namespace sign).
 */
import type { Page } from '@playwright/test';
import { hostileScenario, scenarioOverrides } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { testIds } from '../../src/testIds';
import { servicePath } from '../../src/components/ServiceLink/servicePath';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { compareToTruth } from '../shared/truthChecks';
import { APP, expect, readOverview, test } from './fixtures';
import { previewUrl } from './previews';

const scenario = hostileScenario();
const truth = computeTruth(scenario, { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
const longest = scenario.services.reduce((a, b) => (b.name.length > a.name.length ? b : a));
const withNewline = scenario.services.find((s) => s.name.includes('\n'))!;

/**
 * The drill-down's header shows the service's request rate within 1 % of the scenario's, as every figure is held to
 * the truth: a window that ends now misses the scrape in flight (docs/timeline.md, "Rates that mean the same on any
 * store"), so 4 req/s may read 3.98.
 */
async function expectHeaderRps(page: Page, rps: number) {
  const header = page.getByTestId(testIds.service.header);
  await expect(header).toContainText('req/s');
  const shown = Number((await header.innerText()).match(/([\d.]+) req\/s/)?.[1]);
  expect(Math.abs(shown - rps)).toBeLessThanOrEqual(0.01 * rps);
}

test.describe('the hostile scenario', () => {
  test('the overview lists every service under exactly its name, with the truth’s figures', async ({
    page,
    consoleErrors,
  }) => {
    expect(scenarioOverrides(scenario).length).toBeGreaterThan(3);
    await page.goto(`${previewUrl('hostile')}${APP}/overview?from=now-1h&to=now`);
    const observed = await readOverview(page);
    expect(observed.map((o) => o.key).sort()).toEqual(truth.map((t) => t.key).sort());
    const problems = truth.flatMap((t) =>
      compareToTruth(
        observed.find((o) => o.key === t.key)!,
        t
      )
    );
    expect(problems).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  for (const service of [longest, withNewline]) {
    test(`a click opens the drill-down of ${JSON.stringify(service.name.slice(0, 24))}…`, async ({ page }) => {
      await page.goto(`${previewUrl('hostile')}${APP}/overview?from=now-1h&to=now`);
      const rows = page.getByTestId(testIds.overview.row);
      await expect(rows.first()).toBeVisible();
      const keys = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-service')));
      await rows
        .nth(keys.indexOf(`${service.namespace}/${service.name}`))
        .locator('td')
        .first()
        .click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(service.name.replace(/\s+/g, ' '));
      const header = page.getByTestId(testIds.service.header);
      await expect(header).toBeVisible();
      await expectHeaderRps(page, service.rps);
      expect(
        new URL(page.url()).pathname.startsWith(servicePath({ namespace: 'hostile', service: service.name }))
      ).toBe(true);
    });
  }

  for (const name of ['team%42', '-', 'a/b?c=d#e&f']) {
    test(`its address opens the drill-down of ${JSON.stringify(name)}`, async ({ page, consoleErrors }) => {
      await page.goto(`${previewUrl('hostile')}${servicePath({ namespace: 'hostile', service: name })}/boundary`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
      const expected = scenario.services.find((s) => s.name === name)!;
      await expectHeaderRps(page, expected.rps);
      expect(consoleErrors).toEqual([]);
    });
  }
});
