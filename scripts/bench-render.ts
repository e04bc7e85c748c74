/**
 * Render benchmark: how long a page takes from the arrival of its query answers to its rendered content, in the
 * preview in Chromium: the overview at 1,000 and 5,000 services, with and without its incident view (the last
 * 5 minutes' flags, a baseline an hour earlier, the flagged services' timeline), the service map at 1,000. The
 * answers are synthesised per query (one series per service and outcome, as the real queries return them; the
 * timeline's range queries one series per flagged service and outcome, a point per step), turned into data frames
 * by the preview's port of Grafana's Prometheus backend (preview/server/promFrames.ts) and delivered by the
 * browser's request routing. Both ends are read on the page's clock: the last answer's Resource Timing responseEnd
 * (when the browser had it, not when Playwright began handing it over, which for a body of megabytes takes seconds)
 * and the first animation frame showing the result, so the figure covers the plugin's own work: reading frames,
 * aggregation, join, detection, edge pairing, sorting and rendering. The preview draws the map with its node-graph stand-in; Grafana's
 * own node graph lays the nodes out with its own cost, which this figure does not include.
 *
 *   npx tsx scripts/bench-render.ts [--runs 3]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Route } from '@playwright/test';
import { COMPARE_OFFSETS, PLUGIN_ID, RECENT_WINDOW_SECONDS } from '../src/constants';
import { CHROMIUM_LAUNCH } from '../tests/browser/chromium';
import { queryDataResponse } from '../preview/server/promFrames';
import { buildEdgeQueries } from '../src/query/edgeQueries';
import { buildOverviewQueries, type OverviewRefId } from '../src/query/overviewQueries';
import { buildCoverageQuery } from '../src/query/recordedQueries';
import { DEFAULT_SETTINGS } from '../src/settings/types';
import { startPreview } from './preview';
import { startVictoriaMetrics } from './lib/stores';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

interface Service {
  ns: string;
  name: string;
  trap: boolean;
  slow: boolean;
}

function services(n: number): Service[] {
  return Array.from({ length: n }, (_, i) => ({
    ns: `team-${Math.floor(i / 50)}`,
    name: `svc-${i}`,
    trap: i % 37 === 0,
    slow: i % 41 === 0,
  }));
}

const identity = (s: Service) => `${s.name}.${s.ns}.serviceaccount.identity.linkerd.cluster.local`;
const mesh = (s: Service) => ({ k8s_namespace_name: s.ns, k8s_deployment_name: s.name });
const destination = (s: Service) => ({ dst_namespace: s.ns, dst_deployment: s.name });
const app = (s: Service) => ({ service_name: s.name, service_namespace: s.ns });

/** Each service is called by the two services before it in its namespace. */
function callersOf(all: Service[], i: number): Service[] {
  return [all[i - 1], all[i - 2]].filter((c): c is Service => c !== undefined && c.ns === all[i].ns);
}

/** The answer each query of the overview and the map would get from a store holding these services. */
function answer(refId: string, all: Service[]): Vector {
  const now = Date.now() / 1000;
  const sample = (metric: Record<string, string>, value: number) => ({
    metric,
    value: [now, String(value)] as [number, string],
  });
  const latency = (labels: Record<string, string>, base: number) => [
    ...['0.5', '0.95', '0.99'].map((q, i) => sample({ ...labels, quantile: q }, base * (1 + i))),
    sample({ ...labels, quantile: 'mean' }, base * 1.1),
  ];
  const edgeLatency = (labels: Record<string, string>, base: number) => [
    sample({ ...labels, quantile: '0.95' }, base * 2),
    sample({ ...labels, quantile: 'mean' }, base * 1.1),
  ];
  const ok = { classification: 'success', status_code: '200', grpc_status: '0' };
  const trap = { classification: 'failure', status_code: '200', grpc_status: '14' };
  return all.flatMap((s, i): Vector => {
    const callers = callersOf(all, i);
    switch (refId) {
      case 'meshResponses':
        return [sample({ ...mesh(s), ...ok }, 9.2), ...(s.trap ? [sample({ ...mesh(s), ...trap }, 0.8)] : [])];
      case 'meshLatency':
        return latency(mesh(s), s.slow ? 180 : 20);
      case 'meshCallers':
        return [sample({ ...destination(s), ...ok }, 9.2)];
      case 'appRequests':
        return [sample({ ...app(s), rpc_response_status_code: 'OK' }, s.trap ? 9.2 : 10)];
      case 'appLatency':
        return latency(app(s), 0.019);
      case 'calleeResponses':
        return callers.map((c) => sample({ ...mesh(s), client_id: identity(c), tls: 'true', ...ok }, 4.6));
      case 'calleeLatency':
        return callers.flatMap((c) => edgeLatency({ ...mesh(s), client_id: identity(c) }, 20));
      case 'callerResponses':
        return callers.map((c) => sample({ ...mesh(c), ...destination(s), ...ok }, 4.6));
      case 'callerLatency':
        return callers.flatMap((c) => edgeLatency({ ...mesh(c), ...destination(s) }, 21));
      case 'serviceAccounts':
        return [sample({ ...destination(s), dst_serviceaccount: s.name }, 1)];
      default:
        return [];
    }
  });
}

/**
 * The pages' own instant queries for the preview's settings over the hour they show, by expression: the range's,
 * its last 5 minutes', the hour before's, and the map's.
 */
const WINDOW_SECONDS = 3600;
const SETTINGS = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'preview-metrics' };
const RANGE_QUERIES = buildOverviewQueries({ settings: SETTINGS, windowSeconds: WINDOW_SECONDS });
const RECENT_QUERIES = buildOverviewQueries({
  settings: SETTINGS,
  windowSeconds: RECENT_WINDOW_SECONDS,
  meanOnly: true,
});
const BASELINE_QUERIES = buildOverviewQueries({
  settings: SETTINGS,
  windowSeconds: WINDOW_SECONDS,
  offsetSeconds: COMPARE_OFFSETS['1h'],
});
const EDGE_QUERIES = buildEdgeQueries(SETTINGS, WINDOW_SECONDS, { kind: 'mesh' });
// The check for recorded series is answered with none: the pages read the raw series, as without the rules.
const COVERAGE = { refId: 'coverage', expr: buildCoverageQuery({ settings: SETTINGS, windowSeconds: WINDOW_SECONDS }) };
/** The range's own queries, whose answers the rows wait for; the rest (last 5 minutes, the hour before) come after. */
const RANGE_EXPRS = new Set([COVERAGE, ...RANGE_QUERIES].map((q) => q.expr));
const REF_IDS = new Map<string, string>(
  [COVERAGE, ...RANGE_QUERIES, ...RECENT_QUERIES, ...BASELINE_QUERIES, ...EDGE_QUERIES].map((q) => [q.expr, q.refId])
);

/**
 * The timeline's range queries name the flagged services, so their text depends on the rows: each is told by what
 * its builder reads (overviewQueries.ts).
 */
function timelineQueryOf(expr: string): OverviewRefId {
  if (expr.includes('meshlens_presence')) {
    return 'meshResponses';
  }
  if (expr.includes('direction="outbound"')) {
    return 'meshCallers';
  }
  if (expr.includes('response_latency_ms')) {
    return 'meshLatency';
  }
  // Every latency part (a quantile or the mean) carries a `quantile` label; the app's requests none.
  return expr.includes('"quantile"') ? 'appLatency' : 'appRequests';
}

function queryOf(expr: string, range: boolean): string {
  const refId = range ? timelineQueryOf(expr) : REF_IDS.get(expr);
  if (!refId) {
    throw new Error(`the benchmark has no answer for ${expr}`);
  }
  return refId;
}

/** The timeline's answer: the flagged services' series of the instant answer, a point per step. */
function rangeAnswer(refId: string, all: Service[], fromMs: number, toMs: number, stepMs: number): Matrix {
  const flagged = all.filter((s) => s.trap || s.slow);
  const times: number[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) {
    times.push(t / 1000);
  }
  return answer(refId, flagged).map(({ metric, value }) => ({
    metric,
    values: times.map((t): [number, string] => [t, value[1]]),
  }));
}

interface Page {
  path: string;
  /** Text the page shows once its rows have rendered. */
  rendered: (n: number) => string;
  /** The range's own queries, which the rows need. */
  rangeQueries: number;
  /** Instant queries in all: the range's, then the recent window's and the earlier window's. */
  queries: number;
  /** Range queries it sends last (the flagged rows' timeline), whose trends it then draws. */
  timelineQueries?: number;
}

const PAGES: Record<string, Page> = {
  overview: {
    path: 'overview?from=now-1h&to=now',
    rendered: (n) => `${n} services`,
    rangeQueries: RANGE_EXPRS.size,
    queries: RANGE_EXPRS.size + RECENT_QUERIES.length,
    timelineQueries: RANGE_QUERIES.length,
  },
  'overview, comparing with 1 h earlier': {
    path: 'overview?from=now-1h&to=now&compare=1h',
    rendered: (n) => `${n} services`,
    rangeQueries: RANGE_EXPRS.size,
    queries: RANGE_EXPRS.size + RECENT_QUERIES.length + BASELINE_QUERIES.length,
    timelineQueries: RANGE_QUERIES.length,
  },
  map: {
    path: 'service-map?from=now-1h&to=now',
    rendered: (n) => `${n} nodes`,
    rangeQueries: RANGE_EXPRS.size + EDGE_QUERIES.length,
    queries: RANGE_EXPRS.size + EDGE_QUERIES.length,
  },
};

interface QueryRequest {
  from?: string;
  to?: string;
  queries?: Array<{ refId: string; expr: string; range?: boolean; intervalMs?: number }>;
}

/**
 * From the arrival of each wave of answers to what the page draws with it: the range's answers to the rows, all
 * instant answers to the rows with the recent window's flags and the baseline, the timeline's to the trends.
 */
interface Measured {
  rows: number;
  windows?: number;
  trends?: number;
}

async function measure(baseUrl: string, page: Page, n: number): Promise<Measured> {
  const all = services(n);
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const bodies = new Map<string, string>();
  /** Answers per wave, to check the page sent what it should. */
  const arrivals = { range: [] as number[], instant: [] as number[], timeline: [] as number[] };
  // Which wave each request belongs to, by URL: the browser's own clock says when its answer arrived.
  const waves = new Map<string, Array<keyof typeof arrivals>>();
  await tab.route('**/api/ds/query**', async (route: Route) => {
    const request = JSON.parse(route.request().postData() ?? '{}') as QueryRequest;
    const queries = request.queries ?? [];
    const timeline = queries.some((q) => q.range === true);
    const key = queries.map((q) => `${q.range === true}:${q.expr}`).join('\n');
    const body =
      bodies.get(key) ??
      JSON.stringify({
        results: Object.fromEntries(
          queries.map((q) => {
            const stepMs = timeline ? (q.intervalMs ?? 60_000) : 15_000;
            const refId = queryOf(q.expr, timeline);
            const data = timeline
              ? {
                  resultType: 'matrix',
                  result: rangeAnswer(refId, all, Number(request.from), Number(request.to), stepMs),
                }
              : { resultType: 'vector', result: answer(refId, all) };
            return [
              q.refId,
              queryDataResponse({ expr: q.expr, stepMs }, 200, JSON.stringify({ status: 'success', data })),
            ];
          })
        ),
      });
    bodies.set(key, body);
    const isRange = (expr: string) => !timeline && (RANGE_EXPRS.has(expr) || page.rangeQueries === page.queries);
    const kinds: Array<keyof typeof arrivals> = [timeline ? 'timeline' : 'instant'];
    if (queries.some((q) => isRange(q.expr))) {
      kinds.push('range');
    }
    waves.set(route.request().url(), kinds);
    for (const q of queries) {
      arrivals[timeline ? 'timeline' : 'instant'].push(1);
      if (isRange(q.expr)) {
        arrivals.range.push(1);
      }
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body });
  });
  /**
   * When the browser had the last answer of a wave, on the page's clock (Resource Timing's responseEnd): the time
   * Playwright takes to hand a multi-megabyte body to the page is not the plugin's.
   */
  const arrived = async (kind: keyof typeof arrivals) => {
    const urls = [...waves].filter(([, kinds]) => kinds.includes(kind)).map(([url]) => url);
    return tab.evaluate(
      (wanted) =>
        Math.max(
          ...performance
            .getEntriesByType('resource')
            .filter((entry) => wanted.includes(entry.name))
            .map((entry) => (entry as PerformanceResourceTiming).responseEnd)
        ),
      urls
    );
  };
  /** Waits until `condition` (a page expression) holds and returns when it first did, on the page's clock. */
  const shownAt = async (condition: string) =>
    (await (
      await tab.waitForFunction(`(${condition}) && performance.now()`, undefined, {
        timeout: 120_000,
        polling: 'raf',
      })
    ).jsonValue()) as number;
  await tab.goto(`${baseUrl}/a/${PLUGIN_ID}/${page.path}`);
  const rowsAt = await shownAt(`document.body.innerText.includes(${JSON.stringify(page.rendered(n))})`);
  const measured: Measured = { rows: Math.round(rowsAt - (await arrived('range'))) };
  if (page.timelineQueries) {
    // The recent window's flags and the baseline are merged in once the notes stop saying they load.
    const windowsAt = await shownAt(
      `document.querySelector('[data-loading]')?.getAttribute('data-loading') !== 'windows'`
    );
    measured.windows = Math.round(windowsAt - (await arrived('instant')));
    // The timeline has loaded (the page says its step) and its trends are drawn.
    const trendsAt = await shownAt(
      `!!document.querySelector('[data-step-seconds]:not([data-step-seconds=""])') && ` +
        `document.querySelectorAll('[data-testid="trend"] canvas').length > 0`
    );
    measured.trends = Math.round(trendsAt - (await arrived('timeline')));
  }
  const expected = [arrivals.range.length, arrivals.instant.length, arrivals.timeline.length];
  const wanted = [page.rangeQueries, page.queries, page.timelineQueries ?? 0];
  if (expected.join() !== wanted.join()) {
    throw new Error(`answers (range, instant, timeline) ${expected.join(', ')}, expected ${wanted.join(', ')}`);
  }
  await browser.close();
  return measured;
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const store = await startVictoriaMetrics();
  const preview = await startPreview({
    prometheus: store.url,
    port: 0,
    scenario: 'demo',
    live: false,
    log: () => undefined,
  });
  try {
    process.stdout.write(
      'page | services | range answers → rows | all instant answers → recent flags and baseline | timeline answers → trends (medians; runs in ms)\n'
    );
    for (const [name, n] of [
      ['overview', 1000],
      ['overview, comparing with 1 h earlier', 1000],
      ['overview', 5000],
      ['overview, comparing with 1 h earlier', 5000],
      ['map', 1000],
    ] as const) {
      const runs: Measured[] = [];
      for (let i = 0; i < Number(values.runs); i++) {
        runs.push(await measure(preview.url, PAGES[name], n));
      }
      const column = (pick: (m: Measured) => number | undefined) => {
        const list = runs.flatMap((r) => (pick(r) === undefined ? [] : [pick(r)!]));
        const median = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
        return list.length > 0 ? `${median} ms (${list.join(', ')})` : '–';
      };
      process.stdout.write(
        `${name} | ${n} | ${column((m) => m.rows)} | ${column((m) => m.windows)} | ${column((m) => m.trends)}\n`
      );
      process.stdout.write(
        `  (load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(', ')})\n`
      );
    }
  } finally {
    await preview.stop();
    await store.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
