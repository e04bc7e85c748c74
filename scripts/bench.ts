/**
 * Query cost of the overview at scale, against a real VictoriaMetrics. Results and findings: docs/benchmarks.md.
 *
 *   npx tsx scripts/bench.ts [--services 1000,5000] [--reps 5] [--minutes 20] [--scrape 30] [--window 15]
 *                            [--per-service 50] [--seed 4242]
 *
 * For each size: generate a random scenario (one pod per service, 50 services per namespace), import it into a
 * fresh VictoriaMetrics (response cache off, so every repetition does the work), then measure side by side:
 *   (a) the core: runOverview's fixed set of queries;
 *   (b) the minimal hand-written PromQL an expert would write for the same per-service figures;
 *   (c) the ratio a/b, the product target being ≤ 1.1;
 *   (d) Linkerd's per-deployment dashboard style: the same figures, one set of queries per service, measured
 *       on the first services and extrapolated.
 * (a) and (b) are measured sequentially (sum of query times: the work the store does) and in parallel (wall
 * time: what a user waits for), in pairs with alternating order, repeated; medians are reported. The app p95
 * query is also measured in other forms, which show where its time goes. The core's and the hand-written
 * figures are cross-checked before anything is timed.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runOverview, type TimeWindow } from '../src/boundary/runOverview';
import type { Sample } from '../src/query/sample';
import type { ServiceRow } from '../src/boundary/types';
import { buildSeries, seriesValue } from '../generator/series';
import { stored, targetLabels } from '../generator/worlds';
import { randomScenario } from '../generator/scenarios';
import type { Scenario, ServiceSpec } from '../generator/scenario';
import type { PromApi } from '../src/query/promApi';
import { escapeLabelValue } from '../src/query/promql';
import { DEFAULT_SETTINGS, type AppSettings } from '../src/settings/types';
import { createPromHttpApi } from './lib/promHttpApi';
import { startVictoriaMetrics } from './lib/stores';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '1000,5000' },
    reps: { type: 'string', default: '5' },
    minutes: { type: 'string', default: '20' },
    scrape: { type: 'string', default: '30' },
    window: { type: 'string', default: '15' },
    'per-service': { type: 'string', default: '50' },
    seed: { type: 'string', default: '4242' },
  },
});

const SIZES = args.services!.split(',').map(Number);
const REPS = Number(args.reps);
const MINUTES = Number(args.minutes);
const SCRAPE_SECONDS = Number(args.scrape);
const WINDOW_SECONDS = Number(args.window) * 60;
const PER_SERVICE_SAMPLE = Number(args['per-service']);
const SEED = Number(args.seed);

const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'bench',
  labelSchema: 'otel',
  semconv: 'stable',
};

function log(message: string) {
  process.stdout.write(`${message}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------------------
// Import: the generator's series (buildSeries + the OTel-schema target labels, as importChunks writes them),
// sent in VictoriaMetrics' JSON line format, one line per series, which is ~10× smaller than the text format
// for these label-heavy series and keeps a 5000-service import to a couple of minutes.

interface Imported {
  series: number;
  samples: number;
  seconds: number;
}

async function importScenario(url: string, scenario: Scenario, startMs: number, endMs: number): Promise<Imported> {
  const started = Date.now();
  const timestamps: number[] = [];
  for (let t = startMs; t <= endMs; t += scenario.scrapeIntervalSeconds * 1000) {
    timestamps.push(t);
  }
  const timestampsJson = JSON.stringify(timestamps);
  const post = async (body: string) => {
    const response = await fetch(`${url}/api/v1/import`, { method: 'POST', body });
    if (!response.ok) {
      throw new Error(`import failed: HTTP ${response.status} ${await response.text()}`);
    }
  };
  let lines: string[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  let series = 0;
  for (const s of buildSeries(scenario, { semconv: 'stable', world: 'otel' })) {
    if (!stored(s.name, s.target, 'otel')) {
      continue;
    }
    const metric = { __name__: s.name, ...targetLabels(s.target, 'otel'), ...s.labels };
    const values = timestamps.map((t) => seriesValue(s, t, startMs));
    lines.push(`{"metric":${JSON.stringify(metric)},"values":[${values.join(',')}],"timestamps":${timestampsJson}}`);
    series++;
    if (lines.length >= 20_000) {
      await inFlight;
      inFlight = post(lines.join('\n'));
      lines = [];
    }
  }
  await inFlight;
  if (lines.length > 0) {
    await post(lines.join('\n'));
  }
  await fetch(`${url}/internal/force_flush`);
  return { series, samples: series * timestamps.length, seconds: (Date.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------------------
// The queries compared.

interface Query {
  name: string;
  expr: string;
}

const MESH_BY = 'k8s_namespace_name, k8s_deployment_name, k8s_statefulset_name, k8s_daemonset_name';
const APP_BY = 'service_name, service_namespace';
const MESH_IN = 'layer="mesh", direction="inbound"';
const HTTP = 'http_server_request_duration_seconds';
const RPC = 'rpc_server_call_duration_seconds';
const QUANTILES = [0.5, 0.95, 0.99];

/** The simplest PromQL an expert would write for the overview's per-service figures: one query per figure. */
function minimalQueries(window: string): Query[] {
  const meshResponses = `sum by (${MESH_BY}) (rate(response_total{${MESH_IN}}[${window}]))`;
  const appRequests = `sum by (${APP_BY}) (rate(${HTTP}_count[${window}])) or sum by (${APP_BY}) (rate(${RPC}_count[${window}]))`;
  return [
    { name: 'mesh rps', expr: meshResponses },
    {
      name: 'mesh success',
      expr: `sum by (${MESH_BY}) (rate(response_total{${MESH_IN}, classification="success"}[${window}])) / ${meshResponses}`,
    },
    ...QUANTILES.map((q) => ({
      name: `mesh p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (${MESH_BY}, le) (rate(response_latency_ms_bucket{${MESH_IN}}[${window}])))`,
    })),
    { name: 'app rps', expr: appRequests },
    {
      name: 'app success',
      expr:
        `(sum by (${APP_BY}) (rate(${HTTP}_count{http_response_status_code!~"5.."}[${window}])) ` +
        `or sum by (${APP_BY}) (rate(${RPC}_count{rpc_response_status_code="OK"}[${window}]))) / (${appRequests})`,
    },
    ...QUANTILES.map((q) => ({
      name: `app p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (${APP_BY}, le) (rate(${HTTP}_bucket[${window}])) or sum by (${APP_BY}, le) (rate(${RPC}_bucket[${window}])))`,
    })),
  ];
}

/** Linkerd's per-deployment dashboard, extended to the app layer: the same figures for one service. */
function perServiceQueries(service: ServiceSpec, window: string): Query[] {
  const mesh = `${MESH_IN}, k8s_namespace_name="${escapeLabelValue(service.namespace)}", k8s_${service.kind}_name="${escapeLabelValue(service.name)}"`;
  const app = `service_namespace="${escapeLabelValue(service.namespace)}", service_name="${escapeLabelValue(service.appServiceName ?? service.name)}"`;
  const responses = `sum(rate(response_total{${mesh}}[${window}]))`;
  const requests = `sum(rate({__name__=~"${HTTP}_count|${RPC}_count", ${app}}[${window}]))`;
  return [
    { name: 'mesh rps', expr: responses },
    {
      name: 'mesh success',
      expr: `sum(rate(response_total{${mesh}, classification="success"}[${window}])) / ${responses}`,
    },
    ...QUANTILES.map((q) => ({
      name: `mesh p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (le) (rate(response_latency_ms_bucket{${mesh}}[${window}])))`,
    })),
    { name: 'app rps', expr: requests },
    {
      name: 'app success',
      expr:
        `(sum(rate(${HTTP}_count{${app}, http_response_status_code!~"5.."}[${window}])) ` +
        `or sum(rate(${RPC}_count{${app}, rpc_response_status_code="OK"}[${window}]))) / ${requests}`,
    },
    ...QUANTILES.map((q) => ({
      name: `app p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (le) (rate({__name__=~"${HTTP}_bucket|${RPC}_bucket", ${app}}[${window}])))`,
    })),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Timing.

interface Timing {
  name: string;
  ms: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Runs the queries one after another: the sum of their times is the store's work for them. */
async function sequential(api: PromApi, queries: Query[], time: number): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const q of queries) {
    const { ms } = await timed(() => api.instant(q.expr, time));
    timings.push({ name: q.name, ms });
  }
  return timings;
}

/** Runs them all at once, as a dashboard does: the wall time is what a user waits for. */
async function parallel(api: PromApi, queries: Query[], time: number): Promise<number> {
  return (await timed(() => Promise.all(queries.map((q) => api.instant(q.expr, time))))).ms;
}

/** Waits until the store has finished digesting the import (background merges): under 5 % of a core for 3 s. */
async function waitForIdle(pid: number, maxSeconds = 180): Promise<number> {
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  };
  const started = Date.now();
  let quiet = 0;
  let last = cpuSeconds();
  while (quiet < 3 && Date.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuSeconds();
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return (Date.now() - started) / 1000;
}

/** A core query and the hand-written queries that give the same figures. */
interface Group {
  name: string;
  core: Query[];
  minimal: Query[];
}

function groups(core: Query[], minimal: Query[]): Group[] {
  const pick = (list: Query[], prefix: string) => list.filter((q) => q.name.startsWith(prefix));
  const find = (refId: string) => core.filter((q) => q.name === refId);
  return [
    {
      name: 'mesh responses (rps, success)',
      core: find('meshResponses'),
      minimal: [...pick(minimal, 'mesh rps'), ...pick(minimal, 'mesh success')],
    },
    { name: 'mesh latency (p50, p95, p99)', core: find('meshLatency'), minimal: pick(minimal, 'mesh p') },
    {
      name: 'app requests (rps, success)',
      core: find('appRequests'),
      minimal: [...pick(minimal, 'app rps'), ...pick(minimal, 'app success')],
    },
    { name: 'app latency (p50, p95, p99)', core: find('appLatency'), minimal: pick(minimal, 'app p') },
  ];
}

/**
 * Forms of the app p95 query, to show where the time goes: the core's own (taken from the query it sends),
 * the form it had before this benchmark (`rate(http) or rate(rpc)` on every raw bucket series, then sum),
 * summing each family before the `or`, and the hand-written query.
 */
function diagnosisVariants(coreAppLatency: string, window: string): Query[] {
  const p95 = /histogram_quantile\(0\.95, (.*?)\), "quantile", "0\.95"/.exec(coreAppLatency);
  if (!p95) {
    throw new Error(`the core's app latency query has no p95 branch this benchmark recognises:\n${coreAppLatency}`);
  }
  const by = `${APP_BY}, k8s_namespace_name, le`;
  const notMesh = 'layer!="mesh"';
  return [
    { name: 'core: one selector {__name__=~"http|rpc"}, layer!="mesh"', expr: `histogram_quantile(0.95, ${p95[1]})` },
    {
      name: 'one selector, without layer!="mesh"',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate({__name__=~"${HTTP}_bucket|${RPC}_bucket"}[${window}])))`,
    },
    {
      name: 'former core: rate(http) or rate(rpc), then sum',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate(${HTTP}_bucket{${notMesh}}[${window}]) or rate(${RPC}_bucket{${notMesh}}[${window}])))`,
    },
    {
      name: 'sum each family, then or',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate(${HTTP}_bucket{${notMesh}}[${window}])) or sum by (${by}) (rate(${RPC}_bucket{${notMesh}}[${window}])))`,
    },
    { name: 'hand-written app p95', expr: minimalQueries(window).find((q) => q.name === 'app p95')!.expr },
  ];
}

interface GroupResult {
  name: string;
  coreQueries: number;
  minimalQueries: number;
  core: number;
  minimal: number;
  ratio: number;
}

interface SizeResult {
  services: number;
  imported: Imported;
  idleSeconds: number;
  coreQueries: number;
  coreSeq: number;
  corePar: number;
  minimalQueries: number;
  minimalSeq: number;
  minimalPar: number;
  ratioSeq: number;
  ratioPar: number;
  perServiceMs: number;
  perServiceQueries: number;
  groups: GroupResult[];
  diagnosis: Array<{ name: string; ms: number }>;
  mismatches: string[];
}

/** The core's and the hand-written figures must agree, or the comparison is meaningless. */
async function crossCheck(api: PromApi, rows: ServiceRow[], window: string, time: number): Promise<string[]> {
  const byName = (name: string) => minimalQueries(window).find((q) => q.name === name)!.expr;
  const [meshRps, meshP95, appRps, appP95] = await Promise.all(
    ['mesh rps', 'mesh p95', 'app rps', 'app p95'].map((name) => api.instant(byName(name), time))
  );
  const meshKey = (l: Record<string, string>) =>
    `${l.k8s_namespace_name}/${l.k8s_deployment_name ?? l.k8s_statefulset_name ?? l.k8s_daemonset_name}`;
  const appKey = (l: Record<string, string>) => `${l.service_namespace}/${l.service_name}`;
  const index = (samples: Sample[], key: (l: Record<string, string>) => string) =>
    new Map(samples.map((s) => [key(s.labels), s.value]));
  const expected = {
    meshRps: index(meshRps, meshKey),
    meshP95: index(meshP95, meshKey),
    appRps: index(appRps, appKey),
    appP95: index(appP95, appKey),
  };
  // NaN (no traffic) on the hand-written side is no figure on the core's.
  const close = (a: number | undefined, b: number | undefined) =>
    (a === undefined && (b === undefined || Number.isNaN(b))) ||
    (a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-6 * Math.max(1, b));
  const mismatches: string[] = [];
  for (const row of rows) {
    const appKeyOfRow = `${row.namespace}/${row.appService ?? row.service}`;
    const pairs: Array<[string, number | undefined, number | undefined]> = [];
    if (row.mesh) {
      pairs.push(['mesh rps', row.mesh.rps, expected.meshRps.get(row.key)]);
      pairs.push(['mesh p95', row.mesh.latency.p95, expected.meshP95.get(row.key)]);
    }
    if (row.app) {
      pairs.push(['app rps', row.app.rps, expected.appRps.get(appKeyOfRow)]);
      // Stable conventions: the app histograms are in seconds, the core's figures in milliseconds.
      pairs.push(['app p95', row.app.latency.p95, (expected.appP95.get(appKeyOfRow) ?? NaN) * 1000]);
    }
    for (const [what, core, hand] of pairs) {
      if (!close(core, hand)) {
        mismatches.push(`${row.key} ${what}: core ${core}, hand-written ${hand}`);
      }
    }
  }
  const counts = `${rows.filter((r) => r.mesh).length}/${rows.filter((r) => r.app).length}`;
  if (counts !== `${meshRps.length}/${appRps.length}`) {
    mismatches.push(`meshed/instrumented services: core ${counts}, hand-written ${meshRps.length}/${appRps.length}`);
  }
  return mismatches;
}

const sumMs = (timings: Timing[]) => timings.reduce((sum, t) => sum + t.ms, 0);

async function benchSize(services: number): Promise<SizeResult> {
  const scenario = randomScenario({
    seed: SEED,
    services,
    pods: 1,
    perNamespace: 50,
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  });
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const startMs = endMs - MINUTES * 60_000;
  // Response cache off, so each repetition does the work; limits raised so the largest queries (hundreds of
  // thousands of bucket series) and ten queries in flight on two cores are measured rather than refused.
  const store = await startVictoriaMetrics({
    args: [
      '-search.disableCache',
      '-search.maxUniqueTimeseries=5000000',
      '-search.maxQueryDuration=300s',
      '-search.maxQueueDuration=300s',
    ],
  });
  try {
    log(`\n== ${services} services: importing ${MINUTES} min at ${SCRAPE_SECONDS} s into ${store.url} …`);
    const imported = await importScenario(store.url, scenario, startMs, endMs);
    const idleSeconds = await waitForIdle(store.process.pid!);
    log(
      `   ${imported.series} series, ${imported.samples} samples in ${imported.seconds.toFixed(1)} s; idle after ${idleSeconds.toFixed(0)} s`
    );
    const api = createPromHttpApi({ baseUrl: store.url, timeoutMs: 300_000 });
    const window: TimeWindow = { from: endMs / 1000 - WINDOW_SECONDS, to: endMs / 1000 };
    const promWindow = `${WINDOW_SECONDS}s`;
    const time = window.to;

    // The core's queries as runOverview builds them, and its rows for the cross-check (also a warm-up).
    const first = await runOverview(api, settings, window);
    const coreQueries: Query[] = first.queries.map((q) => ({ name: q.refId, expr: q.expr }));
    const minimal = minimalQueries(promWindow);
    const mismatches = await crossCheck(api, first.rows, promWindow, time);
    const variants = diagnosisVariants(coreQueries.find((q) => q.name === 'appLatency')!.expr, promWindow);
    await sequential(api, minimal, time);

    // Paired measurements: each core query next to its hand-written equivalents, order alternating, so load
    // from anything else on the machine hits both sides alike.
    const compared = groups(coreQueries, minimal);
    const perGroup = compared.map(() => ({ core: [] as number[], minimal: [] as number[] }));
    const seqCore: number[] = [];
    const seqMinimal: number[] = [];
    const parCore: number[] = [];
    const parMinimal: number[] = [];
    const diagnosis = variants.map(() => [] as number[]);
    for (let rep = 0; rep < REPS; rep++) {
      let repCore = 0;
      let repMinimal = 0;
      for (const [i, group] of compared.entries()) {
        const sides = (rep + i) % 2 === 0 ? (['core', 'minimal'] as const) : (['minimal', 'core'] as const);
        for (const side of sides) {
          const ms = sumMs(await sequential(api, group[side], time));
          perGroup[i][side].push(ms);
          if (side === 'core') {
            repCore += ms;
          } else {
            repMinimal += ms;
          }
        }
      }
      seqCore.push(repCore);
      seqMinimal.push(repMinimal);
      // In parallel: runOverview itself (its queries at once plus building the rows) against all ten at once.
      const runCore = async () => parCore.push((await timed(() => runOverview(api, settings, window))).ms);
      const runMinimal = async () => parMinimal.push(await parallel(api, minimal, time));
      for (const run of rep % 2 === 0 ? [runCore, runMinimal] : [runMinimal, runCore]) {
        await run();
      }
      for (const [i, variant] of variants.entries()) {
        diagnosis[i].push(sumMs(await sequential(api, [variant], time)));
      }
      log(
        `   rep ${rep + 1}/${REPS}: sequential core ${repCore.toFixed(0)} ms, hand-written ${repMinimal.toFixed(0)} ms ` +
          `(load average ${loadavg()[0].toFixed(1)})`
      );
    }

    // (d) one set of queries per service, for the first services, one after another.
    const sample = scenario.services.slice(0, PER_SERVICE_SAMPLE);
    const perServiceRuns: number[] = [];
    for (let rep = 0; rep < Math.min(REPS, 3); rep++) {
      let total = 0;
      for (const service of sample) {
        total += sumMs(await sequential(api, perServiceQueries(service, promWindow), time));
      }
      perServiceRuns.push(total / sample.length);
    }

    return {
      services,
      imported,
      idleSeconds,
      coreQueries: coreQueries.length,
      coreSeq: median(seqCore),
      corePar: median(parCore),
      minimalQueries: minimal.length,
      minimalSeq: median(seqMinimal),
      minimalPar: median(parMinimal),
      ratioSeq: median(seqCore.map((c, i) => c / seqMinimal[i])),
      ratioPar: median(parCore.map((c, i) => c / parMinimal[i])),
      perServiceMs: median(perServiceRuns),
      perServiceQueries: perServiceQueries(scenario.services[0], promWindow).length,
      groups: compared.map((g, i) => ({
        name: g.name,
        coreQueries: g.core.length,
        minimalQueries: g.minimal.length,
        core: median(perGroup[i].core),
        minimal: median(perGroup[i].minimal),
        ratio: median(perGroup[i].core.map((c, j) => c / perGroup[i].minimal[j])),
      })),
      diagnosis: variants.map((v, i) => ({ name: v.name, ms: median(diagnosis[i]) })),
      mismatches,
    };
  } catch (error) {
    const { exitCode, signalCode } = store.process;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`VictoriaMetrics stopped during the benchmark (exit code ${exitCode}, signal ${signalCode})`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    await store.stop();
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  log(`Mesh Lens overview benchmark, ${new Date().toISOString()}, ${machine}`);
  log(
    `seed ${SEED}, ${MINUTES} min of data at ${SCRAPE_SECONDS} s, window ${WINDOW_SECONDS / 60} min, ${REPS} repetitions (median)`
  );
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    results.push(await benchSize(size));
  }

  const ms = (v: number) => v.toFixed(0);
  log('\nSummary (ms, medians; sequential = sum of query times, parallel = wall time with all queries in flight;');
  log('ratios are medians of the per-repetition ratios)\n');
  log(
    table(
      [
        'services',
        'series',
        'core q',
        'core seq',
        'core par',
        'hand q',
        'hand seq',
        'hand par',
        'ratio seq',
        'ratio par',
        'per-svc q',
        'per-svc ms/svc',
        'per-svc total (est.)',
      ],
      results.map((r) => [
        String(r.services),
        String(r.imported.series),
        String(r.coreQueries),
        ms(r.coreSeq),
        ms(r.corePar),
        String(r.minimalQueries),
        ms(r.minimalSeq),
        ms(r.minimalPar),
        r.ratioSeq.toFixed(2),
        r.ratioPar.toFixed(2),
        `${r.perServiceQueries}×N`,
        r.perServiceMs.toFixed(1),
        ms(r.perServiceMs * r.services),
      ])
    )
  );
  for (const r of results) {
    log(`\nBy figure, ${r.services} services (median ms, sequential)\n`);
    log(
      table(
        ['figures', 'core q', 'core ms', 'hand q', 'hand ms', 'ratio'],
        r.groups.map((g) => [
          g.name,
          String(g.coreQueries),
          ms(g.core),
          String(g.minimalQueries),
          ms(g.minimal),
          g.ratio.toFixed(2),
        ])
      )
    );
    log(`\nApp latency, one quantile (p95), in different forms (median ms)\n`);
    log(
      table(
        ['variant', 'ms'],
        r.diagnosis.map((d) => [d.name, ms(d.ms)])
      )
    );
    log(
      r.mismatches.length === 0
        ? '\ncross-check: core and hand-written rps and p95 agree for every service, mesh and app'
        : `\ncross-check FAILED:\n${r.mismatches.slice(0, 10).join('\n')}`
    );
  }
  const worst = Math.max(...results.map((r) => r.ratioSeq));
  log(
    `\nTarget: core ≤ 1.1× the hand-written queries. Worst sequential ratio: ${worst.toFixed(3)} → ${worst <= 1.1 ? 'met' : 'NOT met'}`
  );
  if (results.some((r) => r.mismatches.length > 0)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
