import { readFileSync } from 'node:fs';
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { testIds } from '../../src/testIds';
import {
  buildRuleGroups,
  isAlertingRule,
  renderRuleFile,
  ruleOptionsForGrafana,
  type RecordingRule,
} from '../../src/rules';
import { resolveSettings, type SavedSettings } from '../../src/settings/settings';
import { DEFAULT_MESH_SELECTORS } from '../../src/settings/types';
import { APP, expect, test, withSettings } from './fixtures';
import { PREVIEW_ENV, previewUrl } from './previews';

const RULES = `${APP}/rules`;

/** Settings of the demo with thresholds of one's own: the file must carry them. */
const SAVED: SavedSettings = {
  metricsDatasourceUid: 'preview-metrics',
  labelSchema: 'otel',
  meshSelector: DEFAULT_MESH_SELECTORS.otel,
  joinOverrides: scenarioOverrides(demoScenario()),
  thresholds: {
    grpcTrapPercent: 3,
    boundaryLatencyMs: 80,
    boundaryLatencyPercent: 30,
    disagreementPoints: 5,
    disagreementRateFactor: 2,
  },
};

/** The file the page must offer: the rule generator's, for these settings and the preview's Grafana URL. */
function expectedFile(saved: SavedSettings): string {
  return renderRuleFile(
    resolveSettings(saved),
    ruleOptionsForGrafana(`${previewUrl('demo')}/`),
    'Mesh Lens’ Rules page'
  );
}

async function countInStore(expr: string): Promise<number> {
  const store = process.env[PREVIEW_ENV.demoStore];
  const response = await fetch(`${store}/api/v1/query?${new URLSearchParams({ query: `count(${expr})` })}`);
  const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return body.data.result.length === 0 ? 0 : Number(body.data.result[0].value[1]);
}

test.describe('alerting rules page', () => {
  test('shows the rule file for the current settings, and downloads the same file', async ({ page, consoleErrors }) => {
    await withSettings(page, SAVED);
    await page.goto(`${previewUrl('demo')}${RULES}`);
    const yaml = page.getByTestId(testIds.rules.yaml);
    const expected = expectedFile(SAVED);
    await expect(yaml).toHaveText(expected, { useInnerText: true });
    expect(expected).toContain('>= 0.03');
    expect(expected).toContain('$service = "currency-api"');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(testIds.rules.download).click(),
    ]);
    expect(download.suggestedFilename()).toBe('meshlens-rules.yaml');
    expect(readFileSync(await download.path(), 'utf8')).toBe(expected);
    expect(consoleErrors).toEqual([]);
  });

  test('follows the label schema: linkerd-viz’s labels and job', async ({ page }) => {
    const linkerd = { ...SAVED, labelSchema: 'linkerd', meshSelector: DEFAULT_MESH_SELECTORS.linkerd };
    await withSettings(page, linkerd);
    await page.goto(`${previewUrl('demo')}${RULES}`);
    const expected = expectedFile(linkerd);
    await expect(page.getByTestId(testIds.rules.yaml)).toHaveText(expected, { useInnerText: true });
    expect(expected).toContain('response_total{job="linkerd-proxy",direction="inbound"');
  });

  test('says what each recording rule costs: count() of its expression on the store', async ({ page }) => {
    await withSettings(page, SAVED);
    await page.goto(`${previewUrl('demo')}${RULES}`);
    const total = page.getByTestId(testIds.rules.total);
    await expect(total).toBeVisible();
    const recording = buildRuleGroups(resolveSettings(SAVED), ruleOptionsForGrafana(`${previewUrl('demo')}/`))
      .flatMap((g) => g.rules)
      .filter((r): r is RecordingRule => !isAlertingRule(r));
    const rows = page.getByTestId(testIds.rules.cost);
    await expect(rows).toHaveCount(recording.length);
    const shown = await rows.evaluateAll((elements) =>
      elements.map((e) => [e.getAttribute('data-record'), Number(e.getAttribute('data-series'))] as const)
    );
    const direct = await Promise.all(
      recording.map(async (rule) => [rule.record, await countInStore(rule.expr)] as const)
    );
    expect(shown).toEqual(direct);
    // The rates read the raw series, which the demo has; the store holds no recorded series to measure the rest.
    const rates = direct.filter(([record]) => record.endsWith(':rate1m'));
    expect(rates.every(([, n]) => n > 0)).toBe(true);
    await expect(total).toHaveAttribute('data-series', String(direct.reduce((sum, [, n]) => sum + n, 0)));
    await expect(page.getByText('The store holds none of the meshlens-rates series yet')).toBeVisible();
  });
});
