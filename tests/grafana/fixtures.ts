import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfigPage, AppPage, test as base } from '@grafana/plugin-e2e';
import type { Page, Response } from '@playwright/test';
import { parse } from 'yaml';
import pluginJson from '../../src/plugin.json';
import { testIds } from '../../src/testIds';
import { readExploreUrl, type ExplorePane } from '../shared/grafanaLinks';

type AppTestFixture = {
  appConfigPage: AppConfigPage;
  gotoPage: (path?: string) => Promise<AppPage>;
};

export const test = base.extend<AppTestFixture>({
  appConfigPage: async ({ gotoAppConfigPage }, use) => {
    const configPage = await gotoAppConfigPage({
      pluginId: pluginJson.id,
    });
    await use(configPage);
  },
  gotoPage: async ({ gotoAppPage }, use) => {
    await use((path) =>
      gotoAppPage({
        path,
        pluginId: pluginJson.id,
      })
    );
  },
});

export { expect } from '@grafana/plugin-e2e';

export const PLUGIN_ID = pluginJson.id;

/** The Tempo datasource the stack provisions (provisioning/datasources/default.yaml). */
export const TEMPO_UID: string = (() => {
  const file = parse(readFileSync(join(__dirname, '../../provisioning/datasources/default.yaml'), 'utf8')) as {
    datasources: Array<{ uid: string; type: string }>;
  };
  const tempo = file.datasources.find((d) => d.type === 'tempo');
  if (!tempo) {
    throw new Error('the stack provisions no Tempo datasource');
  }
  return tempo.uid;
})();

/**
 * The TraceQL search Grafana's Tempo datasource runs with streaming off (as the stack provisions it): a GET of
 * `<instanceSettings.url>/api/search?q=…&limit=…&spss=…&start=…&end=…` (tempo/datasource.ts `handleTraceQlQuery`),
 * the instance url of a proxy-access datasource being `/api/datasources/proxy/uid/<uid>`. Not `/api/ds/query`.
 */
export function waitForTempoSearch(page: Page, traceQL: string): Promise<Response> {
  return page.waitForResponse((response) => {
    const url = new URL(response.url());
    return (
      response.request().method() === 'GET' &&
      url.pathname.endsWith(`/api/datasources/proxy/uid/${TEMPO_UID}/api/search`) &&
      url.searchParams.get('q') === traceQL
    );
  });
}

/** The traces a Tempo search answered with (Tempo's `/api/search` body: `{ traces: [...] }`). */
export async function tracesFound(response: Response): Promise<number> {
  const body = (await response.json()) as { traces?: unknown[] };
  return body.traces?.length ?? 0;
}

/** The pane Explore reads from the page's URL, parsed the way Explore parses it. */
export function explorePaneOf(page: Page): ExplorePane | undefined {
  const url = new URL(page.url());
  const [pane] = Object.values(readExploreUrl(`${url.pathname}${url.search}`).panes ?? {});
  return pane;
}

/**
 * Navigates inside the running Grafana the way any link in it does: a click on an anchor, which Grafana's
 * document-level `interceptLinkClicks` turns into `locationService.push` — no page load, so whatever Grafana has
 * cached in this document (the app's plugin settings among them) stays.
 */
export async function navigateInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((href) => {
    const anchor = document.createElement('a');
    anchor.setAttribute('href', href);
    anchor.textContent = 'e2e navigation';
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
  }, path);
  await page.waitForURL((url) => `${url.pathname}${url.search}`.startsWith(path));
}

const MARKER = '__meshLensE2eDocument';

/** Marks the current document, so a later check can tell whether the page was loaded again since. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate((marker) => {
    (window as unknown as Record<string, boolean>)[marker] = true;
  }, MARKER);
}

/** Whether the page still shows the document `markDocument` marked (no reload in between). */
export function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate((marker) => (window as unknown as Record<string, boolean>)[marker] === true, MARKER);
}

/** The org the signed-in user is in, as Grafana's boot data gives it to the frontend. */
export function currentOrgId(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { grafanaBootData: { user: { orgId: number } } }).grafanaBootData.user.orgId
  );
}

/** The services the overview lists, as their `data-service` keys, sorted. */
export async function listedServices(page: Page): Promise<string[]> {
  const rows = page.getByTestId(testIds.overview.row);
  const services = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-service') ?? ''));
  return services.sort();
}

export interface PluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
}

/** The app's settings as Grafana stores them (GET /api/plugins/<id>/settings). */
export async function readPluginSettings(page: Page): Promise<PluginSettings> {
  const response = await page.request.get(`/api/plugins/${PLUGIN_ID}/settings`);
  if (!response.ok()) {
    throw new Error(`GET /api/plugins/${PLUGIN_ID}/settings answered ${response.status()}`);
  }
  const { enabled, pinned, jsonData } = (await response.json()) as PluginSettings;
  return { enabled, pinned, jsonData: jsonData ?? {} };
}

/** Writes the app's settings back as they were (POST /api/plugins/<id>/settings, what the config page does). */
export async function writePluginSettings(page: Page, settings: PluginSettings): Promise<void> {
  const response = await page.request.post(`/api/plugins/${PLUGIN_ID}/settings`, { data: settings });
  if (!response.ok()) {
    throw new Error(`POST /api/plugins/${PLUGIN_ID}/settings answered ${response.status()}`);
  }
}
