/**
 * Writes the shipped rule files (provisioning/rules/) from src/rules, one per label schema, default settings.
 *
 *   tsx scripts/rules.ts          rewrite them
 *   tsx scripts/rules.ts --check  exit 1 when one is out of date
 *
 * For other settings (join overrides, thresholds, a Grafana URL), call buildRuleGroups and serializeRuleFile
 * from src/rules, as scripts/lib/ruleFiles.ts does (docs/rules.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { readShippedRuleFiles } from './lib/ruleFiles';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of readShippedRuleFiles()) {
  const name = relative(process.cwd(), file.path);
  if (check) {
    if (file.actual !== file.expected) {
      process.stderr.write(`${name} is out of date: run npm run rules\n`);
      stale++;
    } else {
      process.stdout.write(`${name} is up to date\n`);
    }
  } else {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.expected);
    process.stdout.write(`wrote ${name}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
