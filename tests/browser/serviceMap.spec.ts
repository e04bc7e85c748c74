import { testIds } from '../../src/components/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeEdgeTruth, computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { APP, expect, test } from './fixtures';
import { previewUrl } from './previews';
import { compareSide } from '../shared/truthChecks';

const edges = computeEdgeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });

test.describe('service map', () => {
  test('lists every mesh edge of the demo with both ends’ counts', async ({ page, consoleErrors }) => {
    await page.goto(`${previewUrl('demo')}${APP}/service-map?from=now-1h&to=now`);
    const rows = page.getByTestId(testIds.serviceMap.edge);
    await expect(rows).toHaveCount(edges.length);
    const shown = await rows.evaluateAll((elements) =>
      elements.map((e) => {
        const side = (end: string) => {
          const read = (figure: string) => {
            const value = e.querySelector(`[data-testid="edge-${figure}-${end}"]`)?.getAttribute('data-value');
            return value === undefined || value === null || value === '' ? undefined : Number(value);
          };
          const rps = read('rps');
          return rps === undefined
            ? undefined
            : { rps, successRate: read('success'), p95: read('p95'), mean: read('mean') };
        };
        return {
          id: `${e.getAttribute('data-source')}->${e.getAttribute('data-target')}`,
          caller: side('caller'),
          callee: side('callee'),
        };
      })
    );
    const problems = edges.flatMap((t) => {
      const edge = shown.find((s) => s.id === `${t.source}->${t.target}`);
      if (!edge) {
        return [`missing ${t.source}->${t.target}`];
      }
      // The table's mTLS column is not read here: the integration suite checks it.
      return [
        ...compareSide(`${edge.id} caller`, edge.caller, t.callerSide),
        ...compareSide(`${edge.id} callee`, edge.callee, t.calleeSide && { ...t.calleeSide, mtlsShare: undefined }),
      ];
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
