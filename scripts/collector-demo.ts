/**
 * Writes provisioning/collector/otel-collector.demo.yaml from otel-collector.yaml (only discovery differs).
 *
 *   tsx scripts/collector-demo.ts          rewrite the demo config
 *   tsx scripts/collector-demo.ts --check  exit 1 when it is out of date
 */
import { writeFileSync } from 'node:fs';
import { DEMO_CONFIG, readDemoConfigs } from './lib/collectorConfig';

const { expected, actual } = readDemoConfigs();
if (process.argv.includes('--check')) {
  if (expected !== actual) {
    process.stderr.write(`${DEMO_CONFIG} is out of date: run npm run collector:demo\n`);
    process.exit(1);
  }
  process.stdout.write(`${DEMO_CONFIG} is up to date\n`);
} else {
  writeFileSync(DEMO_CONFIG, expected);
  process.stdout.write(`wrote ${DEMO_CONFIG}\n`);
}
