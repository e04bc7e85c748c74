/**
 * Render benchmark: how long the overview takes from the arrival of its query answers to the rendered rows,
 * for 1,000 and 5,000 services, in the preview in Chromium. The store's answers are synthesised (one series
 * per service and outcome, as the real queries return them) and delivered by the browser's request routing,
 * so the figure covers the plugin's own work: parsing, aggregation, join, detection, sorting and rendering.
 *
 *   npx tsx scripts/bench-render.ts [--runs 3]
 */
import { chromium, type Route } from '@playwright/test';
import { parseArgs } from 'node:util';
import { PLUGIN_ID } from '../src/constants';
import { CHROMIUM_LAUNCH } from '../tests/browser/chromium';
import { startPreview } from './preview';
import { startVictoriaMetrics } from './lib/stores';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;

function services(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    ns: `team-${Math.floor(i / 50)}`,
    name: `svc-${i}`,
    trap: i % 37 === 0,
    slow: i % 41 === 0,
  }));
}

/** The answer each overview query would get from a store holding `n` services. */
function answer(query: string, n: number): Vector {
  const now = Date.now() / 1000;
  const mesh = (ns: string, name: string) => ({ k8s_namespace_name: ns, k8s_deployment_name: name });
  const app = (ns: string, name: string) => ({ service_name: name, service_namespace: ns, k8s_namespace_name: ns });
  const quantiles = (labels: Record<string, string>, base: number) =>
    ['0.5', '0.95', '0.99'].map((q, i) => ({
      metric: { ...labels, quantile: q },
      value: [now, String(base * (1 + i))] as [number, string],
    }));
  const out: Vector = [];
  for (const s of services(n)) {
    if (query.includes('response_latency_ms_bucket')) {
      out.push(...quantiles(mesh(s.ns, s.name), s.slow ? 180 : 20));
    } else if (query.includes('response_total')) {
      out.push({
        metric: { ...mesh(s.ns, s.name), classification: 'success', status_code: '200', grpc_status: '0' },
        value: [now, '9.2'],
      });
      if (s.trap) {
        out.push({
          metric: { ...mesh(s.ns, s.name), classification: 'failure', status_code: '200', grpc_status: '14' },
          value: [now, '0.8'],
        });
      }
    } else if (query.includes('_bucket')) {
      out.push(...quantiles(app(s.ns, s.name), 0.019));
    } else {
      out.push({
        metric: { ...app(s.ns, s.name), rpc_response_status_code: 'OK' },
        value: [now, s.trap ? '9.2' : '10'],
      });
    }
  }
  return out;
}

async function measure(baseUrl: string, n: number): Promise<number> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const bodies = new Map<string, string>();
  let answered = 0;
  let lastAnswerAt = 0;
  await page.route('**/api/datasources/proxy/**', async (route: Route) => {
    const query = new URLSearchParams(route.request().postData() ?? '').get('query') ?? '';
    const body =
      bodies.get(query) ??
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: answer(query, n) } });
    bodies.set(query, body);
    answered++;
    if (answered === 4) {
      lastAnswerAt = Date.now();
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body });
  });
  await page.goto(`${baseUrl}/a/${PLUGIN_ID}/overview`);
  await page.waitForFunction((count) => document.body.innerText.includes(`${count} services`), n, {
    timeout: 60_000,
    polling: 'raf',
  });
  const renderedAt = await page.evaluate(() => Date.now());
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
    process.stdout.write('services | data arrival → rows rendered (median of runs) | runs (ms)\n');
    for (const n of [1000, 5000]) {
      const runs: number[] = [];
      for (let i = 0; i < Number(values.runs); i++) {
        runs.push(await measure(preview.url, n));
      }
      const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
      process.stdout.write(`${n} | ${median} ms | ${runs.join(', ')}\n`);
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
