/**
 * A rehearsal of `docker compose up` without Docker. The generator runs as its compose service does (the command
 * is read from docker-compose.yaml, only hosts, ports and paths are local), a real Prometheus runs the compose
 * Collector's mesh scrape job and remote-writes to a real VictoriaMetrics (the metrics/mesh pipeline), and a
 * stand-in takes the generator's OTLP: it stores the app metrics as the Collector's prometheusremotewrite exporter
 * names them (tests/shared/prometheusExport.ts) and answers Tempo's search for the spans it received. The
 * compose health check (`generator/cli.ts ready`, run with the arguments docker-compose.yaml gives it) must turn
 * healthy on that live data, and Mesh Lens' overview must then show the demo's flags. Debian's vmalert and
 * Alertmanager run with the compose services' commands (mounted files and addresses made local) against that
 * store, which proxies its rules API to vmalert as the compose store does: the overview then reads the recorded
 * rates.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runOverview } from '../../src/boundary/runOverview';
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { computeTruth } from '../../generator/truth';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { buildRuleGroups } from '../../src/rules';
import { DEFAULT_SETTINGS } from '../../src/settings/types';
import { defaultSettingsFor } from '../../scripts/lib/ruleFiles';
import { DEMO_CONFIG, localScrapeJob, meshScrapeJobs } from '../../scripts/lib/collectorConfig';
import {
  ensureBinary,
  freePort,
  startPrometheus,
  startVictoriaMetrics,
  waitFor,
  type RunningStore,
} from '../../scripts/lib/stores';
import { attributeMap, exportedSamples, type OtlpMetricsBody, type OtlpTracesBody } from '../shared/prometheusExport';
import {
  commandFlag,
  generatorEntrypoint,
  generatorStage,
  hostPathOf,
  readCompose,
  readDockerfile,
  ROOT,
  type ComposeService,
} from './referenceStack';

const SCRAPE_SECONDS = 5;
const READY_WITHIN_MS = 150_000;

const composeServices = readCompose().services;
const generatorService = composeServices.generator;
const generatorArgs = generatorService.command ?? [];
/** The compose health check: `CMD`, the image's entrypoint, then the `ready` arguments. */
const healthcheck = generatorService.healthcheck?.test ?? [];

/** Compose's `--name=value` arguments with some values replaced. */
function withValues(args: string[], values: Record<string, string>): string[] {
  return args.map((arg) => {
    const match = /^--([a-z-]+)=/.exec(arg);
    return match && values[match[1]] !== undefined ? `--${match[1]}=${values[match[1]]}` : arg;
  });
}

/**
 * The generator image's ENTRYPOINT made local: the same `node generator.js`, bundled by the same npm script the
 * Dockerfile runs and copied where the Dockerfile copies it.
 */
function generatorCommand(): { command: string; args: string[] } {
  const dockerfile = readDockerfile();
  expect(dockerfile).toContain('RUN npm run build && npm run build:generator');
  expect(generatorStage(dockerfile)).toContain(
    'COPY --from=build /mesh-lens/dist-generator/generator.js ./generator.js'
  );
  expect(generatorEntrypoint(dockerfile)).toEqual(['node', '/mesh-lens/generator.js']);
  return { command: process.execPath, args: [join(ROOT, 'dist-generator/generator.js')] };
}

/**
 * A compose service's command run from Debian's binary: mounted files at their paths here, the given flags'
 * values replaced (addresses), the rest as docker-compose.yaml writes it.
 */
function localCommand(service: ComposeService, values: Record<string, string>, mounted: string[]): string[] {
  return (service.command ?? []).map((arg) => {
    const [name] = /^-{1,2}[^=]+/.exec(arg) ?? [''];
    const key = name.replace(/^-+/, '');
    if (values[key] !== undefined) {
      return `${name}=${values[key]}`;
    }
    return mounted.includes(key) ? `${name}=${hostPathOf(service, commandFlag(service, key)!)}` : arg;
  });
}

function spawnLogged(binary: string, args: string[], log: (chunk: string) => void) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString()));
  return child;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });
}

interface StoredSpan {
  service: string;
  kind: number;
  status?: number;
  attrs: Record<string, string>;
  traceId: string;
}

/** Each service with its coverage and flags, in one line, for rows and truth alike. */
function coverageAndFlags(services: Array<{ key: string; coverage: string; flags: Array<string | { id: string }> }>) {
  return services
    .map(
      (s) =>
        `${s.key} ${s.coverage} ${s.flags
          .map((f) => (typeof f === 'string' ? f : f.id))
          .sort()
          .join(',')}`
    )
    .sort();
}

describe('the compose stack, rehearsed without Docker', () => {
  const scenario = demoScenario();
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: DEFAULT_SETTINGS.thresholds });
  const spans: StoredSpan[] = [];
  const otlpErrors: string[] = [];
  let store: RunningStore;
  let scraper: RunningStore | undefined;
  let standIn: Server;
  let standInUrl = '';
  let generator: ReturnType<typeof spawn> | undefined;
  let generatorLog = '';
  let vmalert: ReturnType<typeof spawn> | undefined;
  let alertmanager: ReturnType<typeof spawn> | undefined;
  let alertingLog = '';
  let vmalertUrl = '';
  let workDir = '';
  let readyAfterMs: number | undefined;
  /** When the readiness check passed: from then on both layers have every service. */
  let readyAtMs: number | undefined;
  let lastCheck = '';

  beforeAll(async () => {
    // The store answers /api/v1/rules from vmalert, as the compose store does (-vmalert.proxyURL).
    const vmalertPort = await freePort();
    vmalertUrl = `http://127.0.0.1:${vmalertPort}`;
    const proxy = new URL(commandFlag(composeServices.victoriametrics, 'vmalert.proxyURL')!);
    store = await startVictoriaMetrics({ args: [`-vmalert.proxyURL=${proxy.protocol}//127.0.0.1:${vmalertPort}`] });
    workDir = mkdtempSync(join(tmpdir(), 'meshlens-rehearsal-'));

    // Alertmanager and vmalert as their compose services run them.
    const alertmanagerPort = await freePort();
    alertmanager = spawnLogged(
      ensureBinary('prometheus-alertmanager'),
      localCommand(
        composeServices.alertmanager,
        { 'storage.path': join(workDir, 'alertmanager'), 'web.listen-address': `127.0.0.1:${alertmanagerPort}` },
        ['config.file']
      ),
      (chunk) => (alertingLog += chunk)
    );
    await waitFor(`http://127.0.0.1:${alertmanagerPort}/-/ready`, 30_000, alertmanager);
    vmalert = spawnLogged(
      ensureBinary('vmalert'),
      localCommand(
        composeServices.vmalert,
        {
          'datasource.url': store.url,
          'remoteWrite.url': store.url,
          'remoteRead.url': store.url,
          'notifier.url': `http://127.0.0.1:${alertmanagerPort}`,
          httpListenAddr: `127.0.0.1:${vmalertPort}`,
        },
        ['rule']
      ),
      (chunk) => (alertingLog += chunk)
    );
    await waitFor(`${vmalertUrl}/health`, 30_000, vmalert);

    standIn = createServer(async (request, response) => {
      const url = new URL(request.url ?? '', 'http://stand-in');
      try {
        if (request.method === 'POST' && url.pathname === '/v1/metrics') {
          const body = JSON.parse(await readBody(request)) as OtlpMetricsBody;
          // An SDK that recorded nothing yet (an idle app) sends a resource without data points.
          const [first] = body.resourceMetrics.flatMap((rm) =>
            rm.scopeMetrics.flatMap((sm) => sm.metrics.flatMap((m) => m.histogram.dataPoints))
          );
          if (!first) {
            response.writeHead(200).end('{}');
            return;
          }
          const timeMs = Number(BigInt(first.timeUnixNano) / BigInt(1_000_000));
          const lines = [...exportedSamples(body)].map(([series, value]) => `${series} ${value} ${timeMs}`);
          const imported = await fetch(`${store.url}/api/v1/import/prometheus`, {
            method: 'POST',
            body: `${lines.join('\n')}\n`,
          });
          response.writeHead(imported.ok ? 200 : 500).end('{}');
          return;
        }
        if (request.method === 'POST' && url.pathname === '/v1/traces') {
          const body = JSON.parse(await readBody(request)) as OtlpTracesBody;
          for (const rs of body.resourceSpans) {
            const service = attributeMap(rs.resource.attributes)['service.name'];
            for (const span of rs.scopeSpans.flatMap((ss) => ss.spans)) {
              spans.push({
                service,
                kind: span.kind,
                status: span.status.code,
                attrs: attributeMap(span.attributes),
                traceId: span.traceId,
              });
            }
          }
          response.writeHead(200).end('{}');
          return;
        }
        if (url.pathname === '/api/search') {
          // Tempo's search, for the one TraceQL form the health check sends: a service's server spans whose gRPC
          // status (stable conventions) is one of the failing names.
          const query =
            /^\{ resource\.service\.name = "([^"]+)" && kind = server && span\.rpc\.response\.status_code =~ "([A-Z_|]+)" \}$/.exec(
              url.searchParams.get('q') ?? ''
            );
          const traces = query
            ? spans
                .filter((s) => s.service === query[1] && s.kind === 2)
                .filter((s) => new RegExp(`^(?:${query[2]})$`).test(s.attrs['rpc.response.status_code'] ?? ''))
                .map((s) => ({ traceID: s.traceId, rootServiceName: s.service }))
            : [];
          response.writeHead(query ? 200 : 400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ traces }));
          return;
        }
        response.writeHead(404).end();
      } catch (error) {
        otlpErrors.push(String(error));
        response.writeHead(400).end(String(error));
      }
    });
    const standInPort = await freePort();
    await new Promise<void>((resolve) => standIn.listen(standInPort, '127.0.0.1', resolve));
    standInUrl = `http://127.0.0.1:${standInPort}`;

    // The generator, built and run as its compose service runs it.
    execFileSync('npm', ['run', '-s', 'build:generator'], { cwd: ROOT, stdio: 'inherit' });
    const entrypoint = generatorCommand();
    const sdFile = join(workDir, 'proxies.json');
    const generatorPort = await freePort();
    generator = spawn(
      entrypoint.command,
      [
        ...entrypoint.args,
        ...withValues(generatorArgs, {
          bind: '127.0.0.1',
          advertise: '127.0.0.1',
          port: String(generatorPort),
          'sd-file': sdFile,
          otlp: standInUrl,
        }),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    generator.stdout?.on('data', (chunk: Buffer) => (generatorLog += chunk.toString()));
    generator.stderr?.on('data', (chunk: Buffer) => (generatorLog += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!existsSync(sdFile) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!existsSync(sdFile)) {
      throw new Error(`the generator wrote no targets file:\n${generatorLog}`);
    }

    // The metrics/mesh pipeline: the Collector's scrape job, remote-written to the store.
    const jobs = meshScrapeJobs(readFileSync(DEMO_CONFIG, 'utf8'), DEMO_CONFIG).map((job) =>
      localScrapeJob(job, sdFile, SCRAPE_SECONDS)
    );
    scraper = await startPrometheus({
      config: stringify({
        global: { scrape_interval: `${SCRAPE_SECONDS}s` },
        scrape_configs: jobs,
        remote_write: [{ url: `${store.url}/api/v1/write`, queue_config: { batch_send_deadline: '1s' } }],
      }),
    });

    // The compose health check, polled as Docker does until it passes.
    const started = Date.now();
    const check = withValues(healthcheck.slice(3), { url: store.url, tempo: standInUrl });
    while (Date.now() - started < READY_WITHIN_MS) {
      await fetch(`${store.url}/internal/force_flush`);
      // Asynchronously: the stand-in answering the check's Tempo search runs in this process.
      const passed = await new Promise<boolean>((resolve) =>
        execFile(entrypoint.command, [...entrypoint.args, ...check], { cwd: ROOT }, (error, stdout, stderr) => {
          lastCheck = `${stdout}${stderr}`.trim();
          resolve(!error);
        })
      );
      if (passed) {
        readyAfterMs = Date.now() - started;
        readyAtMs = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  });

  afterAll(async () => {
    generator?.kill();
    vmalert?.kill();
    alertmanager?.kill();
    await scraper?.stop();
    await store?.stop();
    await new Promise<void>((resolve) => (standIn ? standIn.close(() => resolve()) : resolve()));
    if (workDir) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('turns healthy once the proxies are scraped and the apps’ metrics and traces are in', () => {
    expect({ ready: readyAfterMs !== undefined, lastCheck }).toEqual({
      ready: true,
      lastCheck: 'ready: every service of demo is on the overview and its traces are in Tempo',
    });
    expect(otlpErrors).toEqual([]);
    expect(generatorLog).toContain('exporting app metrics and traces over OTLP');
    expect(generatorLog).not.toMatch(/failed/);
  });

  it('gives Mesh Lens the demo’s services and flags', async () => {
    // The window starts once both layers had every service: before, one layer's first samples would make its rate
    // look lower than the other's, and a busy machine stretches that start. Thirty seconds of both at least.
    const MIN_WINDOW_MS = 30_000;
    const waitMs = (readyAtMs ?? Date.now()) + MIN_WINDOW_MS - Date.now();
    if (waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    const fromSeconds = Math.max(nowSeconds - 60, Math.ceil((readyAtMs ?? 0) / 1000));
    const api = createPromHttpApi({ baseUrl: store.url });
    const settings = {
      ...DEFAULT_SETTINGS,
      metricsDatasourceUid: 'rehearsal',
      joinOverrides: scenarioOverrides(scenario),
      recordedSeries: 'raw' as const,
    };
    const { rows } = await runOverview(api, settings, { from: fromSeconds, to: nowSeconds });
    expect(coverageAndFlags(rows)).toEqual(coverageAndFlags(truth));
  });

  it('runs vmalert on the shipped rules, which the store lists for Grafana’s rules page', async () => {
    const body = (await (await fetch(`${store.url}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ name: string; rules: Array<{ name: string; lastError?: string }> }> };
    };
    const groups = buildRuleGroups(defaultSettingsFor('otel'));
    // vmalert lists the groups in its own order (by name), not the file's.
    const listed = (list: Array<{ name: string; rules: unknown[] }>) =>
      list.map((g) => `${g.name}: ${g.rules.length} rules`).sort();
    expect(listed(body.data.groups)).toEqual(listed(groups));
    const failing = body.data.groups.flatMap((g) => g.rules.filter((r) => r.lastError)).map((r) => r.name);
    expect(failing).toEqual([]);
    expect({ vmalert: vmalert?.exitCode, alertmanager: alertmanager?.exitCode, log: alertingLog.slice(-2000) }).toEqual(
      {
        vmalert: null,
        alertmanager: null,
        log: expect.any(String),
      }
    );
  });

  it('gives Mesh Lens’ overview the recorded rates once they cover the window, with the same flags', async () => {
    const api = createPromHttpApi({ baseUrl: store.url });
    // The last minute's evaluations of the rates group (every 30 s, each a rate over the minute before it) once
    // every minute they read began after the data was complete (the health check passed): an evaluation whose
    // minute reached back before that saw one layer's first export and not the other's (payments read as
    // disagreeing on a loaded machine).
    const RECORDED_WINDOW_MS = 60_000;
    const RULE_RATE_WINDOW_MS = 60_000;
    const settledAtMs = (readyAtMs ?? Date.now()) + RULE_RATE_WINDOW_MS + RECORDED_WINDOW_MS + 5_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, settledAtMs - Date.now())));
    await fetch(`${store.url}/internal/force_flush`);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const settings = {
      ...DEFAULT_SETTINGS,
      metricsDatasourceUid: 'rehearsal',
      joinOverrides: scenarioOverrides(scenario),
    };
    const { rows, source } = await runOverview(api, settings, {
      from: nowSeconds - RECORDED_WINDOW_MS / 1000,
      to: nowSeconds,
    });
    expect(source.path).toBe('recorded');
    expect(coverageAndFlags(rows)).toEqual(coverageAndFlags(truth));
  });

  it('sends the trap service’s failing spans with their gRPC status and error status', () => {
    const payments = spans.filter((s) => s.service === 'payments' && s.kind === 2);
    const failing = payments.filter((s) => s.attrs['rpc.response.status_code'] !== 'OK');
    expect(payments.length).toBeGreaterThan(0);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((s) => s.status === 2)).toBe(true);
  });
});
