/**
 * The scenario generator's command line.
 *
 *   tsx generator/cli.ts import   --url http://127.0.0.1:8428 [--scenario demo] [--schema otel|linkerd] [--semconv stable|legacy] [--minutes 60]
 *   tsx generator/cli.ts serve    [--scenario demo] [--port 9100] [--sd-file targets.json] [--minutes 60]
 *                                    [--bind 127.0.0.1] [--advertise 127.0.0.1] [--otlp http://collector:4318]
 *   tsx generator/cli.ts ready    --url http://victoriametrics:8428 --tempo http://tempo:3200 [--scenario demo]
 *   tsx generator/cli.ts truth    [--scenario demo] [--semconv stable|legacy] [--minutes 60]
 *   tsx generator/cli.ts validate --scenario path/to/scenario.json
 *
 * --scenario takes `demo`, `demo-incident`, `random[-incident]:<seed>:<services>` or a JSON file (docs/scenarios.md).
 *
 * `serve` is the reference stack's generator: Linkerd-format proxies for the Collector to scrape (listed in the
 * --sd-file for its file_sd discovery), the truth at /truth, and with --otlp the apps' metrics and traces
 * pushed to the Collector every scrape interval; a scenario's changes (docs/scenarios.md) happen as if its range
 * ended --minutes after the start, and what the last change made holds from then on. `ready` exits 0 once Mesh Lens can show the whole scenario
 * from the store and Tempo answers the trap's trace link (the stack's health check).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_THRESHOLDS, type LabelSchema, type SemconvVersion } from '../src/settings/types';
import { importIntoVictoriaMetrics } from '../scripts/lib/stores';
import { importChunks } from './generate';
import { ScenarioError } from './scenario';
import { computeTruth } from './truth';
import { flagOnsets } from './timelineTruth';
import { startOtlpEmitter } from './serve/otlpEmitter';
import { startProxyServer } from './serve/proxyServer';
import { stackReadiness } from './serve/stackReadiness';
import { loadScenario } from './loadScenario';

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
    bind: { type: 'string', default: '127.0.0.1' },
    advertise: { type: 'string', default: '127.0.0.1' },
    otlp: { type: 'string' },
    'traces-per-service': { type: 'string', default: '20' },
    tempo: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function minutesOption(): number {
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) {
    fail(`--minutes must be a positive number, got ${values.minutes}`);
  }
  return minutes;
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
      const minutes = minutesOption();
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
      const tracesPerService = Number(values['traces-per-service']);
      if (!Number.isInteger(tracesPerService) || tracesPerService < 0) {
        fail(`--traces-per-service must be a whole number, got ${values['traces-per-service']}`);
      }
      const startedAtMs = Date.now();
      const endMs = startedAtMs + minutesOption() * 60_000;
      const truth = computeTruth(scenario, { semconv, thresholds: DEFAULT_THRESHOLDS });
      const proxies = await startProxyServer(scenario, semconv, {
        port: Number(values.port),
        bindHost: values.bind,
        advertisedHost: values.advertise,
        startedAtMs,
        endMs,
        truth,
      });
      if (values['sd-file']) {
        // Written whole, then renamed: file_sd watches the file and must never read half of it.
        const sdFile = values['sd-file'];
        writeFileSync(`${sdFile}.tmp`, JSON.stringify(proxies.fileSd(), null, 2));
        renameSync(`${sdFile}.tmp`, sdFile);
      }
      const base = `http://${values.advertise}:${proxies.port}`;
      process.stdout.write(
        `scenario ${scenario.name}: ${proxies.endpoints.length} proxy endpoints at ${base}/proxies/<namespace>/<pod>/metrics, truth at ${base}/truth\n`
      );
      if (values.otlp) {
        startOtlpEmitter({
          scenario,
          semconv,
          endpoint: values.otlp.replace(/\/$/, ''),
          startedAtMs,
          endMs,
          intervalMs: scenario.scrapeIntervalSeconds * 1000,
          tracesPerService,
          log: (message) => process.stdout.write(`${message}\n`),
        });
        process.stdout.write(`exporting app metrics and traces over OTLP to ${values.otlp}\n`);
      }
      break;
    }
    case 'ready': {
      if (!values.url || !values.tempo) {
        fail('ready needs --url of the metrics store and --tempo of Tempo');
      }
      const problems = await stackReadiness({ scenario, semconv, storeUrl: values.url, tempoUrl: values.tempo });
      if (problems.length > 0) {
        fail(`not ready: ${problems.join('; ')}`);
      }
      process.stdout.write(`ready: every service of ${scenario.name} is on the overview and its traces are in Tempo\n`);
      break;
    }
    case 'truth': {
      const options = { semconv, thresholds: DEFAULT_THRESHOLDS };
      if (!scenario.changes) {
        process.stdout.write(`${JSON.stringify(computeTruth(scenario, options), null, 2)}\n`);
        break;
      }
      // A scenario that changes has a truth per window: the last --minutes up to now, and since when each flag holds.
      const endMs = Math.floor(Date.now() / 1000) * 1000;
      const range = { startMs: endMs - minutesOption() * 60_000, endMs };
      const services = computeTruth(scenario, {
        ...options,
        window: { rangeEndMs: endMs, fromMs: range.startMs, toMs: endMs },
      });
      const onsets = Object.fromEntries(flagOnsets(scenario, options, range));
      process.stdout.write(`${JSON.stringify({ range, services, onsets }, null, 2)}\n`);
      break;
    }
    case 'validate':
      process.stdout.write(`${scenario.name}: ${scenario.services.length} services, valid\n`);
      break;
    default:
      fail('usage: scenario.ts import|serve|ready|truth|validate [options] (see the header of generator/cli.ts)');
  }
}

main().catch((error: unknown) => {
  fail(error instanceof ScenarioError || error instanceof Error ? error.message : String(error));
});
