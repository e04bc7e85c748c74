import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './chromium';

/**
 * Browser tests of the plugin's real pages in the standalone preview, in Debian's Chromium.
 * global-setup starts the previews (demo and held-back scenarios) on real VictoriaMetrics instances.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: '../../test-results/browser',
  use: {
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 1600, height: 1000 },
    trace: 'retain-on-failure',
  },
});
