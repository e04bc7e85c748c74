/**
 * The article's mesh pipeline end to end, minus Kubernetes: the `prometheus/mesh` receiver's scrape config of
 * the compose stack's Collector (provisioning/collector/otel-collector.demo.yaml, generated from the cluster's
 * otel-collector.yaml with only discovery swapped; collectorConfig.test.ts keeps it current), run by a real
 * Prometheus against the generator's Linkerd-format proxy endpoints, then the overview's real queries against
 * what was scraped. The file_sd entries carry the `__meta_kubernetes_*` labels pod discovery would give, so the
 * relabel rules run exactly as written; only the targets file's path and the scrape interval are the test's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runOverview } from '../../src/boundary/runOverview';
import type { ServiceRow } from '../../src/boundary/types';
import { importChunks } from '../../generator/generate';
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { targetLabels } from '../../generator/worlds';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { DEMO_CONFIG, localScrapeJob, meshScrapeJobs } from '../../scripts/lib/collectorConfig';
import { startProxyServer, type ProxyServer } from '../../generator/serve/proxyServer';
import { startPrometheus, type RunningStore } from '../../scripts/lib/stores';
import { KEPT_MESH_FAMILIES } from '../shared/pipelineFamilies';
import { localVizJob } from './vizScrape';

/** Families every generated proxy also exposes and the pipeline must drop. */
const DROPPED_FAMILIES = ['process_cpu_seconds_total', 'control_response_total'];

/**
 * Series Prometheus synthesises per target (target health, scrape cost). They are not proxy families and
 * metric_relabel_configs never sees them; the Collector's receiver emits the same ones.
 */
const SCRAPE_HEALTH = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);

const WORKLOAD_LABELS = ['k8s_deployment_name', 'k8s_statefulset_name', 'k8s_daemonset_name'];
const SCRAPE_SECONDS = 1;
const WINDOW_SECONDS = 15;
/** Time given to the scrapes before the window is read: the window plus margin for the first scrapes. */
const WAIT_MS = 25_000;

function prometheusConfig(sdFile: string): string {
  const jobs = meshScrapeJobs(readFileSync(DEMO_CONFIG, 'utf8'), DEMO_CONFIG).map((job) =>
    localScrapeJob(job, sdFile, SCRAPE_SECONDS)
  );
  return stringify({ global: { scrape_interval: `${SCRAPE_SECONDS}s` }, scrape_configs: jobs });
}

interface SeriesResponse {
  status: string;
  data: Array<Record<string, string>>;
}

describe('the Collector mesh pipeline, scraped by a real Prometheus from Linkerd-format proxies', () => {
  const scenario = demoScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: 'otel',
    semconv: 'stable',
    joinOverrides: scenarioOverrides(scenario),
  };
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
  const meshed = truth.filter((t): t is ServiceTruth & { mesh: NonNullable<ServiceTruth['mesh']> } => Boolean(t.mesh));
  let proxies: ProxyServer | undefined;
  let prometheus: RunningStore | undefined;
  let sdDir: string | undefined;
  let windowEnd = 0;

  beforeAll(async () => {
    // Counters started two minutes ago, as on proxies that have been running for a while.
    proxies = await startProxyServer(scenario, 'stable', { startedAtMs: Date.now() - 120_000 });
    sdDir = mkdtempSync(join(tmpdir(), 'meshlens-sd-'));
    const sdFile = join(sdDir, 'linkerd-proxies.json');
    writeFileSync(sdFile, JSON.stringify(proxies.fileSd()));
    const config = prometheusConfig(sdFile);
    prometheus = await startPrometheus({ config });
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    // A whole second a little in the past, so every target's latest scrape is in.
    windowEnd = Math.floor(Date.now() / 1000) - 2;
  });

  afterAll(async () => {
    await prometheus?.stop();
    await proxies?.close();
    if (sdDir) {
      rmSync(sdDir, { recursive: true, force: true });
    }
  });

  it('the proxies expose the families the pipeline must drop (so the filter is really tested)', async () => {
    const [first] = proxies!.fileSd();
    const body = await (await fetch(`http://127.0.0.1:${proxies!.port}${first.labels.__metrics_path__}`)).text();
    for (const family of [...DROPPED_FAMILIES, 'request_total', 'response_latency_ms_bucket']) {
      expect(body).toMatch(new RegExp(`^${family}[{ ]`, 'm'));
    }
  });

  it('stores exactly the kept families, each series with layer="mesh", a namespace, a pod and one workload', async () => {
    const params = new URLSearchParams({
      'match[]': '{job="linkerd-proxy"}',
      start: String(windowEnd - 60),
      end: String(windowEnd),
    });
    const response = await fetch(`${prometheus!.url}/api/v1/series?${params}`);
    const { data: series } = (await response.json()) as SeriesResponse;
    const proxySeries = series.filter((labels) => !SCRAPE_HEALTH.has(labels.__name__));
    expect([...new Set(proxySeries.map((labels) => labels.__name__))].sort()).toEqual([...KEPT_MESH_FAMILIES].sort());
    // The store import writes the same mesh families the scrape keeps.
    const imported = new Set<string>();
    for (const chunk of importChunks(scenario, {
      schema: 'otel',
      semconv: 'stable',
      startMs: 0,
      endMs: 3_600_000,
      fromMs: 3_600_000,
    })) {
      for (const line of chunk.split('\n').filter((l) => l.includes('layer="mesh"'))) {
        imported.add(line.slice(0, line.indexOf('{')));
      }
    }
    expect([...imported].sort()).toEqual([...KEPT_MESH_FAMILIES].sort());

    const problems: string[] = [];
    for (const labels of proxySeries) {
      const workloads = WORKLOAD_LABELS.filter((name) => labels[name]);
      if (labels.layer !== 'mesh' || !labels.k8s_namespace_name || !labels.k8s_pod_name || workloads.length !== 1) {
        problems.push(JSON.stringify(labels));
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);

    // The workloads found are the scenario's meshed services, with the kind each one declared.
    const found = new Set(
      proxySeries.map((l) => `${l.k8s_namespace_name}/${WORKLOAD_LABELS.map((n) => l[n] ?? '').join('|')}`)
    );
    const expected = new Set(
      scenario.services
        .filter((s) => s.layers.includes('mesh'))
        .map(
          (s) => `${s.namespace}/${WORKLOAD_LABELS.map((n) => (n === `k8s_${s.kind}_name` ? s.name : '')).join('|')}`
        )
    );
    expect([...found].sort()).toEqual([...expected].sort());
  });

  it('labels each pod’s series exactly as the store import does (apart from job and instance)', async () => {
    const params = new URLSearchParams({
      'match[]': 'request_total',
      start: String(windowEnd - 60),
      end: String(windowEnd),
    });
    const { data: series } = (await (
      await fetch(`${prometheus!.url}/api/v1/series?${params}`)
    ).json()) as SeriesResponse;
    const byPod = new Map(proxies!.endpoints.map((e) => [e.target.pod, e.target]));
    const mismatches: string[] = [];
    for (const labels of series) {
      const target = byPod.get(labels.k8s_pod_name);
      const { job, instance, ...imported } = targetLabels(target!, 'otel');
      const scraped = Object.fromEntries(Object.keys(imported).map((name) => [name, labels[name]]));
      if (!target || JSON.stringify(scraped) !== JSON.stringify(imported) || !job || !instance) {
        mismatches.push(`${labels.k8s_pod_name}: ${JSON.stringify(scraped)} vs ${JSON.stringify(imported)}`);
      }
    }
    expect(series.length).toBeGreaterThan(0);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('gives every meshed service the truth’s mesh rps, success rate and gRPC trap share', async () => {
    const api = createPromHttpApi({ baseUrl: prometheus!.url });
    const { rows } = await runOverview(api, settings, { from: windowEnd - WINDOW_SECONDS, to: windowEnd });
    // Only the mesh pipeline ran: every row is mesh-only, and every meshed service is there.
    expect(rows.map((r) => r.key).sort()).toEqual(meshed.map((t) => t.key).sort());
    expect(rows.every((r) => r.coverage === 'mesh-only' && r.app === undefined)).toBe(true);

    const { failures, totalError } = compareMeshToTruth(rows, meshed, proxies!);
    expect(failures).toEqual([]);
    expect(totalError).toBeLessThan(0.005);
  });
});

describe('linkerd-viz’s own Prometheus, scraping Linkerd-format proxies with its chart’s scrape job', () => {
  const scenario = demoScenario();
  const settings: AppSettings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'test',
    labelSchema: 'linkerd',
    meshSelector: DEFAULT_MESH_SELECTORS.linkerd,
    semconv: 'stable',
    joinOverrides: scenarioOverrides(scenario),
  };
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
  const meshed = truth.filter((t): t is MeshedTruth => Boolean(t.mesh));
  let proxies: ProxyServer | undefined;
  let prometheus: RunningStore | undefined;
  let sdDir: string | undefined;
  let windowEnd = 0;

  beforeAll(async () => {
    proxies = await startProxyServer(scenario, 'stable', { startedAtMs: Date.now() - 86_400_000, world: 'linkerd' });
    sdDir = mkdtempSync(join(tmpdir(), 'meshlens-viz-sd-'));
    const sdFile = join(sdDir, 'linkerd-proxies.json');
    writeFileSync(sdFile, JSON.stringify(proxies.fileSd()));
    const config = stringify({
      global: { scrape_interval: `${SCRAPE_SECONDS}s` },
      scrape_configs: [localVizJob(sdFile, SCRAPE_SECONDS)],
    });
    prometheus = await startPrometheus({ config });
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    windowEnd = Math.floor(Date.now() / 1000) - 2;
  });

  afterAll(async () => {
    await prometheus?.stop();
    await proxies?.close();
    if (sdDir) {
      rmSync(sdDir, { recursive: true, force: true });
    }
  });

  it('stores every family the proxies serve, with no layer label', async () => {
    const series = await seriesOf(prometheus!.url, '{job="linkerd-proxy"}', windowEnd);
    const families = new Set(series.filter((l) => !SCRAPE_HEALTH.has(l.__name__)).map((l) => l.__name__));
    for (const family of [...KEPT_MESH_FAMILIES, ...DROPPED_FAMILIES, 'outbound_http_route_request_statuses_total']) {
      expect([family, families.has(family)]).toEqual([family, true]);
    }
    expect(series.some((l) => 'layer' in l)).toBe(false);
  });

  it('labels each pod’s series exactly as the generator’s linkerd-viz world does (apart from instance)', async () => {
    const series = await seriesOf(prometheus!.url, 'request_total', windowEnd);
    const byPod = new Map(proxies!.endpoints.map((e) => [e.target.pod, e.target]));
    const mismatches: string[] = [];
    for (const labels of series) {
      const target = byPod.get(labels.pod);
      const { instance, ...imported } = target ? targetLabels(target, 'linkerd') : { instance: '' };
      const scraped = Object.fromEntries(Object.keys(imported).map((name) => [name, labels[name]]));
      if (!target || JSON.stringify(scraped) !== JSON.stringify(imported) || !instance) {
        mismatches.push(`${labels.pod}: ${JSON.stringify(scraped)} vs ${JSON.stringify(imported)}`);
      }
      // Nothing the relabelling should have removed (`__tmp_*`, `__meta_*`) is left.
      const leftovers = Object.keys(labels).filter((name) => name.startsWith('__tmp_') || name.startsWith('__meta_'));
      if (leftovers.length > 0) {
        mismatches.push(`${labels.pod}: leftover labels ${leftovers.join(', ')}`);
      }
    }
    expect(series.length).toBeGreaterThan(0);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('gives every meshed service the truth’s mesh figures, read without any layer label', async () => {
    const api = createPromHttpApi({ baseUrl: prometheus!.url });
    const { rows } = await runOverview(api, settings, { from: windowEnd - WINDOW_SECONDS, to: windowEnd });
    expect(rows.map((r) => r.key).sort()).toEqual(meshed.map((t) => t.key).sort());
    const { failures, totalError } = compareMeshToTruth(rows, meshed, proxies!);
    expect(failures).toEqual([]);
    expect(totalError).toBeLessThan(0.005);
  });
});

/** The series a store has for `match` over the minute before `end`. */
async function seriesOf(url: string, match: string, end: number): Promise<Array<Record<string, string>>> {
  const params = new URLSearchParams({ 'match[]': match, start: String(end - 60), end: String(end) });
  const response = await fetch(`${url}/api/v1/series?${params}`);
  return ((await response.json()) as SeriesResponse).data;
}

type MeshedTruth = ServiceTruth & { mesh: NonNullable<ServiceTruth['mesh']> };

/**
 * The overview's mesh figures against the truth, within what whole-request counters allow.
 *
 * Tolerance. The proxies' counters count whole requests, so each inbound response_total series gains
 * within one request of its true increase over the window, and rate() divides that by the span its
 * samples cover (at least WINDOW_SECONDS − one scrape interval). For a service with N such series:
 *   |rps error| ≤ N / (W − 1 s), and a share A/T (success, trap) is off by at most N / T requests.
 * Scrape timing adds a little: the value is computed a few milliseconds after the timestamp Prometheus
 * gives it, and that delay varies between the first and last scrape of the window: 0.5 % of rps.
 * With the demo's rates these bounds are 0.5–2.5 % for rps. A systematic error would show in the total
 * over all services, where the per-series rounding errors cancel: that must be within 0.5 %.
 */
function compareMeshToTruth(
  rows: ServiceRow[],
  meshed: MeshedTruth[],
  proxies: ProxyServer
): { failures: string[]; totalError: number } {
  const span = WINDOW_SECONDS - SCRAPE_SECONDS;
  const failures: string[] = [];
  let measuredTotal = 0;
  let truthTotal = 0;
  for (const t of meshed) {
    const row = rows.find((r) => r.key === t.key) as ServiceRow;
    const n = inboundResponseSeries(proxies, t.namespace, t.service);
    const measured = row.mesh!;
    measuredTotal += measured.rps;
    truthTotal += t.mesh.rps;
    const rpsTolerance = n / span + 0.005 * t.mesh.rps;
    if (Math.abs(measured.rps - t.mesh.rps) > rpsTolerance) {
      failures.push(`${t.key} rps ${measured.rps} vs ${t.mesh.rps} (±${rpsTolerance.toFixed(3)})`);
    }
    if (t.mesh.rps === 0) {
      // An idle service: 0 rps and no shares, never 0 % or 100 %.
      if (measured.successRate !== undefined || measured.grpcTrapShare !== undefined) {
        failures.push(`${t.key} idle but success ${measured.successRate}, trap ${measured.grpcTrapShare}`);
      }
      continue;
    }
    const shareTolerance = n / (t.mesh.rps * span);
    const shares: Array<[string, number | undefined, number | undefined]> = [
      ['success', measured.successRate, t.mesh.successRate],
      ['trap share', measured.grpcTrapShare, t.mesh.grpcTrapShare],
    ];
    for (const [what, value, expected] of shares) {
      if (value === undefined || expected === undefined || Math.abs(value - expected) > shareTolerance) {
        failures.push(`${t.key} ${what} ${value} vs ${expected} (±${shareTolerance.toFixed(4)})`);
      }
    }
  }
  return { failures, totalError: Math.abs(measuredTotal - truthTotal) / truthTotal };
}

/** Inbound response_total series of a workload across its pods: each rounds to whole requests on its own. */
function inboundResponseSeries(proxies: ProxyServer, namespace: string, workload: string): number {
  return proxies.endpoints
    .filter((e) => e.target.namespace === namespace && e.target.workload === workload)
    .flatMap((e) => e.series)
    .filter((s) => s.name === 'response_total' && s.labels.direction === 'inbound' && s.labels.target_port !== '4191')
    .length;
}
