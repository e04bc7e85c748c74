/**
 * The incident timeline as a user sees it, on the demo with an incident in the last half hour of its range
 * (generator/scenarios/demo-incident.json), against the generator's truth: each badge says since when, within one
 * query step; a flagged row draws its trend; compare=1h gives each figure the hour-earlier value; the drill-down's
 * charts mark the onset and its trace links start there.
 */
import type { Page } from '@playwright/test';
import { namedScenario } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { flagOnsets } from '../../generator/timelineTruth';
import { testIds } from '../../src/testIds';
import type { FlagId } from '../../src/constants';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { APP, expect, test, withSettings } from './fixtures';
import { incidentEndMs, previewUrl } from './previews';

const SCENARIO = namedScenario('demo-incident')!;
const TRUTH_OPTIONS = { semconv: 'stable' as const, thresholds: DEFAULT_THRESHOLDS };
const HOUR_MS = 3600_000;
const OVERVIEW = `${APP}/overview?from=now-1h&to=now`;
const SHIPPING = `${APP}/overview/service/shop/shipping`;
/** The preview's settings with a Tempo datasource, so the drill-down offers its trace links. */
const TEMPO_SETTINGS = {
  metricsDatasourceUid: 'preview-metrics',
  tracesDatasourceUid: 'tempo-1',
  tracesDatasourceType: 'tempo',
  joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
};

interface Badge {
  service: string;
  flag: string;
  since: string;
  onset: string;
}

/** Waits until the page's timeline has loaded, and returns its step in ms. */
async function timelineStepMs(page: Page): Promise<number> {
  const notes = page.getByTestId(testIds.timeline.notes).first();
  await expect(notes).toHaveAttribute('data-loading', '');
  await expect(notes).toHaveAttribute('data-step-seconds', /^\d+$/);
  return Number(await notes.getAttribute('data-step-seconds')) * 1000;
}

/** Every flag badge of the overview, read from its data attributes. */
function readBadges(page: Page): Promise<Badge[]> {
  return page.getByTestId(testIds.overview.row).evaluateAll(
    (rows, since) =>
      rows.flatMap((row) =>
        [...row.querySelectorAll(`[data-testid="${since}"]`)].map((badge) => ({
          service: row.getAttribute('data-service') ?? '',
          flag: badge.getAttribute('data-flag') ?? '',
          since: badge.getAttribute('data-since') ?? '',
          onset: badge.getAttribute('data-onset') ?? '',
        }))
      ),
    testIds.timeline.since
  );
}

test.describe('the incident timeline on demo-incident', () => {
  test('each flag badge says since when, within one query step of the truth, and a flagged row draws its trend', async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(`${previewUrl('incident')}${OVERVIEW}`);
    const stepMs = await timelineStepMs(page);
    const endMs = incidentEndMs();
    const truth = flagOnsets(SCENARIO, TRUTH_OPTIONS, { startMs: endMs - HOUR_MS, endMs });
    const badges = await readBadges(page);
    const wrong = badges.flatMap((badge) => {
      const expected = truth.get(badge.service)?.[badge.flag as FlagId];
      if (!expected) {
        return [`${badge.service} ${badge.flag}: not a flag of the truth`];
      }
      if (expected.sinceMs === undefined) {
        return badge.onset === 'all-along' ? [] : [`${badge.service} ${badge.flag}: ${badge.onset}, truth all along`];
      }
      const error = Math.abs(Number(badge.since) - expected.sinceMs);
      return badge.onset === 'since' && error <= stepMs
        ? []
        : [`${badge.service} ${badge.flag}: ${badge.onset} ${badge.since}, truth ${expected.sinceMs}`];
    });
    expect(wrong).toEqual([]);
    // Every flag the truth dates inside the range, and that still holds at its end, has its badge.
    const missing = [...truth].flatMap(([service, flags]) =>
      Object.entries(flags)
        .filter(([, o]) => o.sinceMs !== undefined && o.untilMs === undefined)
        .filter(([flag]) => !badges.some((b) => b.service === service && b.flag === flag))
        .map(([flag]) => `${service} ${flag}`)
    );
    expect(missing).toEqual([]);
    const dated = badges.filter((b) => b.onset === 'since');
    process.stdout.write(
      `demo-incident onsets (step ${stepMs / 1000} s): ${dated
        .map(
          (b) =>
            `${b.service} ${b.flag} ${(Number(b.since) - truth.get(b.service)![b.flag as FlagId]!.sinceMs!) / 1000} s`
        )
        .join('; ')}\n`
    );

    // The trap that began 25 minutes before the end: dated, and its share drawn rising at the onset.
    const trap = badges.find((b) => b.service === 'shop/shipping' && b.flag === 'grpc-trap');
    expect(trap?.onset).toBe('since');
    const row = page.locator(`[data-testid="${testIds.overview.row}"][data-service="shop/shipping"]`);
    const trend = row.getByTestId(testIds.timeline.trend);
    await expect(trend.locator('canvas')).toBeVisible();
    await expect(trend).toHaveAttribute('data-figure', 'grpc-trap-share');
    const points = ((await trend.getAttribute('data-points')) ?? '').split(' ').map(Number);
    const sinceMs = Number(trap!.since);
    const to = Date.now();
    // Points are per step, the last one ending at the range's end: a step's start is `to - (n - i) * step`.
    const before = points.filter((_, i) => to - (points.length - i) * stepMs < sinceMs - stepMs);
    const after = points.filter((_, i) => to - (points.length - i) * stepMs > sinceMs + stepMs);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.max(...before)).toBeLessThan(Math.min(...after));
    expect(consoleErrors).toEqual([]);
  });

  test('compare=1h gives every figure the hour-earlier value, within 1 % of the truth', async ({ page }) => {
    await page.goto(`${previewUrl('incident')}${OVERVIEW}&compare=1h`);
    await timelineStepMs(page);
    const now = Date.now();
    const earlier = computeTruth(SCENARIO, {
      ...TRUTH_OPTIONS,
      window: { rangeEndMs: incidentEndMs(), fromMs: now - 2 * HOUR_MS, toMs: now - HOUR_MS },
    });
    const cell = (service: string, id: string) =>
      page.locator(
        `[data-testid="${testIds.overview.row}"][data-service="${service}"] [data-testid="${testIds.overview.cell(id)}"]`
      );
    const wrong: string[] = [];
    let compared = 0;
    for (const truth of earlier) {
      for (const [id, expected] of [
        ['mesh-rps', truth.mesh?.rps],
        ['mesh-success', truth.mesh?.successRate],
        ['app-rps', truth.app?.rps],
        ['app-success', truth.app?.successRate],
      ] as const) {
        if (expected === undefined) {
          continue;
        }
        const value = Number(await cell(truth.key, id).getAttribute('data-baseline-value'));
        compared++;
        if (!(Math.abs(value - expected) <= 0.01 * expected)) {
          wrong.push(`${truth.key} ${id}: ${value}, truth ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(earlier.length);
  });

  test('the drill-down marks the onset on its charts, draws the hour before, and links the traces from the onset', async ({
    page,
    consoleErrors,
  }) => {
    await withSettings(page, TEMPO_SETTINGS);
    await page.goto(`${previewUrl('incident')}${SHIPPING}/status?from=now-1h&to=now&compare=1h`);
    await timelineStepMs(page);
    const header = page.getByTestId(testIds.service.header);
    const badge = header.locator(`[data-testid="${testIds.timeline.since}"][data-flag="grpc-trap"]`);
    await expect(badge).toHaveAttribute('data-onset', 'since');
    const since = (await badge.getAttribute('data-since'))!;
    const endMs = incidentEndMs();
    const truth = flagOnsets(SCENARIO, TRUTH_OPTIONS, { startMs: endMs - HOUR_MS, endMs }).get('shop/shipping');
    expect(Math.abs(Number(since) - truth!['grpc-trap']!.sinceMs!)).toBeLessThanOrEqual(60_000);

    const marks = page.locator(`[data-annotation-time="${since}"]`);
    await expect(marks.first()).toBeVisible();
    await expect(marks.first()).toHaveAttribute('title', 'gRPC trap since here');
    await expect(
      page.getByTestId("data-testid VizLegend series failed behind HTTP 200 (this service's proxy) (1 h earlier)")
    ).toBeVisible();

    const link = page.locator(`[data-testid="${testIds.service.traceLink}"][data-flag="grpc-trap"]`);
    const panes = JSON.parse(new URL((await link.getAttribute('href'))!, 'http://x').searchParams.get('panes')!);
    const range = (Object.values(panes)[0] as { range: { from: string; to: string } }).range;
    expect(range.from).toBe(since);
    expect(Number(range.to)).toBeGreaterThan(Number(since));
    expect(consoleErrors).toEqual([]);
  });
});
