// Integration tests: the plugin's real queries against real VictoriaMetrics and Prometheus processes.
const base = require('../../.config/jest.config');

module.exports = {
  rootDir: '../..',
  transform: base.transform,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
  testTimeout: 240_000,
  maxWorkers: 1,
};
