/**
 * The clients against a store that fails on demand (tests/shared/faultStore.ts, in front of a real
 * VictoriaMetrics loaded with the demo): every fault of FAULTS, met by the Node client the tests and the benchmark
 * use (scripts/lib/promHttpApi.ts) and by the preview's stand-in for Grafana's `/api/ds/query` (what the plugin's
 * pages read), must fail in bounded time with a message that names the cause; one failed query of a view must cost
 * only its own figures. The pages meet the same faults in the browser (tests/browser/faults.spec.ts).
 */
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import { PREVIEW_DATASOURCE } from '../../preview/constants';
import { dsQuery } from '../../preview/server/grafanaApi';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { runOverview } from '../../src/boundary/runOverview';
import { runServiceMap } from '../../src/boundary/runServiceMap';
import { fetchCardinality } from '../../src/cardinality';
import { PromQueryError } from '../../src/query/promApi';
import { meshMatchers } from '../../src/query/schema';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { FAULTS, startFaultStore, type Fault, type FaultStore } from '../shared/faultStore';
import { loadScenarioInto, type LoadedStore } from './harness';

const TIMEOUT_MS = 1500;
/** The latency histogram: one query of the overview's five, three of the map's ten, the mesh layer's count. */
const ONE_OF_FOUR = 'response_latency_ms_bucket';

const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: PREVIEW_DATASOURCE.uid,
  joinOverrides: scenarioOverrides(demoScenario()),
};

/** What each fault must be called, by the Node client (kind and message) and by the preview's Grafana. */
const EXPECTED: Record<Exclude<Fault, 'none'>, { kind: string; client: RegExp; grafana: RegExp }> = {
  refuse: {
    kind: 'network',
    client:
      /^the metrics datasource cannot be reached at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: fetch failed \(connect ECONNREFUSED/,
    grafana: /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": connect ECONNREFUSED/,
  },
  'http-400': {
    kind: 'http',
    client: /^the metrics datasource rejected the query: injected fault: bad_data$/,
    grafana: /^bad_data: injected fault: bad_data$/,
  },
  'http-500': {
    kind: 'http',
    client: /^the metrics datasource failed \(HTTP 500\): injected fault: internal error$/,
    grafana: /^unexpected response with status code 500: injected fault: internal error/,
  },
  'not-json': {
    kind: 'bad-response',
    client: /^the metrics datasource answered with something that is not Prometheus JSON$/,
    grafana: /^response from prometheus couldn't be parsed\. it is non-json: /,
  },
  'truncated-json': {
    kind: 'bad-response',
    client: /^the metrics datasource answered with something that is not Prometheus JSON$/,
    grafana: /^response from prometheus couldn't be parsed\. it is non-json: /,
  },
  'stall-headers': {
    kind: 'timeout',
    client: /^the metrics datasource did not answer within 2 s$/,
    grafana:
      /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": (TimeoutError: )?The operation was aborted due to timeout$/,
  },
  'stall-body': {
    kind: 'timeout',
    client: /^the metrics datasource did not answer within 2 s$/,
    grafana:
      /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": (TimeoutError: )?The operation was aborted due to timeout$/,
  },
  reset: {
    kind: 'network',
    client:
      /^the metrics datasource cannot be reached at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query: fetch failed \((other side closed|socket hang up|read ECONNRESET)\)$/,
    grafana: /^Post "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query": (other side closed|socket hang up|read ECONNRESET)$/,
  },
};

describe('the clients against a store that fails', () => {
  let loaded: LoadedStore;
  let faults: FaultStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', demoScenario(), {
      schema: 'otel',
      semconv: 'stable',
      minutes: 20,
    });
    faults = await startFaultStore(loaded.store.url);
  });
  afterAll(async () => {
    await faults?.close();
    await loaded?.store.stop();
  });
  afterEach(async () => {
    await faults.set({ fault: 'none' });
  });

  describe.each(FAULTS)('%s', (fault) => {
    const expected = EXPECTED[fault];

    it('the Node client fails with the cause, in bounded time', async () => {
      await faults.set({ fault });
      const api = createPromHttpApi({ baseUrl: faults.url, timeoutMs: 2000 });
      const started = Date.now();
      const error = await api.instant('count(response_total)', loaded.endMs / 1000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PromQueryError);
      expect({ kind: (error as PromQueryError).kind, message: (error as PromQueryError).message }).toEqual({
        kind: expected.kind,
        message: expect.stringMatching(expected.client),
      });
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('the preview’s Grafana answers the query with the cause, in bounded time', async () => {
      await faults.set({ fault });
      const started = Date.now();
      const answer = await dsQuery(
        [{ ...PREVIEW_DATASOURCE, url: faults.url }],
        JSON.stringify({
          queries: [{ refId: 'A', datasource: { uid: PREVIEW_DATASOURCE.uid }, expr: 'count(up)', instant: true }],
        }),
        TIMEOUT_MS
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).results.A.error).toMatch(expected.grafana);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('one query of four fails (the latency histogram, HTTP 500)', () => {
    const api = () => createPromHttpApi({ baseUrl: faults.url, timeoutMs: 5000 });

    it('the overview keeps every row and names the one query that failed', async () => {
      const { rows: all } = await runOverview(api(), settings, loaded.window(10));
      await faults.set({ fault: 'http-500', match: ONE_OF_FOUR });
      const { rows, failures } = await runOverview(api(), settings, loaded.window(10));
      expect(failures.map((f) => f.refId)).toEqual(['meshLatency']);
      // The same services with the same rates; only the latency figures (and the flags they raise) are missing.
      const rates = (list: typeof rows) =>
        list.map((r) => [r.key, r.mesh?.rps, r.app?.rps]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(rates(rows)).toEqual(rates(all));
      expect(all.find((r) => r.key === 'shop/inventory')?.flags.map((f) => f.id)).toContain('boundary-latency');
      expect(rows.every((r) => r.mesh === undefined || r.mesh.latency.p95 === undefined)).toBe(true);
    });

    it('the map keeps every edge without its p95, and names the three latency queries', async () => {
      const { edges: all } = await runServiceMap(api(), settings, loaded.window(10));
      await faults.set({ fault: 'http-500', match: ONE_OF_FOUR });
      const map = await runServiceMap(api(), settings, loaded.window(10));
      expect(map.failures.map((f) => f.refId)).toEqual(['meshLatency', 'calleeLatency', 'callerLatency']);
      expect(map.edges.map((e) => [e.id, e.rps])).toEqual(all.map((e) => [e.id, e.rps]));
      expect(all.some((e) => e.p95 !== undefined)).toBe(true);
      expect(map.edges.every((e) => e.p95 === undefined)).toBe(true);
    });

    it('the cardinality budget measures the app layer and lists the mesh layer it could not count', async () => {
      await faults.set({ fault: 'http-500', match: ONE_OF_FOUR });
      const report = await fetchCardinality(api(), {
        settings,
        mesh: meshMatchers(settings),
        timeSeconds: loaded.endMs / 1000,
      });
      expect(report.gaps).toEqual([
        {
          layer: 'mesh',
          reason:
            'its series could not be counted: the metrics datasource failed (HTTP 500): injected fault: internal error',
        },
      ]);
      expect(report.families.length).toBeGreaterThan(0);
      expect(report.families.every((f) => f.layer === 'app')).toBe(true);
      expect(report.absentFamilies.every((f) => f.layer === 'app')).toBe(true);
    });
  });
});
