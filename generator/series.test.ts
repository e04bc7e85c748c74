import type { SemconvVersion } from '../src/settings/types';
import { LINKERD_BUCKETS_MS, OTEL_LEGACY_BUCKETS_MS, OTEL_STABLE_BUCKETS_S } from './distribution';
import { demoScenario, namedScenario } from './scenarios';
import { buildSeries, existenceIndex, isGauge, seriesExists, seriesValue as valueAt, type SeriesDef } from './series';

/** The value `elapsed` seconds after a start at 0 ms. */
const seriesValue = (series: SeriesDef, elapsed: number) => valueAt(series, elapsed * 1000, 0);

const RESTART_SECONDS = 20 * 60;
const TIMES = [0, 15, 60, 600, 1185, 1199, 1200, 1215, 1800, 3600];

function histogramKey(s: SeriesDef): string {
  const labels = Object.entries(s.labels)
    .filter(([name]) => name !== 'le')
    .sort(([a], [b]) => a.localeCompare(b));
  return `${s.target.layer}|${s.target.pod}|${s.name.replace(/_(bucket|count|sum)$/, '')}|${JSON.stringify(labels)}`;
}

const leValue = (s: SeriesDef) => (s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le));

/** linkerd2-proxy's prometheus-client route families (`REQUEST_BUCKETS`), outbound and inbound. */
const OUTBOUND_ROUTE_BOUNDS_S = [0.05, 0.5, 1, 10];
const INBOUND_ROUTE_BOUNDS_S = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 10];
/** Legacy Linkerd families and the OTel export write `1`; prometheus-client (dtoa) writes `1.0`. */
const plain = (bound: number) => String(bound);
const dtoa = (bound: number) => (Number.isInteger(bound) ? bound.toFixed(1) : String(bound));

function bucketsOf(family: string, appBounds: number[]): [number[], (bound: number) => string] {
  if (family.startsWith('response_latency_ms')) {
    return [LINKERD_BUCKETS_MS, plain];
  }
  if (/^outbound_(http|grpc)_route_request_duration_seconds/.test(family)) {
    return [OUTBOUND_ROUTE_BOUNDS_S, dtoa];
  }
  if (/^inbound_(http|grpc)_request_duration_seconds/.test(family)) {
    return [INBOUND_ROUTE_BOUNDS_S, dtoa];
  }
  return [appBounds, plain];
}

/** Pods of a workload in a layer, in the order the generator first emits them (pod 0 first). */
function podsOf(series: SeriesDef[], workload: string, layer: 'mesh' | 'app'): string[] {
  const pods: string[] = [];
  for (const s of series) {
    if (s.target.workload === workload && s.target.layer === layer && !pods.includes(s.target.pod)) {
      pods.push(s.target.pod);
    }
  }
  return pods;
}

const totalRate = (series: SeriesDef[], predicate: (s: SeriesDef) => boolean) =>
  series.filter(predicate).reduce((sum, s) => sum + s.rate, 0);

describe('seriesValue', () => {
  test.each([
    [{ rate: 2.5, whole: true }, 10, 25],
    [{ rate: 2.5, whole: true }, 1, 2],
    [{ rate: 2.5, whole: false }, 1, 2.5],
    [{ rate: 0.1, whole: true }, 30, 3],
    [{ rate: 2.5, whole: true, restartAtSeconds: 100 }, 99, 247],
    [{ rate: 2.5, whole: true, restartAtSeconds: 100 }, 100, 0],
    [{ rate: 2.5, whole: true, restartAtSeconds: 100 }, 110, 25],
    [{ rate: 2.5, whole: true, gauge: 7 }, 500, 7],
    [{ rate: 2.5, whole: true }, -5, 0],
  ])(
    '%j at %p s → %p',
    (
      { restartAtSeconds, ...shape }: { rate: number; whole: boolean; restartAtSeconds?: number; gauge?: number },
      elapsed,
      expected
    ) => {
      const series: SeriesDef = { target: { ...demoPod(), restartAtSeconds }, name: 'x_total', labels: {}, ...shape };
      expect(seriesValue(series, elapsed)).toBe(expected);
    }
  );
});

function demoPod(): SeriesDef['target'] {
  return {
    namespace: 'n',
    workload: 'w',
    kind: 'deployment',
    pod: 'w-1',
    podTemplateHash: 'h',
    ip: '10.0.0.1',
    layer: 'mesh',
    serviceAccount: 'w',
  };
}

describe.each<SemconvVersion>(['stable', 'legacy'])('buildSeries(demo, %s)', (semconv) => {
  const series = buildSeries(demoScenario(), { semconv });
  const buckets = new Map<string, SeriesDef[]>();
  for (const s of series.filter((x) => x.name.endsWith('_bucket'))) {
    buckets.set(histogramKey(s), [...(buckets.get(histogramKey(s)) ?? []), s]);
  }
  const counts = new Map(series.filter((s) => s.name.endsWith('_count')).map((s) => [histogramKey(s), s]));

  it('emits complete histograms with the family’s bounds, written as each writer writes them', () => {
    expect(buckets.size).toBeGreaterThan(20);
    const appBounds = semconv === 'stable' ? OTEL_STABLE_BUCKETS_S : OTEL_LEGACY_BUCKETS_MS;
    const families = new Set<string>();
    for (const group of buckets.values()) {
      const family = group[0].name;
      families.add(family.replace(/^(outbound|inbound)_(http|grpc)_/, '$1_*_'));
      const [bounds, le] = bucketsOf(family, appBounds);
      expect(group.map(leValue)).toEqual([...bounds, Number.POSITIVE_INFINITY]);
      expect(group.map((s) => s.labels.le)).toEqual([...bounds.map(le), '+Inf']);
    }
    expect([...families].sort()).toEqual(
      [
        'response_latency_ms_bucket',
        'outbound_*_route_request_duration_seconds_bucket',
        'inbound_*_request_duration_seconds_bucket',
        semconv === 'stable'
          ? 'http_server_request_duration_seconds_bucket'
          : 'http_server_duration_milliseconds_bucket',
        semconv === 'stable' ? 'rpc_server_call_duration_seconds_bucket' : 'rpc_server_duration_milliseconds_bucket',
      ].sort()
    );
    expect([...buckets.keys()].sort()).toEqual([...counts.keys()].sort());
  });

  it('holds one series per pod, family and label set (identical series are merged)', () => {
    const keys = series.map((s) => `${s.target.layer}|${s.target.pod}|${s.name}|${JSON.stringify(s.labels)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test.each(TIMES)('at %p s, buckets are monotone in le and _count equals +Inf', (t) => {
    const problems: string[] = [];
    for (const [key, group] of buckets) {
      const values = [...group].sort((a, b) => leValue(a) - leValue(b)).map((s) => seriesValue(s, t));
      if (values.some((v, i) => i > 0 && v < values[i - 1])) {
        problems.push(`${key}: buckets ${values.join(', ')}`);
      }
      const count = seriesValue(counts.get(key)!, t);
      if (count !== values[values.length - 1]) {
        problems.push(`${key}: _count ${count} vs +Inf ${values[values.length - 1]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('resets the counters of pod 0 of the restarting service, and only those', () => {
    const restarting = demoScenario().services.filter((s) => s.restartAtMinute !== undefined);
    expect(restarting.map((s) => [s.name, s.restartAtMinute])).toEqual([['checkout', 20]]);

    const [meshPod0, meshPod1] = podsOf(series, 'checkout', 'mesh');
    const [appPod0, appPod1] = podsOf(series, 'checkout', 'app');
    const inboundOrApp = (s: SeriesDef) =>
      s.gauge === undefined && (s.labels.direction === 'inbound' || s.target.layer === 'app');
    const busy = (s: SeriesDef) => s.rate * 15 >= 2;

    const resetting = series.filter((s) => inboundOrApp(s) && busy(s) && [meshPod0, appPod0].includes(s.target.pod));
    expect(resetting.length).toBeGreaterThan(30);
    for (const s of resetting) {
      const before = seriesValue(s, RESTART_SECONDS - 1);
      expect(seriesValue(s, RESTART_SECONDS)).toBe(0);
      // ~0 just after: one scrape interval's worth, far below the value before the restart.
      expect(seriesValue(s, RESTART_SECONDS + 15)).toBeLessThanOrEqual(Math.ceil(s.rate * 15));
      expect(seriesValue(s, RESTART_SECONDS + 15)).toBeLessThan(before);
    }

    const steady = series.filter((s) => inboundOrApp(s) && busy(s) && [meshPod1, appPod1].includes(s.target.pod));
    expect(steady.length).toBeGreaterThan(30);
    for (const s of steady) {
      expect(seriesValue(s, RESTART_SECONDS)).toBeGreaterThanOrEqual(seriesValue(s, RESTART_SECONDS - 1));
    }
  });

  it('counters never decrease outside that restart, and gauges stay put', () => {
    const restartingPods = [podsOf(series, 'checkout', 'mesh')[0], podsOf(series, 'checkout', 'app')[0]];
    const split = TIMES.indexOf(RESTART_SECONDS);
    const problems: string[] = [];
    for (const s of series) {
      const values = TIMES.map((t) => seriesValue(s, t));
      const where = `${s.target.pod} ${s.name} ${JSON.stringify(s.labels)}: ${values.join(', ')}`;
      if (s.gauge !== undefined) {
        if (values.some((v) => v !== s.gauge)) {
          problems.push(where);
        }
        continue;
      }
      const segments = restartingPods.includes(s.target.pod) ? [values.slice(0, split), values.slice(split)] : [values];
      if (values[0] !== 0 || segments.some((seg) => seg.some((v, i) => i > 0 && v < seg[i - 1]))) {
        problems.push(where);
      }
    }
    expect(series.length).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  });

  it('carries the scenario’s truths in its rates', () => {
    // The app's traffic: the admin server's own (port 4191) is inbound too, and checked on its own below.
    const inbound = (workload: string, extra: (s: SeriesDef) => boolean = () => true) =>
      totalRate(
        series,
        (s) =>
          s.name === 'response_total' &&
          s.labels.direction === 'inbound' &&
          s.labels.target_port === '8080' &&
          s.target.workload === workload &&
          extra(s)
      );
    // payments: 40 rps, 8 % gRPC failures behind HTTP 200, split 3:1 between UNAVAILABLE (14) and DEADLINE_EXCEEDED (4).
    expect(inbound('payments')).toBeCloseTo(40, 9);
    expect(inbound('payments', (s) => s.labels.grpc_status === '14' && s.labels.status_code === '200')).toBeCloseTo(
      2.4,
      9
    );
    expect(inbound('payments', (s) => s.labels.grpc_status === '4')).toBeCloseTo(0.8, 9);
    expect(inbound('payments', (s) => s.labels.classification === 'success')).toBeCloseTo(36.8, 9);
    // NOT_FOUND is not a failure to Linkerd: shipping's 0.2 % are successes with grpc_status 5.
    expect(inbound('shipping', (s) => s.labels.grpc_status === '5')).toBeCloseTo(0.03, 9);
    expect(inbound('shipping', (s) => s.labels.classification === 'failure')).toBe(0);
    // cart: its proxy cannot reach the app for 5 % of 25 rps and answers 502 (bad_gateway); the app sees the rest.
    expect(inbound('cart', (s) => s.labels.status_code === '502')).toBeCloseTo(1.25, 9);
    expect(inbound('cart', (s) => s.labels.status_code === '502' && s.labels.classification === 'failure')).toBeCloseTo(
      1.25,
      9
    );
    expect(inbound('cart', (s) => s.labels.status_code === '503')).toBe(0);
    const appCount = (workload: string) =>
      totalRate(series, (s) => s.target.layer === 'app' && s.target.workload === workload && s.name.endsWith('_count'));
    expect(appCount('cart')).toBeCloseTo(23.75, 9);
    // search: 20 rps through the mesh plus 40 rps that bypass it.
    expect(appCount('search')).toBeCloseTo(60, 9);
    // recommendations is mesh-only, email app-only.
    expect(appCount('recommendations')).toBe(0);
    expect(inbound('email')).toBe(0);
    expect(appCount('email')).toBeCloseTo(5, 9);
    // The callers' proxies count what they sent: checkout sends 80 % of payments' 40 rps, web all of cart's 25.
    const outbound = (caller: string, callee: string) =>
      totalRate(
        series,
        (s) =>
          s.name === 'response_total' &&
          s.labels.direction === 'outbound' &&
          s.target.workload === caller &&
          s.labels.dst_deployment === callee
      );
    expect(outbound('checkout', 'payments')).toBeCloseTo(32, 9);
    expect(outbound('web', 'cart')).toBeCloseTo(25, 9);
  });

  it('counts the admin server’s scrapes and probes as inbound traffic on port 4191 of every meshed pod', () => {
    const meshPods = new Set(series.filter((s) => s.target.layer === 'mesh').map((s) => s.target.pod));
    for (const pod of meshPods) {
      const admin = totalRate(
        series,
        (s) => s.target.pod === pod && s.name === 'request_total' && s.labels.target_port === '4191'
      );
      // One scrape per 15 s and two kubelet probes per 10 s.
      expect(admin).toBeCloseTo(1 / 15 + 0.2, 9);
    }
  });
});

describe('pods shared by the proxy and the app', () => {
  const series = buildSeries(demoScenario(), { semconv: 'stable' });

  it('gives the mesh and app series of a workload the same pods and IPs', () => {
    const pods = (layer: 'mesh' | 'app') =>
      [
        ...new Set(
          series
            .filter((s) => s.target.workload === 'checkout' && s.target.layer === layer)
            .map((s) => `${s.target.pod}@${s.target.ip}`)
        ),
      ].sort();
    expect(pods('mesh')).toHaveLength(2);
    expect(pods('app')).toEqual(pods('mesh'));
  });

  it('resets every counter of a restarting pod, outbound ones included', () => {
    const checkoutPod0 = podsOf(series, 'checkout', 'mesh')[0];
    const outbound = series.filter(
      (s) => s.target.pod === checkoutPod0 && s.labels.direction === 'outbound' && s.gauge === undefined
    );
    expect(outbound.length).toBeGreaterThan(0);
    for (const s of outbound) {
      expect(seriesValue(s, RESTART_SECONDS)).toBe(0);
      expect(seriesValue(s, RESTART_SECONDS - 15)).toBeGreaterThanOrEqual(seriesValue(s, 600));
    }
  });
});

describe('buildSeries(demo-incident): the scenario’s changes over an hour', () => {
  const START = Date.UTC(2026, 0, 1, 12);
  const END = START + 3_600_000;
  const scenario = namedScenario('demo-incident')!;
  const series = buildSeries(scenario, { semconv: 'stable', endMs: END });
  const existence = existenceIndex(series);
  const at = (minute: number) => START + minute * 60_000;
  const value = (s: SeriesDef, minute: number) => valueAt(s, at(minute), START);
  const exists = (s: SeriesDef, minute: number) => seriesExists(existence(s), at(minute), START);
  const minutes = Array.from({ length: 121 }, (_, i) => i / 2);
  const inbound = (workload: string) =>
    series.filter(
      (s) =>
        s.target.workload === workload &&
        s.target.layer === 'mesh' &&
        s.name === 'request_total' &&
        s.labels.direction === 'inbound' &&
        s.labels.target_port !== '4191'
    );
  const rateBetween = (list: SeriesDef[], from: number, to: number) =>
    list.reduce((sum, s) => sum + value(s, to) - value(s, from), 0) / ((to - from) * 60);

  it('keeps every counter monotone across the changes, and every histogram whole', () => {
    const problems: string[] = [];
    for (const s of series.filter((x) => !isGauge(x))) {
      const values = minutes.map((m) => value(s, m));
      const restart = s.target.restartAtSeconds !== undefined;
      if (!restart && values.some((v, i) => i > 0 && v < values[i - 1])) {
        problems.push(`${s.target.pod} ${s.name} ${JSON.stringify(s.labels)}: ${values.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
    const buckets = new Map<string, SeriesDef[]>();
    for (const s of series.filter((x) => x.name.endsWith('_bucket'))) {
      buckets.set(histogramKey(s), [...(buckets.get(histogramKey(s)) ?? []), s]);
    }
    const counts = new Map(series.filter((s) => s.name.endsWith('_count')).map((s) => [histogramKey(s), s]));
    for (const m of [10, 35, 45, 52, 55, 59.5]) {
      for (const [key, group] of buckets) {
        const values = [...group].sort((a, b) => leValue(a) - leValue(b)).map((s) => value(s, m));
        expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
        expect(value(counts.get(key)!, m)).toBe(values[values.length - 1]);
      }
    }
  });

  it('doubles shop/web’s traffic 20 minutes before the end: the slope changes, not the value', () => {
    const web = inbound('web');
    expect(rateBetween(web, 10, 39)).toBeCloseTo(50, 0);
    expect(rateBetween(web, 41, 59)).toBeCloseTo(100, 0);
    for (const s of web) {
      expect(value(s, 40)).toBeCloseTo(s.rate * 40 * 60, -1);
    }
  });

  it('starts the failing gRPC statuses of shop/currency 6 minutes before the end, as new series', () => {
    const failing = series.filter(
      (s) =>
        s.target.workload === 'currency' &&
        s.name === 'response_total' &&
        s.labels.direction === 'inbound' &&
        s.labels.grpc_status === '14'
    );
    expect(failing.length).toBeGreaterThan(0);
    for (const s of failing) {
      expect(exists(s, 53.5)).toBe(false);
      expect(exists(s, 54.5)).toBe(true);
    }
  });

  it('stops scraping shop/cart’s proxies 10 minutes before the end, while its app counts all its traffic', () => {
    const cartMesh = series.filter((s) => s.target.workload === 'cart' && s.target.layer === 'mesh');
    expect(cartMesh.length).toBeGreaterThan(20);
    expect(cartMesh.filter((s) => exists(s, 49.5)).length).toBeGreaterThan(20);
    expect(cartMesh.filter((s) => exists(s, 50))).toEqual([]);
    const webToCart = series.filter((s) => s.labels.dst_deployment === 'cart');
    expect(webToCart.length).toBeGreaterThan(0);
    expect(webToCart.filter((s) => exists(s, 50.5))).toEqual([]);
    const app = series.filter(
      (s) => s.target.workload === 'cart' && s.target.layer === 'app' && s.name.endsWith('_count')
    );
    expect(rateBetween(app, 10, 49)).toBeCloseTo(25 * 0.95, 1);
    expect(rateBetween(app, 51, 59)).toBeCloseTo(25, 1);
  });

  it('changes nothing before the first change: the same series as the demo', () => {
    const demo = buildSeries(demoScenario(), { semconv: 'stable' });
    const key = (s: SeriesDef) => `${s.target.pod}|${s.name}|${JSON.stringify(s.labels)}`;
    const before = new Map(series.filter((s) => exists(s, 30)).map((s) => [key(s), value(s, 30)]));
    const demoExistence = existenceIndex(demo);
    const demoValues = new Map(
      demo.filter((s) => seriesExists(demoExistence(s), at(30), START)).map((s) => [key(s), valueAt(s, at(30), START)])
    );
    expect(before).toEqual(demoValues);
  });
});
