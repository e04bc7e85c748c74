/**
 * Query cost of the overview at scale, against a real VictoriaMetrics. Results and findings: docs/benchmarks.md.
 *
 *   npx tsx scripts/bench.ts [--services 1000,5000] [--reps 5] [--minutes 20] [--scrape 15] [--window 15]
 *                            [--per-service 50] [--seed 4242]
 *
 * For each size: generate a random scenario (one pod per service, 50 services per namespace), import it into a
 * fresh VictoriaMetrics (response cache off, so every repetition does the work), replay the rule file's recorded
 * rates over it with vmalert (as they would have been recorded live), then measure side by side:
 *   (a) the raw path: runOverview's requests on the raw series;
 *   (b) the recorded path: the check for recorded series and runOverview's requests on them;
 *   (c) the hand-written PromQL an expert would write for the same per-service figures, one query per figure;
 *   (d) Linkerd's per-deployment dashboard style: the core figures, one set of queries per service, measured on
 *       the first services and extrapolated.
 * (a)–(c) are measured sequentially (sum of query times: the work the store does) and in parallel (wall time:
 * what a user waits for), in rotating order, repeated; medians are reported. Each query's series are counted
 * against VictoriaMetrics' default limit, and the store is restarted with its default flags to run the overview's
 * and the rules' queries as a default VictoriaMetrics would. The figures of (a), (b) and (c) are cross-checked
 * before anything is timed. The app p95 query is also timed in other forms, which show where its time goes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runOverview, type TimeWindow } from '../src/boundary/runOverview';
import type { ServiceRow } from '../src/boundary/types';
import { buildSeries, seriesValue } from '../generator/series';
import { stored, targetLabels } from '../generator/worlds';
import { randomScenario } from '../generator/scenarios';
import type { Scenario } from '../generator/scenario';
import { buildOverviewQueries, type OverviewQuery } from '../src/query/overviewQueries';
import type { PromApi } from '../src/query/promApi';
import { buildCoverageQuery, buildRecordedOverviewQueries } from '../src/query/recordedQueries';
import type { Sample } from '../src/query/sample';
import { buildRuleGroups, isAlertingRule, RATES_GROUP, type RecordingRule } from '../src/rules';
import { DEFAULT_SETTINGS, type AppSettings, type RecordedSeriesMode } from '../src/settings/types';
import {
  diagnosisVariants,
  handWrittenQueries,
  maxSeriesPerSelector,
  perServiceQueries,
  type Query,
} from './lib/benchQueries';
import { createPromHttpApi } from './lib/promHttpApi';
import { recordRates } from './lib/ruleTools';
import { startVictoriaMetrics, type RunningStore } from './lib/stores';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '1000,5000' },
    reps: { type: 'string', default: '5' },
    minutes: { type: 'string', default: '20' },
    scrape: { type: 'string', default: '15' },
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
/** VictoriaMetrics 1.79's default `-search.maxUniqueTimeseries`. */
const DEFAULT_SERIES_LIMIT = 300_000;

const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'bench',
  labelSchema: 'otel',
  semconv: 'stable',
};
const withMode = (recordedSeries: RecordedSeriesMode): AppSettings => ({ ...settings, recordedSeries });

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
// Timing.

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Runs the queries one after another: the sum of their times is the store's work for them. */
async function sequential(api: PromApi, queries: Query[], time: number): Promise<number> {
  let total = 0;
  for (const q of queries) {
    total += (await timed(() => api.instant(q.expr, time))).ms;
  }
  return total;
}

/** Runs them all at once, as a dashboard does: the wall time is what a user waits for. */
async function parallel(api: PromApi, queries: Query[], time: number): Promise<number> {
  return (await timed(() => Promise.all(queries.map((q) => api.instant(q.expr, time))))).ms;
}

/** Waits until the store has finished digesting what it was sent (background merges): under 5 % of a core for 3 s. */
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

// ---------------------------------------------------------------------------------------------------------
// What is compared.

const asQueries = (list: OverviewQuery[]): Query[] =>
  list.map((q) => ({ name: q.part ? `${q.refId} ${q.part}` : q.refId, expr: q.expr }));

type Side = 'raw' | 'recorded' | 'hand';
const SIDES: Side[] = ['raw', 'recorded', 'hand'];

/** The requests of each side that give the same figures. */
interface Group {
  name: string;
  queries: Record<Side, Query[]>;
}

function groups(raw: Query[], recorded: Query[], coverage: Query, hand: Query[]): Group[] {
  const ofRefId = (list: Query[], refId: string) => list.filter((q) => q.name.split(' ')[0] === refId);
  const named = (...names: string[]) => hand.filter((q) => names.includes(q.name));
  const group = (name: string, refId: string, handNames: string[]): Group => ({
    name,
    queries: { raw: ofRefId(raw, refId), recorded: ofRefId(recorded, refId), hand: named(...handNames) },
  });
  return [
    group('mesh responses (rps, success, trap, 5xx, admin presence)', 'meshResponses', [
      'mesh rps',
      'mesh success',
      'mesh trap',
      'mesh 5xx',
      'mesh presence',
    ]),
    group('mesh latency (p50, p95, p99, mean)', 'meshLatency', ['mesh p50', 'mesh p95', 'mesh p99', 'mesh mean']),
    group("callers' view (the trap at the callers)", 'meshCallers', ['callers trap']),
    group('app requests (rps, success)', 'appRequests', ['app rps', 'app success']),
    group('app latency (p50, p95, p99, mean)', 'appLatency', ['app p50', 'app p95', 'app p99', 'app mean']),
    { name: 'check for recorded series', queries: { raw: [], recorded: [coverage], hand: [] } },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// Cross-checks: the comparison means something only if the three sides give the same figures.

const MESH_KINDS = ['deployment', 'statefulset', 'daemonset', 'cronjob', 'job', 'replicationcontroller', 'replicaset'];

async function crossCheckHand(api: PromApi, rows: ServiceRow[], hand: Query[], time: number): Promise<string[]> {
  const byName = (name: string) => hand.find((q) => q.name === name)!.expr;
  const [meshRps, meshP95, appRps, appP95] = await Promise.all(
    ['mesh rps', 'mesh p95', 'app rps', 'app p95'].map((name) => api.instant(byName(name), time))
  );
  const meshKey = (l: Record<string, string>) =>
    `${l.k8s_namespace_name}/${MESH_KINDS.map((k) => l[`k8s_${k}_name`]).find(Boolean)}`;
  const appKey = (l: Record<string, string>) => `${l.service_namespace ?? l.k8s_namespace_name}/${l.service_name}`;
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
    for (const [what, core, handValue] of pairs) {
      if (!close(core, handValue)) {
        mismatches.push(`${row.key} ${what}: raw path ${core}, hand-written ${handValue}`);
      }
    }
  }
  const counts = `${rows.filter((r) => r.mesh).length}/${rows.filter((r) => r.app).length}`;
  if (counts !== `${meshRps.length}/${appRps.length}`) {
    mismatches.push(
      `meshed/instrumented services: raw path ${counts}, hand-written ${meshRps.length}/${appRps.length}`
    );
  }
  return mismatches;
}

/** The recorded path's rows against the raw path's: every figure within 1 % (the traffic is steady). */
function crossCheckRecorded(raw: ServiceRow[], recorded: ServiceRow[]): { mismatches: string[]; worst: number } {
  const mismatches: string[] = [];
  let worst = 0;
  const byKey = new Map(recorded.map((r) => [r.key, r]));
  for (const row of raw) {
    const other = byKey.get(row.key);
    if (!other) {
      mismatches.push(`${row.key} is missing on the recorded path`);
      continue;
    }
    const figures: Array<[string, number | undefined, number | undefined]> = [
      ['mesh rps', row.mesh?.rps, other.mesh?.rps],
      ['mesh success', row.mesh?.successRate, other.mesh?.successRate],
      ['mesh p95', row.mesh?.latency.p95, other.mesh?.latency.p95],
      ['mesh mean', row.mesh?.latency.mean, other.mesh?.latency.mean],
      ['app rps', row.app?.rps, other.app?.rps],
      ['app success', row.app?.successRate, other.app?.successRate],
      ['app p95', row.app?.latency.p95, other.app?.latency.p95],
      ['app mean', row.app?.latency.mean, other.app?.latency.mean],
    ];
    for (const [what, a, b] of figures) {
      if (a === undefined && b === undefined) {
        continue;
      }
      const off = a === undefined || b === undefined ? Infinity : Math.abs(a - b) / Math.max(Math.abs(a), 1e-9);
      worst = Math.max(worst, off);
      if (off > 0.01) {
        mismatches.push(`${row.key} ${what}: raw ${a}, recorded ${b}`);
      }
    }
    if (row.flags.map((f) => f.id).join() !== other.flags.map((f) => f.id).join()) {
      mismatches.push(`${row.key} flags: raw ${row.flags.map((f) => f.id)}, recorded ${other.flags.map((f) => f.id)}`);
    }
  }
  if (recorded.length !== raw.length) {
    mismatches.push(`rows: raw ${raw.length}, recorded ${recorded.length}`);
  }
  return { mismatches, worst };
}

// ---------------------------------------------------------------------------------------------------------
// Series per query, and a default VictoriaMetrics.

interface SeriesCount {
  name: string;
  series: number;
}

async function seriesPerQuery(api: PromApi, queries: Query[], time: number): Promise<SeriesCount[]> {
  const counts: SeriesCount[] = [];
  for (const q of queries) {
    counts.push({ name: q.name, series: await maxSeriesPerSelector(api, q.expr, time) });
  }
  return counts;
}

/** Which queries a VictoriaMetrics with default flags refuses, by name, with its reason. */
async function refusedByDefaultStore(api: PromApi, queries: Query[], time: number): Promise<string[]> {
  const refused: string[] = [];
  for (const q of queries) {
    try {
      await api.instant(q.expr, time);
    } catch (error) {
      refused.push(`${q.name}: ${error instanceof Error ? error.message.slice(0, 120) : String(error)}`);
    }
  }
  return refused;
}

// ---------------------------------------------------------------------------------------------------------
// One size.

interface SideResult {
  queries: number;
  seq: number;
  par: number;
}

interface SizeResult {
  services: number;
  imported: Imported;
  idleSeconds: number;
  replaySeconds: number;
  recordedSeries: number;
  sides: Record<Side, SideResult>;
  /** Medians of the per-repetition ratios. */
  ratios: { rawToHandSeq: number; rawToHandPar: number; recordedToRawSeq: number; recordedToRawPar: number };
  perServiceMs: number;
  perServiceQueries: number;
  groups: Array<{ name: string; count: Record<Side, number>; ms: Record<Side, number> }>;
  series: Record<'raw' | 'recorded' | 'hand' | 'rules', SeriesCount[]>;
  refused: Record<'raw' | 'recorded' | 'rules', string[]>;
  diagnosis: Array<{ name: string; ms: number }>;
  mismatches: string[];
  recordedWorst: number;
  load: number[];
}

const maxOf = (counts: SeriesCount[]) => counts.reduce((best, c) => (c.series > best.series ? c : best), counts[0]);

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
  const dataDir = mkdtempSync(join(tmpdir(), 'meshlens-bench-'));
  // Response cache off, so each repetition does the work; limits raised so the largest raw queries (hundreds of
  // thousands of bucket series) and sixteen queries in flight on two cores are measured rather than refused.
  const raised = [
    '-search.disableCache',
    '-search.maxUniqueTimeseries=5000000',
    '-search.maxQueryDuration=300s',
    '-search.maxQueueDuration=300s',
  ];
  let store: RunningStore = await startVictoriaMetrics({ dataDir, args: raised });
  try {
    log(`\n== ${services} services: importing ${MINUTES} min at ${SCRAPE_SECONDS} s into ${store.url} …`);
    const imported = await importScenario(store.url, scenario, startMs, endMs);
    const idleSeconds = await waitForIdle(store.process.pid!);
    log(
      `   ${imported.series} series, ${imported.samples} samples in ${imported.seconds.toFixed(1)} s; idle after ${idleSeconds.toFixed(0)} s`
    );
    const replayStarted = Date.now();
    await recordRates(store.url, settings, startMs + 60_000, endMs, {
      extraArgs: [
        '-remoteWrite.maxQueueSize=50000000',
        '-remoteWrite.maxBatchSize=10000',
        '-remoteWrite.concurrency=2',
      ],
      timeoutMs: 1_800_000,
    });
    const replaySeconds = (Date.now() - replayStarted) / 1000;
    await waitForIdle(store.process.pid!);
    const api = createPromHttpApi({ baseUrl: store.url, timeoutMs: 300_000 });
    const window: TimeWindow = { from: endMs / 1000 - WINDOW_SECONDS, to: endMs / 1000 };
    const promWindow = `${WINDOW_SECONDS}s`;
    const time = window.to;
    const rateRules = buildRuleGroups(settings)
      .filter((g) => g.name === RATES_GROUP)
      .flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlertingRule(r)));
    // The mesh bucket name is recorded by several rules (one per le set): each is measured, numbered.
    const ruleQueries: Query[] = rateRules.map((r, i) => {
      const same = rateRules.filter((o) => o.record === r.record);
      const nth = rateRules.slice(0, i + 1).filter((o) => o.record === r.record).length;
      return { name: same.length > 1 ? `${r.record} (part ${nth} of ${same.length})` : r.record, expr: r.expr };
    });
    const recordedNamesRegex = [...new Set(rateRules.map((r) => r.record))].join('|');
    const recordedSeries = (await api.instant(`count({__name__=~"${recordedNamesRegex}"})`, time))[0]?.value ?? 0;
    log(`   recorded rates replayed in ${replaySeconds.toFixed(0)} s: ${recordedSeries} recorded series`);

    // Both paths as runOverview builds them, and their rows for the cross-checks (also a warm-up).
    const queryOptions = { settings, windowSeconds: WINDOW_SECONDS };
    const raw = asQueries(buildOverviewQueries(queryOptions));
    const recorded = asQueries(buildRecordedOverviewQueries(queryOptions));
    const coverage: Query = { name: 'coverage', expr: buildCoverageQuery(queryOptions) };
    const hand = handWrittenQueries(settings, promWindow);
    const rawRun = await runOverview(api, withMode('raw'), window);
    const autoRun = await runOverview(api, withMode('auto'), window);
    if (autoRun.source.path !== 'recorded') {
      throw new Error(`the overview did not take the recorded path: ${autoRun.source.reason}`);
    }
    const recordedCheck = crossCheckRecorded(rawRun.rows, autoRun.rows);
    const mismatches = [...(await crossCheckHand(api, rawRun.rows, hand, time)), ...recordedCheck.mismatches];
    const variants = diagnosisVariants(
      raw.find((q) => q.name === 'appLatency 0.95')!.expr,
      hand.find((q) => q.name === 'app p95')!.expr,
      promWindow
    );
    await sequential(api, hand, time);

    // Paired measurements: each side's requests for the same figures in rotating order, so load from anything
    // else on the machine hits every side alike.
    const compared = groups(raw, recorded, coverage, hand);
    const perGroup = compared.map(() => ({ raw: [] as number[], recorded: [] as number[], hand: [] as number[] }));
    const seq = { raw: [] as number[], recorded: [] as number[], hand: [] as number[] };
    const par = { raw: [] as number[], recorded: [] as number[], hand: [] as number[] };
    const diagnosis = variants.map(() => [] as number[]);
    const load: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const repSeq = { raw: 0, recorded: 0, hand: 0 };
      for (const [i, group] of compared.entries()) {
        for (let k = 0; k < SIDES.length; k++) {
          const side = SIDES[(rep + i + k) % SIDES.length];
          const ms = await sequential(api, group.queries[side], time);
          perGroup[i][side].push(ms);
          repSeq[side] += ms;
        }
      }
      for (const side of SIDES) {
        seq[side].push(repSeq[side]);
      }
      // In parallel: runOverview itself on each path (its requests at once plus building the rows; the recorded
      // path with its check first, as `auto` does) against the hand-written queries all at once.
      const runs: Record<Side, () => Promise<number>> = {
        raw: async () => (await timed(() => runOverview(api, withMode('raw'), window))).ms,
        recorded: async () => (await timed(() => runOverview(api, withMode('auto'), window))).ms,
        hand: () => parallel(api, hand, time),
      };
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(rep + k) % SIDES.length];
        par[side].push(await runs[side]());
      }
      for (const [i, variant] of variants.entries()) {
        diagnosis[i].push(await sequential(api, [variant], time));
      }
      load.push(loadavg()[0]);
      log(
        `   rep ${rep + 1}/${REPS}: sequential raw ${repSeq.raw.toFixed(0)} ms, recorded ${repSeq.recorded.toFixed(0)} ms, ` +
          `hand-written ${repSeq.hand.toFixed(0)} ms; parallel raw ${par.raw[rep].toFixed(0)} ms, recorded ` +
          `${par.recorded[rep].toFixed(0)} ms, hand-written ${par.hand[rep].toFixed(0)} ms (load average ${loadavg()[0].toFixed(1)})`
      );
    }

    // (d) one set of queries per service, for the first services, one after another.
    const sample = scenario.services.slice(0, PER_SERVICE_SAMPLE);
    const perServiceRuns: number[] = [];
    for (let rep = 0; rep < Math.min(REPS, 3); rep++) {
      let total = 0;
      for (const service of sample) {
        total += await sequential(api, perServiceQueries(service, promWindow), time);
      }
      perServiceRuns.push(total / sample.length);
    }

    const series = {
      raw: await seriesPerQuery(api, raw, time),
      recorded: await seriesPerQuery(api, [coverage, ...recorded], time),
      hand: await seriesPerQuery(api, hand, time),
      rules: await seriesPerQuery(api, ruleQueries, time),
    };

    // The same store with VictoriaMetrics' default flags: what a default installation refuses.
    await store.stop();
    store = await startVictoriaMetrics({ dataDir });
    const defaultApi = createPromHttpApi({ baseUrl: store.url, timeoutMs: 300_000 });
    const refused = {
      raw: await refusedByDefaultStore(defaultApi, raw, time),
      recorded: await refusedByDefaultStore(defaultApi, [coverage, ...recorded], time),
      rules: await refusedByDefaultStore(defaultApi, ruleQueries, time),
    };

    const ratio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));
    return {
      services,
      imported,
      idleSeconds,
      replaySeconds,
      recordedSeries,
      sides: {
        raw: { queries: raw.length, seq: median(seq.raw), par: median(par.raw) },
        recorded: { queries: recorded.length + 1, seq: median(seq.recorded), par: median(par.recorded) },
        hand: { queries: hand.length, seq: median(seq.hand), par: median(par.hand) },
      },
      ratios: {
        rawToHandSeq: ratio(seq.raw, seq.hand),
        rawToHandPar: ratio(par.raw, par.hand),
        recordedToRawSeq: ratio(seq.recorded, seq.raw),
        recordedToRawPar: ratio(par.recorded, par.raw),
      },
      perServiceMs: median(perServiceRuns),
      perServiceQueries: perServiceQueries(scenario.services[0], promWindow).length,
      groups: compared.map((g, i) => ({
        name: g.name,
        count: { raw: g.queries.raw.length, recorded: g.queries.recorded.length, hand: g.queries.hand.length },
        ms: { raw: median(perGroup[i].raw), recorded: median(perGroup[i].recorded), hand: median(perGroup[i].hand) },
      })),
      series,
      refused,
      diagnosis: variants.map((v, i) => ({ name: v.name, ms: median(diagnosis[i]) })),
      mismatches,
      recordedWorst: recordedCheck.worst,
      load,
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
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Report.

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function report(results: SizeResult[]) {
  const ms = (v: number) => v.toFixed(0);
  log('\nSummary (ms, medians; sequential = sum of query times, parallel = wall time with all queries in flight;');
  log('ratios are medians of the per-repetition ratios)\n');
  log(
    table(
      [
        'services',
        'series',
        'recorded',
        'path',
        'queries',
        'sequential',
        'parallel',
        'vs hand seq',
        'vs hand par',
        'load',
      ],
      results.flatMap((r) =>
        SIDES.map((side) => [
          String(r.services),
          String(r.imported.series),
          String(r.recordedSeries),
          side,
          String(r.sides[side].queries),
          ms(r.sides[side].seq),
          ms(r.sides[side].par),
          (r.sides[side].seq / r.sides.hand.seq).toFixed(2),
          (r.sides[side].par / r.sides.hand.par).toFixed(2),
          median(r.load).toFixed(1),
        ])
      )
    )
  );
  log('');
  log(
    table(
      [
        'services',
        'raw/hand seq',
        'raw/hand par',
        'recorded/raw seq',
        'raw/recorded seq (×)',
        'recorded/raw par',
        'per-svc ms/svc',
        'per-svc total (est.)',
      ],
      results.map((r) => [
        String(r.services),
        r.ratios.rawToHandSeq.toFixed(2),
        r.ratios.rawToHandPar.toFixed(2),
        r.ratios.recordedToRawSeq.toFixed(3),
        (1 / r.ratios.recordedToRawSeq).toFixed(1),
        r.ratios.recordedToRawPar.toFixed(3),
        r.perServiceMs.toFixed(1),
        `${r.perServiceQueries}×N, ${ms(r.perServiceMs * r.services)}`,
      ])
    )
  );
  for (const r of results) {
    log(`\nBy figure, ${r.services} services (median ms, sequential; requests in brackets)\n`);
    log(
      table(
        ['figures', 'raw', 'recorded', 'hand-written', 'raw/hand', 'recorded/raw'],
        r.groups.map((g) => [
          g.name,
          `${ms(g.ms.raw)} (${g.count.raw})`,
          `${ms(g.ms.recorded)} (${g.count.recorded})`,
          `${ms(g.ms.hand)} (${g.count.hand})`,
          g.count.raw && g.count.hand ? (g.ms.raw / g.ms.hand).toFixed(2) : '–',
          g.count.raw ? (g.ms.recorded / g.ms.raw).toFixed(3) : '–',
        ])
      )
    );
    log(`\nSeries per query (the most any one selector matches over its range), ${r.services} services\n`);
    log(
      table(
        ['side', 'largest query', 'series', 'over 300,000'],
        (['raw', 'recorded', 'hand', 'rules'] as const).map((side) => {
          const worst = maxOf(r.series[side]);
          const over = r.series[side].filter((c) => c.series > DEFAULT_SERIES_LIMIT).map((c) => c.name);
          return [side, worst.name, String(worst.series), over.length === 0 ? 'none' : over.join(', ')];
        })
      )
    );
    log(`\nRefused by VictoriaMetrics with its default flags, ${r.services} services:`);
    for (const side of ['raw', 'recorded', 'rules'] as const) {
      log(`   ${side}: ${r.refused[side].length === 0 ? 'none' : r.refused[side].join('; ')}`);
    }
    log(`\nApp latency, one quantile (p95), in different forms (median ms)\n`);
    log(
      table(
        ['variant', 'ms'],
        r.diagnosis.map((d) => [d.name, ms(d.ms)])
      )
    );
    log(
      r.mismatches.length === 0
        ? `\ncross-checks: raw path = hand-written (rps, p95, both layers); recorded path = raw path within 1 % ` +
            `(worst ${(r.recordedWorst * 100).toFixed(3)} %), same flags`
        : `\ncross-check FAILED:\n${r.mismatches.slice(0, 10).join('\n')}`
    );
    log(
      `replay of the rates group: ${r.replaySeconds.toFixed(0)} s; load average per repetition: ${r.load.map((l) => l.toFixed(1)).join(', ')}`
    );
  }
  const largest = results[results.length - 1];
  const speedup = 1 / largest.ratios.recordedToRawSeq;
  const overLimit = largest.series.recorded.some((c) => c.series > DEFAULT_SERIES_LIMIT);
  log(
    `\nTargets at ${largest.services} services: recorded store time ${speedup.toFixed(1)}× less than raw (≥ 8: ${speedup >= 8 ? 'met' : 'NOT met'}); ` +
      `recorded queries under 300,000 series: ${overLimit ? 'NOT met' : 'met'}; raw wall time ${largest.ratios.rawToHandPar.toFixed(2)}× hand-written ` +
      `(≤ 1.0: ${results.every((r) => r.ratios.rawToHandPar <= 1) ? 'met' : 'NOT met'})`
  );
}

async function main() {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  log(`Mesh Lens overview benchmark, ${new Date().toISOString()}, ${machine}, load average ${loadavg()[0].toFixed(1)}`);
  log(
    `seed ${SEED}, ${MINUTES} min of data at ${SCRAPE_SECONDS} s, window ${WINDOW_SECONDS / 60} min, ${REPS} repetitions (median)`
  );
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    results.push(await benchSize(size));
  }
  report(results);
  if (results.some((r) => r.mismatches.length > 0)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
