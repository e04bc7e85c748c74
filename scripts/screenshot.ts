/**
 * Takes screenshots of preview pages with Debian's Chromium.
 *   tsx scripts/screenshot.ts <url> <out.png> [more url/out pairs…] [--width 1600 --height 1000] [--viewport]
 */
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../tests/browser/chromium';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      width: { type: 'string', default: '1600' },
      height: { type: 'string', default: '1000' },
      viewport: { type: 'boolean', default: false },
      wait: { type: 'string', default: '' },
    },
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      process.stderr.write(`console error: ${message.text()}\n`);
    }
  });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
  for (let i = 0; i + 1 < positionals.length; i += 2) {
    await page.goto(positionals[i]);
    await page.waitForLoadState('networkidle');
    if (values.wait) {
      await page.waitForSelector(values.wait, { timeout: 20_000 });
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: positionals[i + 1], fullPage: !values.viewport });
    process.stdout.write(`${positionals[i + 1]}\n`);
  }
  await browser.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
