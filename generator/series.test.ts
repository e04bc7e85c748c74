import type { SemconvVersion } from '../src/settings/types';
import { LINKERD_BUCKETS_MS, OTEL_LEGACY_BUCKETS_MS, OTEL_STABLE_BUCKETS_S } from './distribution';
import { demoScenario } from './scenarios';
import { buildSeries, seriesValue, type SeriesDef } from './series';

const RESTART_SECONDS = 20 * 60;
const TIMES = [0, 15, 60, 600, 1185, 1199, 1200, 1215, 1800, 3600];

function histogramKey(s: SeriesDef): string {
  const labels = Object.entries(s.labels)
    .filter(([name]) => name !== 'le')
    .sort(([a], [b]) => a.localeCompare(b));
  return `${s.target.layer}|${s.target.pod}|${s.name.replace(/_(bucket|count|sum)$/, '')}|${JSON.stringify(labels)}`;
}

const leValue = (s: SeriesDef) => (s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le));

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
  };
}

describe.each<SemconvVersion>(['stable', 'legacy'])('buildSeries(demo, %s)', (semconv) => {
  const series = buildSeries(demoScenario(), { semconv });
  const buckets = new Map<string, SeriesDef[]>();
  for (const s of series.filter((x) => x.name.endsWith('_bucket'))) {
    buckets.set(histogramKey(s), [...(buckets.get(histogramKey(s)) ?? []), s]);
  }
  const counts = new Map(series.filter((s) => s.name.endsWith('_count')).map((s) => [histogramKey(s), s]));

  it('emits complete histograms with the family’s bounds', () => {
    expect(buckets.size).toBeGreaterThan(20);
    const appBounds = semconv === 'stable' ? OTEL_STABLE_BUCKETS_S : OTEL_LEGACY_BUCKETS_MS;
    for (const group of buckets.values()) {
      const expected = group[0].name.startsWith('response_latency') ? LINKERD_BUCKETS_MS : appBounds;
      expect(group.map(leValue)).toEqual([...expected, Number.POSITIVE_INFINITY]);
    }
    expect([...buckets.keys()].sort()).toEqual([...counts.keys()].sort());
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
    const inbound = (workload: string, extra: (s: SeriesDef) => boolean = () => true) =>
      totalRate(
        series,
        (s) =>
          s.name === 'response_total' && s.labels.direction === 'inbound' && s.target.workload === workload && extra(s)
      );
    // payments: 40 rps, 8 % gRPC failures behind HTTP 200, split 3:1 between UNAVAILABLE (14) and DEADLINE_EXCEEDED (4).
    expect(inbound('payments')).toBeCloseTo(40, 9);
    expect(inbound('payments', (s) => s.labels.grpc_status === '14' && s.labels.status_code === '200')).toBeCloseTo(
      2.4,
      9
    );
    expect(inbound('payments', (s) => s.labels.grpc_status === '4')).toBeCloseTo(0.8, 9);
    expect(inbound('payments', (s) => s.labels.classification === 'success')).toBeCloseTo(36.8, 9);
    // cart: the proxy fails 5 % of 25 rps with 503; the app only sees the rest.
    expect(inbound('cart', (s) => s.labels.status_code === '503')).toBeCloseTo(1.25, 9);
    const appCount = (workload: string) =>
      totalRate(series, (s) => s.target.layer === 'app' && s.target.workload === workload && s.name.endsWith('_count'));
    expect(appCount('cart')).toBeCloseTo(23.75, 9);
    // search: 20 rps through the mesh plus 40 rps that bypass it.
    expect(appCount('search')).toBeCloseTo(60, 9);
    // recommendations is mesh-only, email app-only.
    expect(appCount('recommendations')).toBe(0);
    expect(inbound('email')).toBe(0);
    expect(appCount('email')).toBeCloseTo(5, 9);
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
