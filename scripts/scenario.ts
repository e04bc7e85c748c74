/**
 * The scenario generator's command line.
 *
 *   tsx scripts/scenario.ts import   --url http://127.0.0.1:8428 [--scenario demo] [--schema otel|linkerd] [--semconv stable|legacy] [--minutes 60]
 *   tsx scripts/scenario.ts serve    [--scenario demo] [--port 9100] [--sd-file targets.json]
 *   tsx scripts/scenario.ts truth    [--scenario demo] [--semconv stable|legacy]
 *   tsx scripts/scenario.ts validate --scenario path/to/scenario.json
 *
 * --scenario takes `demo`, `random:<seed>:<services>` or a JSON file (docs/scenarios.md).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importChunks } from '../src/demo/generate';
import { ScenarioError } from '../src/demo/scenario';
import { computeTruth } from '../src/demo/truth';
import { DEFAULT_THRESHOLDS, type LabelSchema, type SemconvVersion } from '../src/settings/types';
import { startProxyServer } from './lib/proxyServer';
import { loadScenario } from './lib/scenarios';
import { importIntoVictoriaMetrics } from './lib/stores';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'demo' },
    url: { type: 'string' },
    schema: { type: 'string', default: 'otel' },
    semconv: { type: 'string', default: 'stable' },
    minutes: { type: 'string', default: '60' },
    port: { type: 'string', default: '9100' },
    'sd-file': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main() {
  const command = positionals[0];
  const scenario = loadScenario(values.scenario!);
  const schema = values.schema as LabelSchema;
  const semconv = values.semconv as SemconvVersion;
  if (schema !== 'otel' && schema !== 'linkerd') {
    fail(`--schema must be otel or linkerd, got ${schema}`);
  }
  if (semconv !== 'stable' && semconv !== 'legacy') {
    fail(`--semconv must be stable or legacy, got ${semconv}`);
  }
  switch (command) {
    case 'import': {
      if (!values.url) {
        fail('import needs --url of a VictoriaMetrics instance');
      }
      const minutes = Number(values.minutes);
      const endMs = Math.floor(Date.now() / 1000) * 1000;
      const lines = await importIntoVictoriaMetrics(
        values.url,
        importChunks(scenario, { schema, semconv, startMs: endMs - minutes * 60_000, endMs })
      );
      process.stdout.write(
        `imported ${lines} samples of scenario ${scenario.name} (${minutes} min, ${schema} schema, ${semconv} semconv)\n`
      );
      break;
    }
    case 'serve': {
      const proxies = await startProxyServer(scenario, semconv, Number(values.port));
      if (values['sd-file']) {
        writeFileSync(values['sd-file'], JSON.stringify(proxies.fileSd(), null, 2));
      }
      process.stdout.write(
        `serving ${proxies.endpoints.length} proxy endpoints on http://127.0.0.1:${proxies.port}/proxies/<namespace>/<pod>/metrics\n`
      );
      break;
    }
    case 'truth':
      process.stdout.write(
        `${JSON.stringify(computeTruth(scenario, { semconv, thresholds: DEFAULT_THRESHOLDS }), null, 2)}\n`
      );
      break;
    case 'validate':
      process.stdout.write(`${scenario.name}: ${scenario.services.length} services, valid\n`);
      break;
    default:
      fail('usage: scenario.ts import|serve|truth|validate [options] (see the header of scripts/scenario.ts)');
  }
}

main().catch((error: unknown) => {
  fail(error instanceof ScenarioError || error instanceof Error ? error.message : String(error));
});
