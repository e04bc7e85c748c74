import { testIds } from '../../src/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/settings/types';
import {
  expect,
  isSameDocument,
  listedServices,
  markDocument,
  navigateInApp,
  PLUGIN_ID,
  readPluginSettings,
  test,
  writePluginSettings,
} from './fixtures';

// Changes the app's settings, so playwright.config.ts runs this file in its own project after every other spec
// (they expect the demo's flags) and the test puts the stored settings back however it ends.

/** The services the overview must flag under these thresholds, from the demo scenario's truth. */
function flaggedWith(thresholds: Thresholds): string[] {
  return computeTruth(demoScenario(), { semconv: 'stable', thresholds })
    .filter((t) => t.flags.length > 0)
    .map((t) => t.key)
    .sort();
}

const OVERVIEW_FLAGGED = `/a/${PLUGIN_ID}/overview?flagged=true`;
const CONFIG_PAGE = `/plugins/${PLUGIN_ID}`;

test('a saved threshold reaches the overview without a manual refresh, and restoring it brings the flag back', async ({
  gotoAppConfigPage,
  page,
}) => {
  const stored = await readPluginSettings(page);
  const thresholds = stored.jsonData.thresholds as Partial<Thresholds> | undefined;
  const trapPercent = thresholds?.grpcTrapPercent ?? DEFAULT_THRESHOLDS.grpcTrapPercent;
  // The demo's payments fails 8 % of its gRPC calls behind HTTP 200: above 8 % the trap no longer flags it.
  const raised = { ...DEFAULT_THRESHOLDS, ...thresholds, grpcTrapPercent: 9 };
  const before = flaggedWith({ ...DEFAULT_THRESHOLDS, ...thresholds });
  const after = flaggedWith(raised);
  expect(before).toContain('shop/payments');
  expect(after).not.toContain('shop/payments');

  const saveThreshold = async (value: string) => {
    await page.getByTestId(testIds.appConfig.threshold('grpcTrapPercent')).fill(value);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/plugins/${PLUGIN_ID}/settings`) && r.request().method() === 'POST'
    );
    const reloaded = page.waitForEvent('load');
    await markDocument(page);
    await page.getByTestId(testIds.appConfig.submit).click();
    await expect(saved).toBeOK();
    // The config page reloads itself after saving (saveSettings: window.location.reload), because Grafana hands an
    // app its settings once per page load and caches them.
    await reloaded;
    expect(await isSameDocument(page)).toBe(false);
    await expect(page.getByTestId(testIds.appConfig.threshold('grpcTrapPercent'))).toHaveValue(value);
  };

  const expectOverviewFlags = async (expected: string[]) => {
    // Inside the page, as a click on a link would: no page load between the save and the overview.
    await markDocument(page);
    await navigateInApp(page, OVERVIEW_FLAGGED);
    await expect(page.getByTestId(testIds.overview.row).first()).toBeVisible();
    await expect.poll(() => listedServices(page)).toEqual(expected);
    expect(await isSameDocument(page)).toBe(true);
  };

  await gotoAppConfigPage({ pluginId: PLUGIN_ID });
  try {
    // The app loads in this document first, so Grafana's plugin settings cache holds the stored settings.
    await expectOverviewFlags(before);
    await navigateInApp(page, CONFIG_PAGE);
    await saveThreshold('9');
    await expectOverviewFlags(after);

    await navigateInApp(page, CONFIG_PAGE);
    await saveThreshold(String(trapPercent));
    await expectOverviewFlags(before);
  } finally {
    // The stored settings exactly as they were, whatever the page saved or failed to.
    await writePluginSettings(page, stored);
  }
});
