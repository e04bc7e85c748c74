/**
 * The rules end to end on a real Prometheus: it scrapes the generator's Linkerd-format proxies with the Collector's
 * scrape job (file_sd, as tests/integration/scrape.test.ts does) and the apps' OTel series from a small endpoint,
 * evaluates the rules generated for the demo's settings (its join override included) and sends what fires to a real
 * Alertmanager, whose webhook — a Node server standing in for a pager — must receive exactly the alerts the truth
 * calls for. Only timing differs from the shipped files: evaluation every 2 s and `for: 6s`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { storedSeries } from '../../generator/generate';
import { sampleLine } from '../../generator/exposition';
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { seriesExists, seriesValue } from '../../generator/series';
import { startProxyServer, type ProxyServer } from '../../generator/serve/proxyServer';
import { computeTruth } from '../../generator/truth';
import { DEMO_CONFIG, localScrapeJob, meshScrapeJobs } from '../../scripts/lib/collectorConfig';
import { renderRuleFile } from '../../src/rules';
import {
  startAlertmanager,
  startWebhookReceiver,
  type RunningAlertmanager,
  type WebhookAlert,
  type WebhookReceiver,
} from '../../scripts/lib/ruleTools';
import { startPrometheus, type RunningStore } from '../../scripts/lib/stores';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { alertKey, expectedAlerts } from './ruleExpectations';

const SCRAPE_SECONDS = 1;
/**
 * Scraping before the rules are loaded: the first recorded 1m rates then already span 20 scrapes, so whole-request
 * counting cannot make a healthy service look broken for the few evaluations `for: 6s` needs.
 */
const WARMUP_MS = 20_000;
/** After the last expected alert arrived: time for any unexpected one to arrive too. */
const SETTLE_MS = 8_000;

/** The apps' series as an OTel pipeline stores them, served in the text format at their current values. */
async function startAppEndpoint(scenario: ReturnType<typeof demoScenario>, startedAtMs: number) {
  const series = storedSeries(scenario, { schema: 'otel', semconv: 'stable' }).filter(
    (s) => s.def.target.layer === 'app'
  );
  const server: Server = createServer((_request, response) => {
    const now = Date.now();
    const lines = series
      .filter((s) => seriesExists(s.existence, now, startedAtMs))
      .map(({ metric: { __name__: name, ...labels }, def }) =>
        sampleLine(name, labels, seriesValue(def, now, startedAtMs))
      );
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Prometheus evaluates the rules over the demo’s proxies and apps; Alertmanager delivers the truth’s alerts', () => {
  const scenario = demoScenario();
  const settings: AppSettings = { ...DEFAULT_SETTINGS, joinOverrides: scenarioOverrides(scenario) };
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
  const expected = expectedAlerts(truth, { thresholds: settings.thresholds, overrides: true });
  let dir: string | undefined;
  let proxies: ProxyServer | undefined;
  let apps: { port: number; close(): Promise<void> } | undefined;
  let webhook: WebhookReceiver | undefined;
  let alertmanager: RunningAlertmanager | undefined;
  let prometheus: RunningStore | undefined;
  const firing = () => (webhook?.alerts ?? []).filter((a) => a.status === 'firing');
  const keys = (alerts: WebhookAlert[]) =>
    [...new Set(alerts.map((a) => alertKey(a.labels, 'k8s_namespace_name')))].sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshlens-rules-prom-'));
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertmanager(webhook.url);
    // Counters started an hour ago, as on proxies and apps that have been running for a while.
    const startedAtMs = Date.now() - 3_600_000;
    proxies = await startProxyServer(scenario, 'stable', { startedAtMs });
    apps = await startAppEndpoint(scenario, startedAtMs);
    const sdFile = join(dir, 'linkerd-proxies.json');
    writeFileSync(sdFile, JSON.stringify(proxies.fileSd()));
    const rulesFile = join(dir, 'meshlens-rules.yaml');
    writeFileSync(rulesFile, 'groups: []\n');
    const meshJobs = meshScrapeJobs(readFileSync(DEMO_CONFIG, 'utf8'), DEMO_CONFIG).map((job) =>
      localScrapeJob(job, sdFile, SCRAPE_SECONDS)
    );
    const config = {
      global: { scrape_interval: `${SCRAPE_SECONDS}s`, evaluation_interval: '2s' },
      rule_files: [rulesFile],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanager.url.replace('http://', '')] }] }] },
      scrape_configs: [
        ...meshJobs,
        // The apps' series keep their own job (service.namespace/service.name) and instance.
        {
          job_name: 'otel-apps',
          honor_labels: true,
          scrape_interval: `${SCRAPE_SECONDS}s`,
          static_configs: [{ targets: [`127.0.0.1:${apps.port}`] }],
        },
      ],
    };
    prometheus = await startPrometheus({ config: stringify(config) });
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    writeFileSync(rulesFile, renderRuleFile(settings, { evaluationIntervalSeconds: 2, allForSeconds: 6 }));
    prometheus.process.kill('SIGHUP');
    const deadline = Date.now() + 15_000;
    for (;;) {
      const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
      if (body.data.groups.length === 2) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error('Prometheus did not load the rules after SIGHUP');
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await webhook.until(
      (alerts) => expected.every((k) => keys(alerts.filter((a) => a.status === 'firing')).includes(k)),
      60_000
    );
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  });

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.close();
    await apps?.close();
    await proxies?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the webhook receives exactly the truth’s alerts, the trap at HTTP 200 among them', () => {
    expect(expected).toEqual(
      expect.arrayContaining([
        'MeshLensGrpcTrap shop/payments view=callee',
        'MeshLensBoundaryLatency shop/inventory',
        'MeshLensLayerDisagreement shop/cart reason=success',
        'MeshLensLayerDisagreement shop/search reason=request-rate',
        'MeshLensCoverage shop/recommendations coverage=mesh-only',
        'MeshLensCoverage notify/sms coverage=mesh-only',
        'MeshLensCoverage notify/email coverage=app-only',
      ])
    );
    expect(keys(firing())).toEqual(expected);
  });

  it('each alert names its service in the label schema and says both figures behind it, with links', () => {
    const one = (alertname: string, workload: string) =>
      firing().find((a) => a.labels.alertname === alertname && a.labels.workload === workload) as WebhookAlert;
    const trap = one('MeshLensGrpcTrap', 'payments');
    expect(trap.labels).toMatchObject({
      k8s_namespace_name: 'shop',
      k8s_deployment_name: 'payments',
      severity: 'critical',
    });
    // 8 % fail behind HTTP 200 (within what whole requests over a few seconds of rates allow), and the HTTP view
    // shows none of it.
    const share = /^([\d.]+)% of the inbound responses of shop\/payments/.exec(trap.annotations.description);
    expect(Math.abs(Number(share?.[1]) - 8)).toBeLessThan(0.5);
    expect(trap.annotations.description).toContain('HTTP view: 0% HTTP 5xx at the mesh, no HTTP metric at the app');
    expect(trap.annotations.drilldown_url).toBe(
      'http://localhost:3000/a/meshlens-boundary-app/overview/service/shop/payments/grpc'
    );
    const panes = JSON.parse(new URL(trap.annotations.traces_url).searchParams.get('panes') ?? '');
    expect(panes.mesh.queries[0].query).toBe(
      '{ resource.service.name = "payments" && kind = server && span.rpc.response.status_code =~ ' +
        '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" }'
    );

    const latency = one('MeshLensBoundaryLatency', 'inventory');
    expect(latency.annotations.description).toMatch(
      /the mesh saw shop\/inventory answer in \d+\.\d ms on average, the app reports \d+\.\d ms: \d+\.\d ms outside the app/
    );
    // Its traces: callers waiting the limit longer than the app's p95, over a server span under it, both looked up.
    const slow = JSON.parse(new URL(latency.annotations.traces_url).searchParams.get('panes') ?? '');
    const [, under, over] =
      /^\{ resource\.service\.name = "inventory" && kind = server && duration < (\d+)ms \} < \{ kind = client && duration > (\d+)ms \}$/.exec(
        slow.mesh.queries[0].query
      ) ?? [];
    expect(Number(over) - Number(under)).toBeGreaterThanOrEqual(50);
    expect(Number(under)).toBeGreaterThan(0);
    const catalog = firing().filter((a) => a.labels.workload === 'catalog');
    expect(catalog).toEqual([]);
    const sms = one('MeshLensCoverage', 'sms');
    expect(sms.labels).toMatchObject({
      k8s_namespace_name: 'notify',
      k8s_deployment_name: 'sms',
      coverage: 'mesh-only',
    });
  });
});
