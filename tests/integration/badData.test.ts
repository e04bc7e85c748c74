/**
 * What the overview shows when the data is not the happy path: empty ranges, missing layers, counter resets,
 * idle services, hostile names, and metric datasources that fail. Real VictoriaMetrics processes hold small
 * hand-made series (Prometheus text format, millisecond timestamps); a real Prometheus holds the idle case,
 * because it answers NaN where VictoriaMetrics drops the series; a tiny local HTTP server plays a failing
 * datasource. Every case checks what the user would see: the rows, or the error message.
 */
import { createServer, type Server } from 'node:http';
import { EmptyRangeError, runOverview, type TimeWindow } from '../../src/boundary/runOverview';
import { runServiceMap } from '../../src/boundary/runServiceMap';
import type { ServiceRow } from '../../src/boundary/types';
import { sampleLine } from '../../generator/exposition';
import { PromQueryError, type MetricsApi } from '../../src/query/promApi';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import {
  freePort,
  importIntoVictoriaMetrics,
  startPrometheus,
  startVictoriaMetrics,
  type RunningStore,
} from '../../scripts/lib/stores';

type Labels = Record<string, string>;

const STEP_MS = 15_000;
const MINUTE_MS = 60_000;
// One hour of data ending a minute ago; the overview reads its middle 30 minutes.
const END_MS = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
const START_MS = END_MS - 60 * MINUTE_MS;
const WINDOW: TimeWindow = { from: START_MS / 1000 + 15 * 60, to: START_MS / 1000 + 45 * 60 };

const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'test',
  labelSchema: 'otel',
  semconv: 'stable',
};

/** One series over the hour, one sample every 15 s; `valueAt` takes the seconds since the start. */
function series(
  name: string,
  labels: Labels,
  valueAt: (elapsedSeconds: number) => number,
  unit: 'ms' | 's' = 'ms'
): string[] {
  const lines: string[] = [];
  for (let t = START_MS; t <= END_MS; t += STEP_MS) {
    lines.push(sampleLine(name, labels, valueAt((t - START_MS) / 1000), unit === 'ms' ? t : t / 1000));
  }
  return lines;
}

/** Same, with the label set written out by hand (already escaped for the text format). */
function rawSeries(name: string, escapedLabels: string, valueAt: (elapsedSeconds: number) => number): string[] {
  const lines: string[] = [];
  for (let t = START_MS; t <= END_MS; t += STEP_MS) {
    lines.push(`${name}{${escapedLabels}} ${valueAt((t - START_MS) / 1000)} ${t}`);
  }
  return lines;
}

const growing = (perSecond: number) => (s: number) => Math.floor(perSecond * s);
const flat = (value: number) => () => value;

function meshLabels(namespace: string, deployment: string, extra: Labels): Labels {
  return {
    layer: 'mesh',
    job: 'linkerd-proxy',
    direction: 'inbound',
    tls: 'true',
    k8s_namespace_name: namespace,
    k8s_deployment_name: deployment,
    k8s_pod_name: `${deployment}-7d9f8b6c5d-x2x4q`,
    ...extra,
  };
}

function appLabels(namespace: string, service: string, extra: Labels): Labels {
  return { service_name: service, service_namespace: namespace, job: `${namespace}/${service}`, ...extra };
}

/** An app histogram in seconds: half the requests under 25 ms, all under 50 ms, so p50 = 25 ms and p95 = 47.5 ms. */
function appHistogram(base: string, labels: Labels, perSecond: number): string[] {
  return [
    ...series(`${base}_bucket`, { ...labels, le: '0.025' }, growing(perSecond / 2)),
    ...series(`${base}_bucket`, { ...labels, le: '0.05' }, growing(perSecond)),
    ...series(`${base}_bucket`, { ...labels, le: '+Inf' }, growing(perSecond)),
    ...series(`${base}_count`, labels, growing(perSecond)),
    ...series(`${base}_sum`, labels, (s) => perSecond * s * 0.03),
  ];
}

/** A pod restarts 30 min 7 s in (between two scrapes): its counters drop from ~60 000 to 0 and grow again. */
const RESTART_SECONDS = 30 * 60 + 7;
const resetting = (perSecond: number) => (s: number) =>
  s < RESTART_SECONDS ? 50_000 + Math.floor(perSecond * s) : Math.floor(perSecond * (s - RESTART_SECONDS));

const HOSTILE_NAMESPACE = 'ns"x';
const HOSTILE_SERVICE = 'pay"ments\\zü-東京';
/** A namespace whose name is the hostile one with its quote escaped once: wrong escaping would confuse the two. */
const DECOY_NAMESPACE = 'ns\\"x';

function mainStoreLines(): string[] {
  return [
    // (c) restarts/reset: 9.5 rps succeed and 0.5 rps fail, both counters reset mid-window.
    ...series(
      'response_total',
      meshLabels('reset', 'restarts', { classification: 'success', status_code: '200' }),
      resetting(9.5)
    ),
    ...series(
      'response_total',
      meshLabels('reset', 'restarts', { classification: 'failure', status_code: '500' }),
      resetting(0.5)
    ),
    // (d) idle/flat: counters that stopped moving long ago, latency buckets included.
    ...idleLines('ms'),
    // (e) the hostile names, escaped by hand for the text format: \" for a quote, \\ for a backslash.
    ...rawSeries(
      'response_total',
      String.raw`layer="mesh",job="linkerd-proxy",direction="inbound",k8s_namespace_name="ns\"x",k8s_deployment_name="pay\"ments\\zü-東京",classification="success",status_code="200"`,
      growing(12)
    ),
    ...rawSeries(
      'http_server_request_duration_seconds_count',
      String.raw`service_name="pay\"ments\\zü-東京",service_namespace="ns\"x",http_response_status_code="200"`,
      growing(12)
    ),
    ...rawSeries(
      'response_total',
      String.raw`layer="mesh",job="linkerd-proxy",direction="inbound",k8s_namespace_name="ns\\\"x",k8s_deployment_name="decoy",classification="success",status_code="200"`,
      growing(3)
    ),
    ...series(
      'response_total',
      meshLabels('ns', 'pay"ments', { classification: 'success', status_code: '200' }),
      growing(4)
    ),
  ];
}

/** (d) `idle/flat` has not moved for the whole hour; `idle/no-latency` serves 5 rps but its latency buckets are flat. */
function idleLines(unit: 'ms' | 's'): string[] {
  const lines: string[] = [];
  const ok = { classification: 'success', status_code: '200' };
  lines.push(...series('response_total', meshLabels('idle', 'flat', ok), flat(1234), unit));
  lines.push(...series('response_total', meshLabels('idle', 'no-latency', ok), growing(5), unit));
  for (const deployment of ['flat', 'no-latency']) {
    const labels = meshLabels('idle', deployment, { status_code: '200' });
    for (const [le, value] of [
      ['10', 1000],
      ['100', 1230],
      ['+Inf', 1234],
    ] as const) {
      lines.push(...series('response_latency_ms_bucket', { ...labels, le }, flat(value), unit));
    }
    lines.push(...series('response_latency_ms_count', labels, flat(1234), unit));
    lines.push(...series('response_latency_ms_sum', labels, flat(20_000), unit));
  }
  return lines;
}

function appOnlyLines(): string[] {
  return [
    ...appHistogram(
      'http_server_request_duration_seconds',
      appLabels('pay', 'billing', { http_response_status_code: '200' }),
      20
    ),
    ...appHistogram(
      'http_server_request_duration_seconds',
      appLabels('pay', 'billing', { http_response_status_code: '500' }),
      0.2
    ),
    ...appHistogram(
      'rpc_server_call_duration_seconds',
      appLabels('pay', 'ledger', { rpc_response_status_code: 'OK' }),
      10
    ),
  ];
}

function byKey(rows: ServiceRow[], key: string): ServiceRow {
  const row = rows.find((r) => r.key === key);
  if (!row) {
    throw new Error(`${key} is missing; rows: ${rows.map((r) => r.key).join(', ')}`);
  }
  return row;
}

function withinPercent(measured: number | undefined, expected: number, percent: number): boolean {
  return measured !== undefined && Math.abs(measured - expected) <= (percent / 100) * expected;
}

/** Every number a row carries, wherever it is: none may be NaN or infinite. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') {
    return [value];
  }
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap(numbersIn);
  }
  return [];
}

describe('overview on bad and unusual data', () => {
  const stores: RunningStore[] = [];
  let main: MetricsApi;
  let appOnly: MetricsApi;
  let empty: MetricsApi;
  let prometheusIdle: MetricsApi;
  /** A VictoriaMetrics allowed to select only 5 series per query, holding more. */
  let limited: MetricsApi;

  beforeAll(async () => {
    const start = async (lines: string[], args: string[] = []) => {
      const store = await startVictoriaMetrics({ args });
      stores.push(store);
      if (lines.length > 0) {
        await importIntoVictoriaMetrics(store.url, [lines.join('\n') + '\n']);
      }
      return createPromHttpApi({ baseUrl: store.url });
    };
    main = await start(mainStoreLines());
    appOnly = await start(appOnlyLines());
    empty = await start([]);
    limited = await start(appOnlyLines(), ['-search.maxUniqueTimeseries=5']);
    const prometheus = await startPrometheus({ backfill: [idleLines('s').join('\n') + '\n'] });
    stores.push(prometheus);
    prometheusIdle = createPromHttpApi({ baseUrl: prometheus.url });
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.stop()));
  });

  describe('(a) an empty time range', () => {
    const EMPTY = 'The time range is empty: pick a range whose end is after its start.';
    it.each([
      ['from equals to', { from: WINDOW.to, to: WINDOW.to }, EMPTY],
      ['from after to', { from: WINDOW.to, to: WINDOW.from }, EMPTY],
      [
        'under a second',
        { from: WINDOW.to - 0.4, to: WINDOW.to },
        'The time range is shorter than a second: pick a longer range.',
      ],
    ])('%s: rejected before any query, with a message saying what to change', async (_, window, message) => {
      const calls: string[] = [];
      const counting: MetricsApi = { ...main, instant: (expr, time) => (calls.push(expr), main.instant(expr, time)) };
      await expect(runOverview(counting, settings, window)).rejects.toThrow(EmptyRangeError);
      await expect(runOverview(counting, settings, window)).rejects.toThrow(message);
      expect(calls).toEqual([]);
    });

    it('the service map refuses it too, before any query', async () => {
      const calls: string[] = [];
      const counting: MetricsApi = { ...main, instant: (expr, time) => (calls.push(expr), main.instant(expr, time)) };
      await expect(runServiceMap(counting, settings, { from: WINDOW.to, to: WINDOW.to })).rejects.toThrow(
        EmptyRangeError
      );
      expect(calls).toEqual([]);
    });
  });

  describe('(b) missing layers', () => {
    it('a store without any mesh family lists the instrumented services as app only', async () => {
      const { rows } = await runOverview(appOnly, settings, WINDOW);
      expect(
        rows.map((r) => ({ key: r.key, coverage: r.coverage, flags: r.flags.map((f) => f.id), mesh: r.mesh }))
      ).toEqual([
        { key: 'pay/billing', coverage: 'app-only', flags: ['coverage'], mesh: undefined },
        { key: 'pay/ledger', coverage: 'app-only', flags: ['coverage'], mesh: undefined },
      ]);
      const billing = byKey(rows, 'pay/billing');
      expect(billing.app?.rps).toBeCloseTo(20.2, 2);
      expect(billing.app?.successRate).toBeCloseTo(20 / 20.2, 4);
      expect(billing.app?.latency.p50).toBeCloseTo(25, 3);
      expect(billing.app?.latency.p95).toBeCloseTo(47.5, 3);
      const ledger = byKey(rows, 'pay/ledger');
      expect(ledger.app?.rps).toBeCloseTo(10, 2);
      expect(ledger.app?.successRate).toBe(1);
      expect(ledger.app?.protocols).toEqual(['rpc']);
    });

    it('a store with nothing in it gives no rows and no error', async () => {
      const { rows, queries } = await runOverview(empty, settings, WINDOW);
      expect(rows).toEqual([]);
      expect(queries).toHaveLength(11);
    });
  });

  describe('(f) a real store refusing a query', () => {
    it('VictoriaMetrics over its series limit: each refused query carries the store’s own advice', async () => {
      // The app quantiles read more than 5 bucket series and are refused, reported once as the app latency query;
      // the others answer (the mean from _sum and _count too, a request of its own), and the page shows their figures.
      const { rows, failures } = await runOverview(limited, settings, WINDOW);
      expect(failures.map((f) => f.refId)).toEqual(['appLatency']);
      expect(rows.map((r) => [r.key, r.app?.rps !== undefined, r.app?.latency])).toEqual([
        ['pay/billing', true, { mean: 30 }],
        ['pay/ledger', true, { mean: 30 }],
      ]);
      for (const { message } of failures) {
        // The store's reason and advice, without the long query it echoes.
        expect(message).toMatch(
          /^the metrics datasource rejected the query: the number of matching timeseries exceeds 5; either narrow down the search or increase -search\.max\* command-line flag values/
        );
      }
      // Every query refused: the first refusal is the page's error.
      const all: MetricsApi = {
        ...limited,
        instant: () => limited.instant('sum(rate(http_server_request_duration_seconds_bucket[1m]))', WINDOW.to),
      };
      const error: unknown = await runOverview(all, settings, WINDOW).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PromQueryError);
      expect(error).toMatchObject({ kind: 'http', status: 422 });
    });
  });

  describe('(c) a counter reset mid-window', () => {
    it('keeps the rate and the success rate within 1 % (only the requests between the last scrape and the restart are lost)', async () => {
      const { rows } = await runOverview(main, settings, WINDOW);
      const row = byKey(rows, 'reset/restarts');
      // 7 s of 1800 s are never scraped: 0.4 % low. Without reset handling the rate would be negative or ~30× off.
      expect({ rps: row.mesh?.rps, ok: withinPercent(row.mesh?.rps, 10, 1) }).toEqual({ rps: row.mesh?.rps, ok: true });
      expect({ success: row.mesh?.successRate, ok: withinPercent(row.mesh?.successRate, 0.95, 1) }).toEqual({
        success: row.mesh?.successRate,
        ok: true,
      });
    });
  });

  describe('(d) zero traffic', () => {
    it.each([
      ['VictoriaMetrics', () => main],
      ['Prometheus (answers NaN for the quantiles of empty buckets)', () => prometheusIdle],
    ])('%s: a flat counter is 0 rps with no success rate and no latency, never NaN or 0 ms', async (_, api) => {
      const { rows } = await runOverview(api(), settings, WINDOW);
      const idle = byKey(rows, 'idle/flat');
      expect(idle.mesh).toEqual({
        rps: 0,
        successRate: undefined,
        latency: {},
        grpcTrapShare: undefined,
        grpcTrapCodes: [],
        httpErrorShare: undefined,
      });
      expect(idle.flags.map((f) => f.id)).toEqual(['coverage']);
      // Traffic without latency data (buckets flat): rates are there, quantiles are not made up.
      const noLatency = byKey(rows, 'idle/no-latency');
      expect(noLatency.mesh?.rps).toBeCloseTo(5, 2);
      expect(noLatency.mesh?.successRate).toBe(1);
      expect(noLatency.mesh?.latency).toEqual({});
      expect(rows.flatMap(numbersIn).filter((n) => !Number.isFinite(n))).toEqual([]);
    });

    it('Prometheus really answers NaN there, so the case above is the NaN path', async () => {
      const samples = await prometheusIdle.instant(
        'histogram_quantile(0.5, sum by (k8s_deployment_name, le) (rate(response_latency_ms_bucket[30m])))',
        WINDOW.to
      );
      expect(samples.map((s) => [s.labels.k8s_deployment_name, s.value]).sort()).toEqual([
        ['flat', NaN],
        ['no-latency', NaN],
      ]);
    });
  });

  describe('(e) names with quotes, backslashes and unicode', () => {
    it('the store holds exactly the names that were written', async () => {
      const samples = await main.instant(
        'group by (k8s_namespace_name, k8s_deployment_name) (response_total)',
        WINDOW.to
      );
      const names = samples.map((s) => `${s.labels.k8s_namespace_name}/${s.labels.k8s_deployment_name}`);
      expect(names).toEqual(
        expect.arrayContaining([`${HOSTILE_NAMESPACE}/${HOSTILE_SERVICE}`, `${DECOY_NAMESPACE}/decoy`])
      );
    });

    it('the overview shows the service under exactly its name, both layers joined', async () => {
      const { rows } = await runOverview(main, settings, WINDOW);
      const row = byKey(rows, `${HOSTILE_NAMESPACE}/${HOSTILE_SERVICE}`);
      expect({ namespace: row.namespace, service: row.service, coverage: row.coverage }).toEqual({
        namespace: HOSTILE_NAMESPACE,
        service: HOSTILE_SERVICE,
        coverage: 'both',
      });
      expect(row.mesh?.rps).toBeCloseTo(12, 2);
      expect(row.app?.rps).toBeCloseTo(12, 2);
    });

    it.each([
      [HOSTILE_NAMESPACE, [`${HOSTILE_NAMESPACE}/${HOSTILE_SERVICE}`]],
      [DECOY_NAMESPACE, [`${DECOY_NAMESPACE}/decoy`]],
      ['ns', ['ns/pay"ments']],
    ])('filtered to namespace %s, it returns exactly that namespace’s service', async (namespace, keys) => {
      const { rows, queries } = await runOverview(main, settings, WINDOW, { namespace });
      expect(rows.map((r) => r.key)).toEqual(keys);
      expect(queries).toHaveLength(11);
    });
  });
});

describe('(f) a metrics datasource that fails', () => {
  let server: Server;
  let base: string;
  const TIME = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const json = (status: number, body: unknown) =>
        response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      const text = (status: number, body: string, type = 'text/plain') =>
        response.writeHead(status, { 'Content-Type': type }).end(body);
      switch ((request.url ?? '').split('/')[1]) {
        case 'bad-query':
          return json(400, {
            status: 'error',
            errorType: 'bad_data',
            error: 'invalid parameter "query": 1:14: parse error: unexpected "}"',
          });
        case 'too-heavy':
          return json(422, {
            status: 'error',
            errorType: 'execution',
            error: 'query processing would load too many samples into memory',
          });
        case 'crash':
          return text(500, 'runtime error: invalid memory address or nil pointer dereference\n');
        case 'unavailable':
          return text(503, 'no healthy upstream');
        case 'locked':
          return text(401, 'Unauthorized');
        case 'missing':
          return text(404, '404 page not found\n');
        case 'login':
          return text(200, '<!doctype html><html><title>Sign in</title></html>', 'text/html');
        case 'matrix':
          return json(200, { status: 'success', data: { resultType: 'matrix', result: [] } });
        case 'hang':
          return; // never answers
        default:
          return text(500, 'unexpected path in the test server');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function failure(promise: Promise<unknown>): Promise<{ kind: string; status?: number; message: string }> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(PromQueryError);
      const { kind, status, message } = error as PromQueryError;
      return status === undefined ? { kind, message } : { kind, status, message };
    }
    throw new Error('the query succeeded');
  }

  const query = (path: string, timeoutMs?: number) =>
    createPromHttpApi({ baseUrl: `${base}/${path}`, timeoutMs }).instant('sum(rate(response_total[5m]))', TIME);

  it.each([
    [
      'bad-query',
      {
        kind: 'http',
        status: 400,
        message:
          'the metrics datasource rejected the query: invalid parameter "query": 1:14: parse error: unexpected "}"',
      },
    ],
    [
      'too-heavy',
      {
        kind: 'http',
        status: 422,
        message: 'the metrics datasource rejected the query: query processing would load too many samples into memory',
      },
    ],
    [
      'crash',
      {
        kind: 'http',
        status: 500,
        message:
          'the metrics datasource failed (HTTP 500): runtime error: invalid memory address or nil pointer dereference',
      },
    ],
    [
      'unavailable',
      { kind: 'http', status: 503, message: 'the metrics datasource failed (HTTP 503): no healthy upstream' },
    ],
    [
      'locked',
      {
        kind: 'http',
        status: 401,
        message: 'the metrics datasource refused the request (HTTP 401): check its credentials',
      },
    ],
    [
      'missing',
      {
        kind: 'http',
        status: 404,
        message: 'the metrics datasource has no Prometheus API at this URL (HTTP 404)',
      },
    ],
    [
      'login',
      { kind: 'bad-response', message: 'the metrics datasource answered with something that is not Prometheus JSON' },
    ],
    ['matrix', { kind: 'bad-response', message: 'expected an instant vector, got matrix' }],
  ])('%s: the user reads what went wrong', async (path, expected) => {
    expect(await failure(query(path))).toEqual(expected);
  });

  it('a timeout under a second is stated in milliseconds', async () => {
    expect(await failure(query('hang', 300))).toEqual({
      kind: 'timeout',
      message: 'the metrics datasource did not answer within 300 ms',
    });
  });

  it('a datasource that never answers times out with the time it was given', async () => {
    const started = Date.now();
    expect(await failure(query('hang', 1000))).toEqual({
      kind: 'timeout',
      message: 'the metrics datasource did not answer within 1 s',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a closed port is a network error', async () => {
    const port = await freePort();
    const api = createPromHttpApi({ baseUrl: `http://127.0.0.1:${port}` });
    const { kind, message } = await failure(api.instant('up', TIME));
    expect(kind).toBe('network');
    // Where and why: the URL without its query, and the socket error fetch keeps in its cause.
    expect(message).toBe(
      `the metrics datasource cannot be reached at http://127.0.0.1:${port}/api/v1/query: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`
    );
  });

  it('the overview passes the datasource’s error on unchanged', async () => {
    const api = createPromHttpApi({ baseUrl: `${base}/unavailable` });
    expect(await failure(runOverview(api, settings, WINDOW))).toEqual({
      kind: 'http',
      status: 503,
      message: 'the metrics datasource failed (HTTP 503): no healthy upstream',
    });
  });
});
