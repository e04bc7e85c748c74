import {
  cdf,
  histogramQuantile,
  LINKERD_BUCKETS_MS,
  OTEL_LEGACY_BUCKETS_MS,
  OTEL_STABLE_BUCKETS_S,
  quantileMs,
  QUANTILES,
  type Latency,
  type Quantile,
} from './distribution';

const LATENCIES: Latency[] = [
  { medianMs: 30, p95Ms: 90, shiftMs: 0 },
  { medianMs: 12, p95Ms: 40, shiftMs: 120 },
  { medianMs: 4, p95Ms: 12, shiftMs: 0.4 },
  { medianMs: 0.3, p95Ms: 0.9, shiftMs: 0 },
  { medianMs: 250, p95Ms: 2600, shiftMs: 1 },
  { medianMs: 15, p95Ms: 15.5, shiftMs: 0 },
];

const label = (l: Latency) => `median ${l.medianMs}, p95 ${l.p95Ms}, shift ${l.shiftMs}`;

/** erf approximation error (1.5e-7) plus rounding. */
const CDF_TOLERANCE = 1e-6;

describe('quantileMs', () => {
  test.each(LATENCIES.map((l) => [label(l), l] as const))('%s: reproduces its inputs', (_name, latency) => {
    // By construction sigma = ln(p95 / median) / z95, so the median and the p95 come back, shifted.
    expect(quantileMs(latency, 0.5)).toBeCloseTo(latency.shiftMs + latency.medianMs, 9);
    expect(quantileMs(latency, 0.95)).toBeCloseTo(latency.shiftMs + latency.p95Ms, 9);
    // And p99 = median · (p95 / median)^(z99 / z95).
    const ratio = 2.3263478740408408 / 1.6448536269514722;
    const p99 = latency.shiftMs + latency.medianMs * Math.pow(latency.p95Ms / latency.medianMs, ratio);
    expect(quantileMs(latency, 0.99)).toBeCloseTo(p99, 6);
    expect(quantileMs(latency, 0.99)).toBeGreaterThan(quantileMs(latency, 0.95));
  });
});

describe('cdf', () => {
  test.each(LATENCIES.flatMap((l) => QUANTILES.map((q) => [label(l), q, l] as const)))(
    '%s: cdf(quantileMs(%p)) ≈ q',
    (_name, q, latency) => {
      expect(Math.abs(cdf(latency, quantileMs(latency, q)) - q)).toBeLessThan(CDF_TOLERANCE);
    }
  );

  it('is zero at and below the shift', () => {
    const latency: Latency = { medianMs: 12, p95Ms: 40, shiftMs: 120 };
    expect(cdf(latency, 120)).toBe(0);
    expect(cdf(latency, 60)).toBe(0);
    expect(cdf(latency, -1)).toBe(0);
    expect(cdf(latency, 121)).toBeGreaterThan(0);
  });

  it('is non-decreasing and tends to 1', () => {
    const latency: Latency = { medianMs: 30, p95Ms: 90, shiftMs: 1 };
    let previous = 0;
    for (let ms = 0; ms <= 5000; ms += 7) {
      const value = cdf(latency, ms);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(previous).toBeGreaterThan(0.9999);
    expect(previous).toBeLessThanOrEqual(1);
  });
});

const BUCKET_SETS: Array<[string, number[], number]> = [
  ['Linkerd (ms)', LINKERD_BUCKETS_MS, 1],
  ['OTel stable (s)', OTEL_STABLE_BUCKETS_S, 1000],
  ['OTel legacy (ms)', OTEL_LEGACY_BUCKETS_MS, 1],
];

describe('histogramQuantile', () => {
  const cases = BUCKET_SETS.flatMap(([setName, bounds, unitMs]) =>
    LATENCIES.flatMap((l) =>
      QUANTILES.map((q): [string, string, Quantile, number[], number, Latency] => [
        setName,
        label(l),
        q,
        bounds,
        unitMs,
        l,
      ])
    )
  );

  test.each(cases)('%s, %s, q %p: inside adjacent bounds', (_set, _name, q, bounds, unitMs, latency) => {
    const estimate = histogramQuantile(latency, q, bounds, unitMs);
    const boundsMs = bounds.map((b) => b * unitMs);
    const upperIndex = boundsMs.indexOf(estimate.upper);

    if (estimate.upper === Number.POSITIVE_INFINITY) {
      // The quantile lies above the highest finite bound: histogram_quantile returns that bound.
      expect(estimate.lower).toBe(boundsMs[boundsMs.length - 1]);
      expect(estimate.interpolated).toBe(estimate.lower);
      expect(cdf(latency, estimate.lower)).toBeLessThan(q);
      return;
    }
    expect(upperIndex).toBeGreaterThanOrEqual(0);
    expect(estimate.lower).toBe(upperIndex === 0 ? 0 : boundsMs[upperIndex - 1]);
    expect(estimate.interpolated).toBeGreaterThanOrEqual(estimate.lower);
    expect(estimate.interpolated).toBeLessThanOrEqual(estimate.upper);
    // The bucket is the first whose cumulative share reaches q.
    expect(cdf(latency, estimate.upper)).toBeGreaterThanOrEqual(q);
    if (upperIndex > 0) {
      expect(cdf(latency, estimate.lower)).toBeLessThan(q);
    }
    // So the true quantile is in the same bucket, and the interpolation error is at most its width.
    const exact = quantileMs(latency, q);
    expect(exact).toBeGreaterThanOrEqual(estimate.lower - 1e-6);
    expect(exact).toBeLessThanOrEqual(estimate.upper + 1e-6);
  });

  it('interpolates linearly inside the bucket', () => {
    // median 70 ms: the p50 rank falls in (50, 100].
    const latency: Latency = { medianMs: 70, p95Ms: 200, shiftMs: 0 };
    const estimate = histogramQuantile(latency, 0.5, LINKERD_BUCKETS_MS, 1);
    const below = cdf(latency, 50);
    const at = cdf(latency, 100);
    expect([estimate.lower, estimate.upper]).toEqual([50, 100]);
    expect(estimate.interpolated).toBeCloseTo(50 + (50 * (0.5 - below)) / (at - below), 9);
  });

  it('interpolates from 0 in the first bucket', () => {
    const latency: Latency = { medianMs: 0.3, p95Ms: 0.9, shiftMs: 0 };
    const estimate = histogramQuantile(latency, 0.5, LINKERD_BUCKETS_MS, 1);
    expect([estimate.lower, estimate.upper]).toEqual([0, 1]);
    expect(estimate.interpolated).toBeCloseTo(0.5 / cdf(latency, 1), 9);
  });

  it('returns milliseconds for second-based bounds', () => {
    // 30 ms median: the p50 bucket is (0.025 s, 0.05 s] = (25 ms, 50 ms].
    const estimate = histogramQuantile({ medianMs: 30, p95Ms: 90, shiftMs: 0 }, 0.5, OTEL_STABLE_BUCKETS_S, 1000);
    expect([estimate.lower, estimate.upper]).toEqual([25, 50]);
    expect(estimate.interpolated).toBeGreaterThan(25);
    expect(estimate.interpolated).toBeLessThan(50);
  });

  it('returns the highest finite bound when the rank is in +Inf', () => {
    const estimate = histogramQuantile({ medianMs: 100000, p95Ms: 200000, shiftMs: 0 }, 0.5, LINKERD_BUCKETS_MS, 1);
    expect(estimate).toEqual({ interpolated: 50000, lower: 50000, upper: Number.POSITIVE_INFINITY });
  });

  it('sees the boundary shift: 120 ms of mesh latency moves the median bucket', () => {
    const app = histogramQuantile({ medianMs: 12, p95Ms: 40, shiftMs: 0 }, 0.5, LINKERD_BUCKETS_MS, 1);
    const mesh = histogramQuantile({ medianMs: 12, p95Ms: 40, shiftMs: 120 }, 0.5, LINKERD_BUCKETS_MS, 1);
    expect([app.lower, app.upper]).toEqual([10, 20]);
    expect([mesh.lower, mesh.upper]).toEqual([100, 200]);
  });
});
