// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const scaffold = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...scaffold,
  // @grafana/data's value formatters load d3's `.mjs` files, which the scaffold lists but does not transform.
  transform: { ...scaffold.transform, '^.+\\.mjs$': '@swc/jest' },
  // Tests of scene objects load @grafana/scenes, whose @grafana/data hooks import @react-hookz and @ver0 (ESM only).
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0'])],
  // The plugin's unit tests, and those of the programs beside it: the scenario generator, the preview's Grafana
  // stand-ins and the scripts' libraries.
  testMatch: [
    '<rootDir>/src/**/*.test.{ts,tsx}',
    '<rootDir>/generator/**/*.test.ts',
    '<rootDir>/preview/**/*.test.ts',
    '<rootDir>/scripts/**/*.test.ts',
  ],
};
