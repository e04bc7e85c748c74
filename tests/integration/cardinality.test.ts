/**
 * The cardinality budget against real stores, checked against the generator's own series:
 *   1. the demo is loaded into VictoriaMetrics (OTel schema, stable semconv) and a backfilled Prometheus (Linkerd
 *      schema, legacy semconv); per family the series, the distinct values of every label, the series saved by
 *      dropping each label, buckets and series per bucket must equal what buildSeries + targetLabels say exactly;
 *   2. a generated scrape-time snippet runs for real: the Collector's `prometheus/mesh` scrape config (as in
 *      scrape.test.ts, discovery swapped for file_sd) scrapes the generator's proxies twice in one Prometheus, once
 *      as written and once with the snippet's rules appended; every family must keep exactly the series the budget
 *      predicted, and the dropped labels and family must be gone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { fetchCardinality, fetchDropPlan, rankLabelSavings } from '../../src/cardinality';
import { probeLabelNameSyntax } from '../../src/cardinality/measure';
import type { MetricsApi } from '../../src/query/promApi';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { scrapeTimeSnippet } from '../../src/cardinality/snippets';
import type { CardinalityReport, DropSelection, Layer, MeshSideCosts } from '../../src/cardinality/types';
import { demoScenario } from '../../generator/scenarios';
import { storedSeries } from '../../generator/generate';
import { seriesExists, type Labels } from '../../generator/series';
import { eq, labelSelector, matcher } from '../../src/query/promql';
import { LINKERD_ADMIN_PORT, LINKERD_ROUTE_FAMILY_PATTERN, meshMatchers } from '../../src/query/schema';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  type AppSettings,
  type LabelSchema,
  type SemconvVersion,
} from '../../src/settings/types';
import { DEMO_CONFIG, localScrapeJob, meshScrapeJobs, type ScrapeConfig } from '../../scripts/lib/collectorConfig';
import { startProxyServer, type ProxyServer } from '../../generator/serve/proxyServer';
import {
  importIntoVictoriaMetrics,
  startPrometheus,
  startVictoriaMetrics,
  type RunningStore,
} from '../../scripts/lib/stores';
import { KEPT_MESH_FAMILIES } from '../shared/pipelineFamilies';
import { loadScenarioInto, type LoadedStore, type StoreKind } from './harness';

const APP_BASES: Record<SemconvVersion, string[]> = {
  stable: ['http_server_request_duration_seconds', 'rpc_server_call_duration_seconds'],
  legacy: ['http_server_duration_milliseconds', 'rpc_server_duration_milliseconds'],
};
const appFamilies = (semconv: SemconvVersion) =>
  APP_BASES[semconv].flatMap((base) => ['bucket', 'sum', 'count'].map((part) => `${base}_${part}`));

/** What the plugin's views read (src/query): everything kept except these. */
const UNREAD = (_semconv: SemconvVersion) => ['request_total', 'tcp_open_total'];

const MINUTES = 10;
const SCRAPE_SECONDS = 1;
const BASELINE_JOB = 'linkerd-proxy';
const BUDGET_JOB = 'linkerd-proxy-budget';
const LATENCY = ['response_latency_ms_bucket', 'response_latency_ms_sum', 'response_latency_ms_count'];

/** What the user chose on the page: two labels everywhere, caller identity on the latency histogram, a family. */
const SELECTION: DropSelection = {
  labels: [{ label: 'target_addr' }, { label: 'srv_name' }, { label: 'client_id', families: LATENCY }],
  families: ['request_total'],
};

// ---- the generator's truth --------------------------------------------------------------------------------------

const keyOf = (labels: Labels) =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  );

/** Distinct label sets per kept family, as the import writes them (Collector labels included). */
function generatedLayout(schema: LabelSchema, semconv: SemconvVersion): Map<string, { layer: Layer; sets: Labels[] }> {
  const kept = new Map<string, Layer>([
    ...KEPT_MESH_FAMILIES.map((f): [string, Layer] => [f, 'mesh']),
    ...appFamilies(semconv).map((f): [string, Layer] => [f, 'app']),
  ]);
  const layout = new Map<string, { layer: Layer; keys: Map<string, Labels> }>();
  for (const { metric, def: s, existence } of storedSeries(demoScenario(), { schema, semconv })) {
    const layer = kept.get(s.name);
    // What the store holds at the end of the import: series that something was counted in.
    if (!layer || s.target.layer !== layer || !seriesExists(existence, MINUTES * 60_000, 0)) {
      continue;
    }
    // A store keeps no label whose value is empty (Linkerd writes `grpc_status=""`, `srv_group=""` …).
    const { __name__: _name, ...all } = metric;
    const labels = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== ''));
    const entry = layout.get(s.name) ?? { layer, keys: new Map() };
    entry.keys.set(keyOf(labels), labels);
    layout.set(s.name, entry);
  }
  return new Map([...layout].map(([family, e]) => [family, { layer: e.layer, sets: [...e.keys.values()] }]));
}

/** The mesh's side costs as generated: admin-port series of the kept families, and the route families' series. */
function expectedSideCosts(schema: LabelSchema, semconv: SemconvVersion): MeshSideCosts {
  const routePattern = new RegExp(`^(?:${LINKERD_ROUTE_FAMILY_PATTERN})$`);
  const keys = { admin: new Set<string>(), routes: new Map<string, Set<string>>() };
  for (const { metric, def: s, existence } of storedSeries(demoScenario(), { schema, semconv })) {
    if (s.target.layer !== 'mesh' || !seriesExists(existence, MINUTES * 60_000, 0)) {
      continue;
    }
    const key = keyOf(Object.fromEntries(Object.entries(metric).filter(([, value]) => value !== '')));
    if (KEPT_MESH_FAMILIES.includes(s.name) && metric.target_port === LINKERD_ADMIN_PORT) {
      keys.admin.add(key);
    }
    if (routePattern.test(s.name)) {
      keys.routes.set(s.name, (keys.routes.get(s.name) ?? new Set()).add(key));
    }
  }
  return {
    adminSeries: keys.admin.size,
    routeFamilies: [...keys.routes]
      .map(([family, set]) => ({ family, series: set.size }))
      .sort((a, b) => b.series - a.series || a.family.localeCompare(b.family)),
  };
}

function distinctWithout(sets: Labels[], drop: string[]): number {
  return new Set(
    sets.map((labels) => keyOf(Object.fromEntries(Object.entries(labels).filter(([k]) => !drop.includes(k)))))
  ).size;
}

interface ExpectedFamily {
  family: string;
  layer: Layer;
  series: number;
  samplesPerMinute: number;
  buckets?: number;
  seriesPerBucket?: number;
  usedByViews: boolean;
  labels: Array<{ label: string; distinctValues: number; seriesSavedIfDropped: number }>;
}

function expectedFamilies(schema: LabelSchema, semconv: SemconvVersion, intervalSeconds: number): ExpectedFamily[] {
  return [...generatedLayout(schema, semconv)]
    .map(([family, { layer, sets }]): ExpectedFamily => {
      const names = [...new Set(sets.flatMap((s) => Object.keys(s)))].sort();
      const expected: ExpectedFamily = {
        family,
        layer,
        series: sets.length,
        samplesPerMinute: (sets.length * 60) / intervalSeconds,
        usedByViews: !UNREAD(semconv).includes(family),
        labels: names.map((label) => ({
          label,
          distinctValues: new Set(sets.map((s) => s[label]).filter((v) => v !== undefined && v !== '')).size,
          seriesSavedIfDropped: sets.length - distinctWithout(sets, [label]),
        })),
      };
      if (family.endsWith('_bucket')) {
        expected.buckets = new Set(sets.map((s) => s.le)).size;
        expected.seriesPerBucket = distinctWithout(sets, ['le']);
      }
      return expected;
    })
    .sort((a, b) => a.family.localeCompare(b.family));
}

/** Series per family after SELECTION, from the generator. */
function expectedAfterSelection(schema: LabelSchema, semconv: SemconvVersion): Record<string, number> {
  const after: Record<string, number> = {};
  for (const [family, { layer, sets }] of generatedLayout(schema, semconv)) {
    if (SELECTION.families.includes(family)) {
      after[family] = 0;
      continue;
    }
    const drop = SELECTION.labels
      .filter((d) => (d.families ? d.families.includes(family) : layer === 'mesh'))
      .map((d) => d.label);
    after[family] = distinctWithout(sets, drop);
  }
  return after;
}

function observed(report: CardinalityReport): ExpectedFamily[] {
  return report.families
    .map((f) => {
      const o: ExpectedFamily = {
        family: f.family,
        layer: f.layer,
        series: f.series,
        samplesPerMinute: f.samplesPerMinute,
        usedByViews: f.usedByViews,
        labels: f.labels
          .map((l) => ({
            label: l.label,
            distinctValues: l.distinctValues,
            seriesSavedIfDropped: l.seriesSavedIfDropped,
          }))
          .sort((a, b) => a.label.localeCompare(b.label)),
      };
      if (f.buckets !== undefined) {
        o.buckets = f.buckets;
        o.seriesPerBucket = f.seriesPerBucket;
      }
      return o;
    })
    .sort((a, b) => a.family.localeCompare(b.family));
}

// ---- the scrape ------------------------------------------------------------------------------------------------

/** The compose Collector's single mesh scrape job (the cluster's job with file_sd discovery). */
function collectorMeshJob(): ScrapeConfig {
  const jobs = meshScrapeJobs(readFileSync(DEMO_CONFIG, 'utf8'), DEMO_CONFIG);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

async function waitForTargets(api: MetricsApi, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [up] = await api.instant('count(up == 1)', Date.now() / 1000);
    if (up?.value === expected) {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not every one of ${expected} targets was scraped within 30 s`);
}

// ---- the tests -------------------------------------------------------------------------------------------------

interface Case {
  store: StoreKind;
  schema: LabelSchema;
  semconv: SemconvVersion;
}

const CASES: Case[] = [
  { store: 'victoria-metrics', schema: 'otel', semconv: 'stable' },
  { store: 'prometheus', schema: 'linkerd', semconv: 'legacy' },
];

const scenario = demoScenario();
const interval = scenario.scrapeIntervalSeconds;
const settingsFor = (c: { schema: LabelSchema; semconv: SemconvVersion }): AppSettings => ({
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'test',
  labelSchema: c.schema,
  meshSelector: DEFAULT_MESH_SELECTORS[c.schema],
  semconv: c.semconv,
});

describe('the cardinality budget on real stores', () => {
  const loaded = new Map<StoreKind, LoadedStore>();
  const reports = new Map<StoreKind, CardinalityReport>();
  let proxies: ProxyServer | undefined;
  let scraper: RunningStore | undefined;
  let sdDir: string | undefined;

  beforeAll(async () => {
    // The scrape needs wall-clock time: start it first, and load the stores while it runs.
    // Started a day ago: every series a proxy creates on first use exists by the first scrape.
    proxies = await startProxyServer(scenario, 'stable', { startedAtMs: Date.now() - 86_400_000 });
    sdDir = mkdtempSync(join(tmpdir(), 'meshlens-sd-'));
    const sdFile = join(sdDir, 'linkerd-proxies.json');
    writeFileSync(sdFile, JSON.stringify(proxies.fileSd()));
    const collector = collectorMeshJob();
    expect(collector.job_name).toBe(BASELINE_JOB);
    const [snippetJob] = meshScrapeJobs(scrapeTimeSnippet(SELECTION).yaml, 'the snippet');
    const snippetRules = snippetJob.metric_relabel_configs;
    expect(Array.isArray(snippetRules)).toBe(true);
    const existingRules = collector.metric_relabel_configs;
    expect(Array.isArray(existingRules)).toBe(true);
    const budgetJob = {
      ...collector,
      metric_relabel_configs: [...(existingRules as unknown[]), ...(snippetRules as unknown[])],
    };
    const config = stringify({
      global: { scrape_interval: `${SCRAPE_SECONDS}s` },
      scrape_configs: [
        localScrapeJob(collector, sdFile, SCRAPE_SECONDS),
        { ...localScrapeJob(budgetJob, sdFile, SCRAPE_SECONDS), job_name: BUDGET_JOB },
      ],
    });
    const scraping = startPrometheus({ config }).then((store) => (scraper = store));
    await Promise.all([
      scraping,
      ...CASES.map(async (c) => {
        loaded.set(c.store, await loadScenarioInto(c.store, scenario, { ...c, minutes: MINUTES }));
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([...loaded.values()].map((l) => l.store.stop()));
    await scraper?.stop();
    await proxies?.close();
    if (sdDir) {
      rmSync(sdDir, { recursive: true, force: true });
    }
  });

  describe.each(CASES)('the demo on $store ($schema schema, $semconv semconv)', (c) => {
    const settings = settingsFor(c);
    const expected = expectedFamilies(c.schema, c.semconv, interval);

    it('measures every family, label, bucket and saving exactly as generated, in a bounded number of requests', async () => {
      const store = loaded.get(c.store)!;
      const api = createPromHttpApi({ baseUrl: store.store.url });
      const report = await fetchCardinality(api, {
        settings,
        mesh: meshMatchers(settings),
        timeSeconds: store.endMs / 1000,
        intervalSeconds: { mesh: interval, app: interval },
      });
      reports.set(c.store, report);

      expect(observed(report)).toEqual(expected);
      expect(report.absentFamilies).toEqual([]);
      // The Collector keeps the legacy families only; linkerd-viz's Prometheus stores the route families beside them.
      const side = expectedSideCosts(c.schema, c.semconv);
      expect(side.adminSeries).toBeGreaterThan(0);
      expect(side.routeFamilies.length > 0).toBe(c.schema === 'linkerd');
      expect(report.meshSideCosts).toEqual(side);
      for (const layer of ['mesh', 'app'] as Layer[]) {
        const of = expected.filter((f) => f.layer === layer);
        const series = of.reduce((s, f) => s + f.series, 0);
        const unused = of.filter((f) => !f.usedByViews).reduce((s, f) => s + f.series, 0);
        expect(report.totals[layer]).toEqual({
          families: of.length,
          series,
          samplesPerMinute: (series * 60) / interval,
          unusedSeries: unused,
          unusedSamplesPerMinute: (unused * 60) / interval,
        });
      }
      // 2 family counts, 2 side costs, one label-names request per family, the bucket layouts (3 sub-queries per histogram)
      // and 2 sub-queries per other (family, label), packed 20 to a request: nothing here depends on series.
      const pairs = expected.reduce((s, f) => s + f.labels.length, 0);
      const histograms = expected.filter((f) => f.family.endsWith('_bucket')).length;
      expect(report.requests).toBe(
        4 + expected.length + Math.ceil((3 * histograms) / 20) + Math.ceil((2 * (pairs - histograms)) / 20)
      );
      expect(report.families.filter((f) => f.uniformBuckets).length).toBe(histograms);

      // Labels: what the views read on the families they read.
      const label = (family: string, name: string) =>
        report.families.find((f) => f.family === family)?.labels.find((l) => l.label === name);
      expect(label('response_total', 'client_id')?.usedByViews).toBe(true);
      expect(label('response_total', 'classification')?.usedByViews).toBe(true);
      expect(label('response_total', 'target_addr')?.usedByViews).toBe(false);
      expect(label('response_latency_ms_bucket', 'le')).toMatchObject({
        usedByViews: true,
        blockedBy: expect.any(String),
      });
    });

    it('ranks labels by their exact saving summed over a layer’s families', () => {
      const report = reports.get(c.store)!;
      const sums = new Map<string, number>();
      for (const f of expected) {
        for (const l of f.labels) {
          const key = `${f.layer}/${l.label}`;
          sums.set(key, (sums.get(key) ?? 0) + l.seriesSavedIfDropped);
        }
      }
      const ranking = rankLabelSavings(report, { includeBlocked: true });
      expect(new Map(ranking.map((r) => [`${r.layer}/${r.label}`, r.seriesSaved]))).toEqual(sums);
      const saved = ranking.map((r) => r.seriesSaved);
      expect(saved).toEqual([...saved].sort((a, b) => b - a));
      // Not blocked, not read by a view: what the page offers first.
      const offered = rankLabelSavings(report, { includeUsed: false });
      expect(offered.every((r) => !r.usedByViews && !r.blockedBy)).toBe(true);
      expect(offered.map((r) => r.label)).toEqual(expect.arrayContaining(['target_addr', 'srv_name']));
    });

    it('predicts the series left after a drop of several labels and a family from the real label sets', async () => {
      const store = loaded.get(c.store)!;
      const report = reports.get(c.store)!;
      const plan = await fetchDropPlan(createPromHttpApi({ baseUrl: store.store.url }), report, SELECTION, {
        mesh: meshMatchers(settings),
      });
      const after = Object.fromEntries(plan.families.map((f) => [f.family, f.seriesAfter]));
      expect(after).toEqual(expectedAfterSelection(c.schema, c.semconv));
      // client_id told apart callers of the latency histogram: the drop really saves series there.
      const latency = plan.families.find((f) => f.family === 'response_latency_ms_bucket')!;
      expect(latency.seriesSaved).toBeGreaterThan(0);
      expect(latency.droppedLabels).toEqual(['client_id', 'srv_name', 'target_addr']);
    });
  });

  describe('the generated scrape-time snippet, applied by a real Prometheus to the generator’s proxies', () => {
    const settings = settingsFor({ schema: 'otel', semconv: 'stable' });
    let api: MetricsApi;
    let timeSeconds = 0;

    beforeAll(async () => {
      api = createPromHttpApi({ baseUrl: scraper!.url });
      await waitForTargets(api, 2 * proxies!.endpoints.length);
      // Two more scrapes, then read a whole second just behind the latest ones.
      await new Promise((r) => setTimeout(r, 2500));
      timeSeconds = Math.floor(Date.now() / 1000) - 1;
    });

    it('keeps exactly the series the budget predicted per family, without the dropped labels and family', async () => {
      const job = (name: string) => [eq('job', name)];
      const mesh = meshMatchers(settings);
      const baseline = await fetchCardinality(api, { settings, mesh, timeSeconds, matchers: job(BASELINE_JOB) });
      const budget = await fetchCardinality(api, { settings, mesh, timeSeconds, matchers: job(BUDGET_JOB) });
      expect(baseline.families.map((f) => f.family).sort()).toEqual([...KEPT_MESH_FAMILIES].sort());

      // Predictions: from the scraped baseline, and from the demo as imported into VictoriaMetrics (the page's
      // view of the same proxies: its pod-level labels differ, one per pod either way, so the counts agree).
      const fromBaseline = await fetchDropPlan(api, baseline, SELECTION, { mesh, matchers: job(BASELINE_JOB) });
      const fromImport = await fetchDropPlan(
        createPromHttpApi({ baseUrl: loaded.get('victoria-metrics')!.store.url }),
        reports.get('victoria-metrics')!,
        SELECTION,
        { mesh }
      );
      const predicted = (plan: typeof fromBaseline) =>
        Object.fromEntries(plan.families.filter((f) => f.layer === 'mesh').map((f) => [f.family, f.seriesAfter]));
      const actual = Object.fromEntries(
        KEPT_MESH_FAMILIES.map((family) => [family, budget.families.find((f) => f.family === family)?.series ?? 0])
      );
      expect(actual).toEqual(predicted(fromBaseline));
      expect(actual).toEqual(predicted(fromImport));
      expect(actual.response_latency_ms_bucket).toBeLessThan(
        baseline.families.find((f) => f.family === 'response_latency_ms_bucket')!.series
      );

      // The dropped family and labels are gone; client_id stays where it was not dropped.
      expect(budget.absentFamilies.map((f) => f.family)).toContain('request_total');
      const labelsOf = (family: string) => budget.families.find((f) => f.family === family)!.labels.map((l) => l.label);
      for (const family of budget.families.filter((f) => f.layer === 'mesh')) {
        expect(labelsOf(family.family)).not.toContain('target_addr');
        expect(labelsOf(family.family)).not.toContain('srv_name');
      }
      for (const family of LATENCY) {
        expect(labelsOf(family)).not.toContain('client_id');
      }
      expect(labelsOf('response_total')).toContain('client_id');
      const withDropped = labelSelector([eq('job', BUDGET_JOB), matcher('target_addr', '!=', '')]);
      const [leftover] = await api.instant(`count(${withDropped}) or vector(0)`, timeSeconds);
      expect(leftover.value).toBe(0);
    });
  });
});

/**
 * Label names classic PromQL cannot write (OTel attributes stored with their dots, a dash, unicode, quotes): stores
 * that hold them are asked in their own syntax, and every count is still exact; a store whose PromQL cannot name
 * them says so, and the budget lists them instead of leaving them out silently.
 */
describe('label names classic PromQL cannot write', () => {
  const MESH = meshMatchers(DEFAULT_SETTINGS);
  const UNUSUAL = ['k8s.pod.name', 'ünï', 'a-b', '1st', 'x"y', 'a\\b', 'service.name'];
  const FAMILY = 'http_server_request_duration_seconds_count';
  /** 12 series: pod (6 values) determines `1st`, `a-b` and `x"y` only tell two of them apart, ü is constant. */
  const SERIES: Labels[] = Array.from({ length: 12 }, (_, i) => ({
    __name__: FAMILY,
    service_name: `svc-${i % 3}`,
    'service.name': `svc-${i % 3}`,
    'k8s.pod.name': `pod-${i % 6}`,
    '1st': `p${i % 6}`,
    ünï: 'constant',
    'a-b': i % 2 ? 'odd' : 'even',
    'x"y': i < 6 ? 'low' : 'high',
    'a\\b': `${i}`,
  }));
  let vm: RunningStore;
  let prometheus: RunningStore;
  let now: number;

  beforeAll(async () => {
    [vm, prometheus] = await Promise.all([startVictoriaMetrics(), startPrometheus()]);
    now = Math.floor(Date.now() / 1000);
    const lines = SERIES.map((metric) =>
      JSON.stringify({ metric, values: [1, 2], timestamps: [(now - 30) * 1000, now * 1000] })
    );
    await importIntoVictoriaMetrics(vm.url, [`${lines.join('\n')}\n`], 'json');
  });
  afterAll(async () => {
    await Promise.all([vm?.stop(), prometheus?.stop()]);
  });

  it('VictoriaMetrics: every such label is measured exactly, in the syntax the store takes', async () => {
    const api = createPromHttpApi({ baseUrl: vm.url });
    const report = await fetchCardinality(api, { settings: DEFAULT_SETTINGS, mesh: MESH, timeSeconds: now });
    expect(report.gaps).toEqual([]);
    expect(report.labelNameSyntax).not.toBe('classic');
    const family = report.families.find((f) => f.family === FAMILY)!;
    expect(family.series).toBe(12);
    const keyWithout = (s: Labels, label: string) =>
      keyOf(Object.fromEntries(Object.entries(s).filter(([k]) => k !== label)));
    const expected = Object.keys(SERIES[0])
      .filter((l) => l !== '__name__')
      .map((label) => ({
        label,
        distinctValues: new Set(SERIES.map((s) => s[label])).size,
        seriesSavedIfDropped: 12 - new Set(SERIES.map((s) => keyWithout(s, label))).size,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
    expect(
      family.labels
        .map(({ label, distinctValues, seriesSavedIfDropped }) => ({ label, distinctValues, seriesSavedIfDropped }))
        .sort((a, b) => a.label.localeCompare(b.label))
    ).toEqual(expected);
    expect(expected.map((l) => l.label)).toEqual(expect.arrayContaining(UNUSUAL));

    // Dropping two of them at once is asked of the store in the same syntax, and is exact too.
    const labels = ['a-b', 'x"y', 'a\\b'];
    const plan = await fetchDropPlan(
      api,
      report,
      { labels: labels.map((label) => ({ label, families: [FAMILY] })), families: [] },
      { mesh: MESH }
    );
    const after = new Set(
      SERIES.map((s) => keyOf(Object.fromEntries(Object.entries(s).filter(([k]) => !labels.includes(k)))))
    );
    expect(plan.families.find((f) => f.family === FAMILY)?.seriesAfter).toBe(after.size);
  });

  it('Prometheus 2 can name them neither way: the probe says so with the store’s own refusals', async () => {
    const api = createPromHttpApi({ baseUrl: prometheus.url });
    const { syntax, refusals } = await probeLabelNameSyntax(api, now);
    expect(syntax).toBeUndefined();
    expect(refusals).toEqual([
      expect.stringMatching(/^"a\.b": the metrics datasource rejected the query: .*parse error/),
      expect.stringMatching(/^a\\\.b: the metrics datasource rejected the query: .*parse error/),
    ]);
  });
});
