/**
 * Render benchmark: how long a page takes from the arrival of its query answers to its rendered content, in the
 * preview in Chromium: the overview at 1,000 and 5,000 services, the service map at 1,000. The answers are
 * synthesised per refId (one series per service and outcome, as the real queries return them), turned into data
 * frames by the preview's port of Grafana's Prometheus backend (preview/server/promFrames.ts) and delivered by the
 * browser's request routing, so the figure covers the plugin's own work: reading frames, aggregation, join,
 * detection, edge pairing, sorting and rendering. The preview draws the map with its node-graph stand-in; Grafana's
 * own node graph lays the nodes out with its own cost, which this figure does not include.
 *
 *   npx tsx scripts/bench-render.ts [--runs 3]
 */
import { chromium, type Route } from '@playwright/test';
import { parseArgs } from 'node:util';
import { PLUGIN_ID } from '../src/constants';
import { CHROMIUM_LAUNCH } from '../tests/browser/chromium';
import { queryDataResponse } from '../preview/server/promFrames';
import { buildEdgeQueries } from '../src/query/edgeQueries';
import { buildOverviewQueries } from '../src/query/overviewQueries';
import { buildCoverageQuery } from '../src/query/recordedQueries';
import { DEFAULT_SETTINGS } from '../src/settings/types';
import { startPreview } from './preview';
import { startVictoriaMetrics } from './lib/stores';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;

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

/** The pages' own queries for the preview's settings over the hour they show, by expression. */
const WINDOW_SECONDS = 3600;
const SETTINGS = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'preview-metrics' };
const OVERVIEW_QUERIES = buildOverviewQueries({ settings: SETTINGS, windowSeconds: WINDOW_SECONDS });
const EDGE_QUERIES = buildEdgeQueries(SETTINGS, WINDOW_SECONDS, { kind: 'mesh' });
// The check for recorded series is answered with none: the pages read the raw series, as without the rules.
const COVERAGE = { refId: 'coverage', expr: buildCoverageQuery({ settings: SETTINGS, windowSeconds: WINDOW_SECONDS }) };
const REF_IDS = new Map<string, string>([COVERAGE, ...OVERVIEW_QUERIES, ...EDGE_QUERIES].map((q) => [q.expr, q.refId]));

function queryOf(expr: string): string {
  const refId = REF_IDS.get(expr);
  if (!refId) {
    throw new Error(`the benchmark has no answer for ${expr}`);
  }
  return refId;
}

interface Page {
  path: string;
  /** Text the page shows once it has rendered everything. */
  rendered: (n: number) => string;
  /** Queries the page sends before it can render. */
  queries: number;
}

const PAGES: Record<string, Page> = {
  overview: { path: 'overview', rendered: (n) => `${n} services`, queries: 1 + OVERVIEW_QUERIES.length },
  map: {
    path: 'service-map',
    rendered: (n) => `${n} nodes`,
    queries: 1 + OVERVIEW_QUERIES.length + EDGE_QUERIES.length,
  },
};

async function measure(baseUrl: string, page: Page, n: number): Promise<number> {
  const all = services(n);
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const bodies = new Map<string, string>();
  let answered = 0;
  let lastAnswerAt = 0;
  await tab.route('**/api/ds/query**', async (route: Route) => {
    const request = JSON.parse(route.request().postData() ?? '{}') as {
      queries?: Array<{ refId: string; expr: string }>;
    };
    const queries = request.queries ?? [];
    const key = queries.map((q) => q.expr).join('\n');
    const body =
      bodies.get(key) ??
      JSON.stringify({
        results: Object.fromEntries(
          queries.map((q) => [
            q.refId,
            queryDataResponse(
              { expr: q.expr, stepMs: 15_000 },
              200,
              JSON.stringify({
                status: 'success',
                data: { resultType: 'vector', result: answer(queryOf(q.expr), all) },
              })
            ),
          ])
        ),
      });
    bodies.set(key, body);
    answered += queries.length;
    if (answered >= page.queries) {
      lastAnswerAt = Date.now();
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body });
  });
  await tab.goto(`${baseUrl}/a/${PLUGIN_ID}/${page.path}?from=now-1h&to=now`);
  await tab.waitForFunction((text) => document.body.innerText.includes(text), page.rendered(n), {
    timeout: 120_000,
    polling: 'raf',
  });
  const renderedAt = Date.now();
  await browser.close();
  return renderedAt - lastAnswerAt;
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
    process.stdout.write('page | services | data arrival → rendered (median of runs) | runs (ms)\n');
    for (const [name, n] of [
      ['overview', 1000],
      ['overview', 5000],
      ['map', 1000],
    ] as const) {
      const runs: number[] = [];
      for (let i = 0; i < Number(values.runs); i++) {
        runs.push(await measure(preview.url, PAGES[name], n));
      }
      const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
      process.stdout.write(`${name} | ${n} | ${median} ms | ${runs.join(', ')}\n`);
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
