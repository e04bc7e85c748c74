import type { Page } from '@playwright/test';
import { testIds } from '../../src/testIds';
import { demoScenario, namedScenario } from '../../generator/scenarios';
import { computeEdgeTruth, computeTruth } from '../../generator/truth';
import { FLAG_IDS, type FlagId } from '../../src/constants';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { compareSide } from '../shared/truthChecks';
import { APP, expect, test } from './fixtures';
import { HELD_BACK_SCENARIO, previewUrl } from './previews';

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

  test('focus=flagged keeps the edges that touch a flagged service, and the URL keeps the mode', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${APP}/service-map?from=now-1h&to=now&focus=flagged`);
    const flagged = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS })
      .filter((t) => t.mesh && t.flags.length > 0)
      .map((t) => t.key);
    const expected = edges.filter((e) => flagged.includes(e.source) || flagged.includes(e.target));
    await expect(page.getByTestId(testIds.serviceMap.edge)).toHaveCount(expected.length);
  });
});

const TRUTH_OPTIONS = { semconv: 'stable' as const, thresholds: DEFAULT_THRESHOLDS };
const heldBack = namedScenario(HELD_BACK_SCENARIO)!;
const heldBackTruth = computeTruth(heldBack, TRUTH_OPTIONS);
const heldBackEdges = computeEdgeTruth(heldBack, TRUTH_OPTIONS);
const MAP = `${APP}/service-map?from=now-1h&to=now`;

/** The nodes the node graph draws (Grafana marks each with `data-node-id`), and each one's ring arcs. */
async function drawnNodes(page: Page): Promise<Record<string, string[]>> {
  const nodes = page.locator('[data-node-id]');
  await expect(nodes.first()).toBeVisible();
  return Object.fromEntries(
    await nodes.evaluateAll((elements) =>
      elements.map((node) => [
        node.getAttribute('data-node-id') ?? '',
        [...node.querySelectorAll('[data-arc]')].map((arc) => arc.getAttribute('data-arc') ?? '').sort(),
      ])
    )
  );
}

/** The truth's focused set: services with the flag (any flag for "flagged") and the services one edge away. */
function focusedTruth(focus: FlagId | 'flagged'): string[] {
  const focused = new Set(
    heldBackTruth
      .filter((t) => t.mesh && (focus === 'flagged' ? t.flags.length > 0 : t.flags.includes(focus)))
      .map((t) => t.key)
  );
  const keep = new Set(focused);
  for (const edge of heldBackEdges.filter((e) => focused.has(e.source) || focused.has(e.target))) {
    keep.add(edge.source);
    keep.add(edge.target);
  }
  return [...keep].sort();
}

test.describe('service map marks and focus', () => {
  test('rings every flagged service with one arc per flag kind, and the legend counts them', async ({ page }) => {
    await page.goto(`${previewUrl('heldBack')}${MAP}`);
    const drawn = await drawnNodes(page);
    const meshed = heldBackTruth.filter((t) => t.mesh);
    expect(meshed.filter((t) => t.flags.length > 0).length).toBeGreaterThan(3);
    for (const service of meshed) {
      const expected = service.flags.length > 0 ? service.flags.map((f) => `arc__${f}`).sort() : ['arc__none'];
      expect(drawn[service.key], service.key).toEqual(expected);
    }
    for (const kind of FLAG_IDS) {
      await expect(page.locator(`[data-testid="${testIds.serviceMap.legend}"][data-mark="${kind}"]`)).toHaveAttribute(
        'data-count',
        String(meshed.filter((t) => t.flags.includes(kind)).length)
      );
    }
  });

  for (const focus of ['flagged', 'grpc-trap', 'disagreement'] as const) {
    test(`focus=${focus} keeps exactly those services and their direct peers`, async ({ page }) => {
      await page.goto(`${previewUrl('heldBack')}${MAP}&focus=${focus}`);
      const expected = focusedTruth(focus);
      await expect(page.getByText(`${expected.length} nodes,`)).toBeVisible();
      expect(Object.keys(await drawnNodes(page)).sort()).toEqual(expected);
    });
  }

  test('an edge has the same colour on the map and in the edge table, 95.00 % included', async ({ page }) => {
    await page.goto(`${previewUrl('demo')}${MAP}`);
    const rows = page.getByTestId(testIds.serviceMap.edge);
    await expect(rows).toHaveCount(edges.length);
    const colours = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="map-edge"]')].map((row) => {
        const source = row.getAttribute('data-source');
        const target = row.getAttribute('data-target');
        const dot = row.querySelector('span[style]')!;
        const line = document.querySelector(`line[aria-label="Edge from: ${source} to: ${target}"]`)!;
        return {
          edge: `${source}->${target}`,
          shown: row.textContent ?? '',
          table: getComputedStyle(dot).backgroundColor,
          map: getComputedStyle(line).stroke,
        };
      })
    );
    const cart = colours.find((c) => c.edge === 'shop/web->shop/cart')!;
    expect(cart.shown).toContain('95.00%');
    expect(colours.filter((c) => c.table !== c.map)).toEqual([]);
    const payments = colours.find((c) => c.edge === 'shop/checkout->shop/payments')!;
    expect(new Set([cart.map, payments.map, colours[0].map]).size).toBe(3);
  });
});
