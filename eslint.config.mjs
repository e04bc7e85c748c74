import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      'dist-generator/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
      '.preview-build/',
    ],
  },
  ...baseConfig,
  {
    // The product never logs to the console; scripts and tests report through stdout/stderr instead.
    files: ['src/**/*.{ts,tsx}', 'preview/**/*.{ts,tsx}'],
    rules: {
      'no-console': 'error',
      complexity: ['error', 25],
    },
  },
  {
    // Tests, scripts and the generator are TypeScript too: lint them with the same rules (the scaffolded block for tests names
    // `./tests/**/*`, which flat config does not match, so they were skipped).
    files: ['tests/**/*.{ts,tsx}', 'scripts/**/*.ts', 'generator/**/*.ts', 'playwright.config.ts'],
    rules: {
      // Playwright fixtures call `use`, which is not React's.
      'react-hooks/rules-of-hooks': 'off',
    },
  },
]);
