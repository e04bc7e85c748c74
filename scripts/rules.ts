/**
 * Writes Mesh Lens' rule files from src/rules.
 *
 *   tsx scripts/rules.ts           rewrite the shipped files (provisioning/rules/, default settings per schema)
 *   tsx scripts/rules.ts --check   exit 1 when one is out of date
 *   tsx scripts/rules.ts --out my-rules.yaml [--settings jsonData.json] [--schema otel|linkerd]
 *                        [--grafana-url https://grafana.example.com] [--no-annotation-queries]
 *                                  one file for your settings: the app's jsonData (as saved or provisioned,
 *                                  e.g. with joinOverrides and thresholds), your Grafana's URL for the links;
 *                                  --no-annotation-queries for a file vmalert can -replay (docs/rules.md)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveSettings, type SavedSettings } from '../src/settings/settings';
import { renderRuleFile } from '../src/rules';
import { defaultSettingsFor, readShippedRuleFiles } from './lib/ruleFiles';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    out: { type: 'string' },
    settings: { type: 'string' },
    schema: { type: 'string' },
    'grafana-url': { type: 'string' },
    'no-annotation-queries': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

if (values.out) {
  if (values.schema && values.schema !== 'otel' && values.schema !== 'linkerd') {
    fail(`--schema must be otel or linkerd, got ${values.schema}`);
  }
  const saved: SavedSettings = values.settings ? JSON.parse(readFileSync(values.settings, 'utf8')) : {};
  const schema =
    (values.schema as 'otel' | 'linkerd' | undefined) ?? (saved.labelSchema === 'linkerd' ? 'linkerd' : 'otel');
  const settings = values.settings ? resolveSettings({ ...saved, labelSchema: schema }) : defaultSettingsFor(schema);
  const options = {
    ...(values['grafana-url'] ? { grafanaUrl: values['grafana-url'] } : {}),
    annotationQueries: !values['no-annotation-queries'],
  };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, renderRuleFile(settings, options, '`npm run rules -- --out …`'));
  process.stdout.write(`wrote ${values.out}\n`);
  process.exit(0);
}

let stale = 0;
for (const file of readShippedRuleFiles()) {
  const name = relative(process.cwd(), file.path);
  if (values.check) {
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
