import { testIds } from '../../src/components/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeEdgeTruth, computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { APP, expect, test } from './fixtures';
import { previewUrl } from './previews';

const edges = computeEdgeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });

test.describe('service map', () => {
  test('lists every mesh edge of the demo with its request rate and success', async ({ page, consoleErrors }) => {
    await page.goto(`${previewUrl('demo')}${APP}/service-map?from=now-1h&to=now`);
    const rows = page.getByTestId(testIds.serviceMap.edge);
    await expect(rows).toHaveCount(edges.length);
    const shown = await rows.evaluateAll((elements) =>
      elements.map((e) => ({
        id: `${e.getAttribute('data-source')}->${e.getAttribute('data-target')}`,
        rps: Number(e.getAttribute('data-rps')),
        success: e.getAttribute('data-success') === '' ? undefined : Number(e.getAttribute('data-success')),
      }))
    );
    const problems = edges.flatMap((t) => {
      const edge = shown.find((s) => s.id === `${t.source}->${t.target}`);
      if (!edge) {
        return [`missing ${t.source}->${t.target}`];
      }
      const rpsOff = t.rps === 0 ? edge.rps !== 0 : Math.abs(edge.rps - t.rps) / t.rps > 0.01;
      const successOff = t.rps > 0 && Math.abs((edge.success ?? -1) - (t.successRate ?? 0)) > 0.01;
      return rpsOff || successOff
        ? [`${edge.id}: ${edge.rps} req/s, ${edge.success} vs ${t.rps}, ${t.successRate}`]
        : [];
    });
    expect(problems).toEqual([]);
    await expect(page.getByRole('img', { name: 'Service map' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test('"flagged and their neighbours" keeps the edges that touch a flagged service, and the URL keeps the mode', async ({
    page,
  }) => {
    await page.goto(`${previewUrl('demo')}${APP}/service-map?from=now-1h&to=now&focus=flagged`);
    const flagged = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS })
      .filter((t) => t.mesh && t.flags.length > 0)
      .map((t) => t.key);
    const expected = edges.filter((e) => flagged.includes(e.source) || flagged.includes(e.target));
    await expect(page.getByTestId(testIds.serviceMap.edge)).toHaveCount(expected.length);
  });
});
