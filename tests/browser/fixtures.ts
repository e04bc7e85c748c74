import { test as base, expect, type Page } from '@playwright/test';
import { PLUGIN_ID } from '../../src/constants';
import { SETTINGS_STORAGE_KEY } from '../../preview/constants';
import { testIds } from '../../src/testIds';
import type { ObservedService } from '../shared/truthChecks';

export { expect };

export const APP = `/a/${PLUGIN_ID}`;
export const CONFIG = `/plugins/${PLUGIN_ID}`;

/** Console errors and uncaught exceptions of a page: a page that logs errors fails its test. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use(errors);
  },
});

/** Starts the page with these app settings in the preview's storage (undefined: the preview's defaults). */
export async function withSettings(page: Page, settings: object | undefined) {
  await page.addInitScript(
    ([key, value]) => {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    },
    [SETTINGS_STORAGE_KEY, settings === undefined ? null : JSON.stringify(settings)] as const
  );
}

const CELLS: Array<[keyof ObservedService, string]> = [
  ['meshRps', 'mesh-rps'],
  ['meshSuccess', 'mesh-success'],
  ['appRps', 'app-rps'],
  ['appSuccess', 'app-success'],
  ['meshP50', 'mesh-p50'],
  ['meshP95', 'mesh-p95'],
  ['meshP99', 'mesh-p99'],
  ['appP50', 'app-p50'],
  ['appP95', 'app-p95'],
  ['outsideAppMean', 'outside-app-mean'],
  ['outsideAppP95', 'outside-app-p95'],
];

/** Reads every overview row the way a script would: data attributes only, numbers in base units. */
export async function readOverview(page: Page): Promise<ObservedService[]> {
  const rows = page.getByTestId(testIds.overview.row);
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll(
    (elements, cells) =>
      elements.map((row) => {
        const observed: Record<string, unknown> = {
          key: row.getAttribute('data-service') ?? '',
          coverage: row.getAttribute('data-coverage') ?? '',
          flags: (row.getAttribute('data-flags') ?? '').split(' ').filter(Boolean),
        };
        for (const [field, column] of cells) {
          const value = row.querySelector(`[data-testid="cell-${column}"]`)?.getAttribute('data-value');
          observed[field] = value === undefined || value === null || value === '' ? undefined : Number(value);
        }
        return observed as unknown as ObservedService;
      }),
    CELLS
  );
}

/** A row as the page shows it: every `cell-<id>` element's `data-value`, by id. */
export interface ShownRow {
  key: string;
  coverage: string;
  flags: string;
  cells: Record<string, string>;
}

/** Reads the overview rows of the current page, in order, with every figure element. */
export async function readShownRows(page: Page): Promise<ShownRow[]> {
  const rows = page.getByTestId(testIds.overview.row);
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((elements) =>
    elements.map((row) => ({
      key: row.getAttribute('data-service') ?? '',
      coverage: row.getAttribute('data-coverage') ?? '',
      flags: row.getAttribute('data-flags') ?? '',
      cells: Object.fromEntries(
        [...row.querySelectorAll('[data-testid^="cell-"]')].map((cell) => [
          (cell.getAttribute('data-testid') ?? '').replace(/^cell-/, ''),
          cell.getAttribute('data-value') ?? '',
        ])
      ),
    }))
  );
}
