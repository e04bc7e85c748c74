import { readdirSync } from 'node:fs';
import { defineConfig } from 'eslint/config';
import importPlugin from 'eslint-plugin-import';
import jestPlugin from 'eslint-plugin-jest';
import baseConfig from './.config/eslint.config.mjs';

/*
 * The layers of src/ (docs/architecture.md): settings and query at the bottom, then the pure cores boundary,
 * cardinality and rules, then the Grafana adapters (services, scenes), the shared components, and the pages on top.
 * A folder imports only from the layers below it; pages do not import each other.
 */
const UI_PACKAGES = ['react', 'react-dom', '@grafana/ui', '@grafana/scenes', '@grafana/runtime', '@emotion/css'].map(
  (name) => ({ name, message: 'The pure cores stay apart from React and Grafana’s runtime (docs/architecture.md).' })
);
const folderPattern = (folders, message) => ({ regex: `(^|/)(${folders.join('|')})(/|$)`, message });
const ABOVE_CORES = folderPattern(
  ['pages', 'components', 'services', 'scenes'],
  'A core never imports the UI layers above it.'
);
const PAGES = readdirSync(new URL('./src/pages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const layer = (files, paths, patterns) => ({
  files,
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

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
  layer(['src/settings/**', 'src/query/**'], UI_PACKAGES, [
    ABOVE_CORES,
    folderPattern(
      ['boundary', 'cardinality', 'rules'],
      'query/ builds queries; the cores above it read their answers.'
    ),
  ]),
  layer(['src/boundary/**', 'src/cardinality/**', 'src/rules/**'], UI_PACKAGES, [ABOVE_CORES]),
  layer(
    ['src/services/**', 'src/scenes/**'],
    [],
    [folderPattern(['pages', 'components'], 'Adapters serve the UI; they do not import it.')]
  ),
  {
    ...layer(
      ['src/components/**'],
      [],
      [folderPattern(['pages'], 'Shared components are shared by pages; they import none.')]
    ),
    // The app's root component mounts the pages.
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'src/components/App/**'],
  },
  ...PAGES.map((page) =>
    layer(
      [`src/pages/${page}/**`],
      [],
      [
        folderPattern(
          PAGES.filter((other) => other !== page),
          'Pages do not import each other: move what two pages share to src/components (docs/architecture.md).'
        ),
      ]
    )
  ),
  {
    files: [
      'src/**/*.{ts,tsx}',
      'tests/**/*.{ts,tsx}',
      'scripts/**/*.ts',
      'generator/**/*.ts',
      'preview/**/*.{ts,tsx}',
    ],
    plugins: { import: importPlugin },
    rules: {
      // Packages, then the project's own modules from far to near; the order `--fix` writes.
      'import/order': ['error', { groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'] }],
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'tests/integration/**/*.ts'],
    plugins: { jest: jestPlugin },
    rules: {
      // A test without an expectation cannot fail; helpers named expect* or assert* count as expectations.
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*'] }],
    },
  },
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
