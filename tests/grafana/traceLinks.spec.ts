import { testIds } from '../../src/testIds';
import { demoScenario } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { expect, test } from './fixtures';

// Runs against the docker-compose stack (`docker compose up`, then `npm run e2e`): the generator sends the demo's
// traces to Tempo through the Collector, so every trace link of a flagged service must find some. A service with
// no traffic at all (the demo's idle one) has nothing to find.
const flaggedWithTraffic = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS }).filter(
  (t) => t.flags.length > 0 && ((t.mesh?.rps ?? 0) > 0 || (t.app?.rps ?? 0) > 0)
);

interface DsQueryResponse {
  results: Record<string, { frames?: Array<{ data?: { values?: unknown[][] } }> }>;
}

for (const truth of flaggedWithTraffic) {
  test(`${truth.key}: every trace link opens Explore on Tempo, which returns the traces it asks for`, async ({
    gotoPage,
    page,
  }) => {
    await gotoPage(`/overview/service/${truth.key}/boundary`);
    const links = page.getByTestId(testIds.service.traceLink);
    await expect(links.first()).toBeVisible();
    const found = await links.evaluateAll((elements) =>
      elements.map((e) => ({ flag: e.getAttribute('data-flag') ?? '', href: e.getAttribute('href') ?? '' }))
    );
    expect([...new Set(found.map((f) => f.flag))].sort()).toEqual([...truth.flags].sort());

    for (const { href } of found) {
      const panes = JSON.parse(new URL(href, 'http://x').searchParams.get('panes') ?? '{}');
      const [pane] = Object.values(panes) as Array<{ datasource: string; queries: Array<{ query: string }> }>;
      expect(pane.datasource).toBe('tempo');
      const query = pane.queries[0].query;
      // The query as it travels in the request body: JSON-escaped.
      const inBody = JSON.stringify(query).slice(1, -1);
      const search = page.waitForResponse(
        (response) => response.url().includes('/api/ds/query') && (response.request().postData() ?? '').includes(inBody)
      );
      await page.goto(href);
      const response = await search;
      expect([query, response.ok()]).toEqual([query, true]);
      const body = (await response.json()) as DsQueryResponse;
      const rows = Object.values(body.results)
        .flatMap((r) => r.frames ?? [])
        .map((f) => f.data?.values?.[0]?.length ?? 0);
      expect([query, Math.max(0, ...rows) > 0]).toEqual([query, true]);
    }
  });
}
