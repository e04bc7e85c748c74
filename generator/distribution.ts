/**
 * Latency model of the scenario generator: a log-normal distribution given by its median and p95, its exact
 * quantiles, its CDF at histogram bounds, and the value Prometheus' `histogram_quantile` interpolates from
 * those buckets. Pure maths, shared by the series writer and the truth.
 */

const Z = { 0.5: 0, 0.95: 1.6448536269514722, 0.99: 2.3263478740408408 } as const;
export type Quantile = keyof typeof Z;
export const QUANTILES: Quantile[] = [0.5, 0.95, 0.99];

/** Linkerd proxy `response_latency_ms` bounds (ms). Real proxies differ by version; the plugin never assumes them. */
export const LINKERD_BUCKETS_MS = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000,
  50000,
];
/** OTel SDK default explicit bounds for `http.server.request.duration` (s). */
export const OTEL_STABLE_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** OTel SDK default bounds before semconv 1.21 (ms). */
export const OTEL_LEGACY_BUCKETS_MS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

export interface Latency {
  medianMs: number;
  p95Ms: number;
  /** Constant added to every request (time spent outside the app, at the boundary). */
  shiftMs: number;
}

/** The log-normal's σ, from its median and p95. */
export function logSigma(latency: Latency): number {
  return Math.log(latency.p95Ms / latency.medianMs) / Z[0.95];
}

export function quantileMs(latency: Latency, q: Quantile): number {
  return latency.shiftMs + latency.medianMs * Math.exp(logSigma(latency) * Z[q]);
}

/** Abramowitz–Stegun 7.1.26, |error| < 1.5e-7: plenty for bucket counts. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

/** P(latency ≤ ms). */
export function cdf(latency: Latency, ms: number): number {
  const x = ms - latency.shiftMs;
  if (x <= 0) {
    return 0;
  }
  const z = (Math.log(x) - Math.log(latency.medianMs)) / logSigma(latency);
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

export interface BucketEstimate {
  /** What `histogram_quantile` returns from exact bucket counts. */
  interpolated: number;
  /** Bounds of the bucket the quantile falls in: the interpolation error is at most their distance. */
  lower: number;
  upper: number;
}

/**
 * Prometheus' histogram_quantile on the exact CDF: find the first bucket reaching rank q, interpolate
 * linearly inside it (from 0 for the first bucket); a rank in +Inf returns the highest finite bound.
 * `bounds` and the returned values are in `unitMs` units of milliseconds (1 for ms, 1000 for seconds).
 */
export function histogramQuantile(latency: Latency, q: Quantile, bounds: number[], unitMs: number): BucketEstimate {
  return mixtureHistogramQuantile([{ weight: 1, latency }], q, bounds, unitMs);
}

/** Several latency populations in one histogram (e.g. app responses and the proxy's own fast failures). */
export type Mixture = Array<{ weight: number; latency: Latency }>;

export function mixtureCdf(mixture: Mixture, ms: number): number {
  const total = mixture.reduce((sum, m) => sum + m.weight, 0);
  return total > 0 ? mixture.reduce((sum, m) => sum + m.weight * cdf(m.latency, ms), 0) / total : 0;
}

/** Mean of the shifted log-normal. */
export function meanMs(latency: Latency): number {
  const sigma = logSigma(latency);
  return latency.shiftMs + latency.medianMs * Math.exp((sigma * sigma) / 2);
}

/**
 * Mean of the latency truncated to whole milliseconds, E[⌊X⌋] = Σₖ₌₁ P(X ≥ k): Linkerd adds each request to
 * `response_latency_ms_sum` as `as_secs()*1000 + subsec_nanos/1_000_000`, whole ms rounded down
 * (linkerd2-proxy `linkerd/metrics/src/histogram.rs`).
 */
export function meanWholeMs(latency: Latency): number {
  let sum = 0;
  for (let k = 1; k < 1_000_000; k++) {
    const tail = 1 - cdf(latency, k);
    sum += tail;
    if (tail < 1e-12 && k > latency.shiftMs + latency.medianMs) {
      break;
    }
  }
  return sum;
}

/** The value below which `q` of the mixture lies, by bisection on its CDF (ms). */
export function mixtureQuantileMs(mixture: Mixture, q: number): number {
  let low = 0;
  let high = 1;
  while (mixtureCdf(mixture, high) < q && high < 1e9) {
    high *= 2;
  }
  for (let i = 0; i < 200 && high - low > 1e-9; i++) {
    const mid = (low + high) / 2;
    if (mixtureCdf(mixture, mid) < q) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return high;
}

/** histogramQuantile for a mixture: Prometheus' interpolation over the mixture's exact bucket counts. */
export function mixtureHistogramQuantile(
  mixture: Mixture,
  q: number,
  bounds: number[],
  unitMs: number
): BucketEstimate {
  let lower = 0;
  let below = 0;
  for (const bound of bounds) {
    const atBound = mixtureCdf(mixture, bound * unitMs);
    if (atBound >= q) {
      const fraction = atBound > below ? (q - below) / (atBound - below) : 0;
      return {
        interpolated: (lower + (bound - lower) * fraction) * unitMs,
        lower: lower * unitMs,
        upper: bound * unitMs,
      };
    }
    lower = bound;
    below = atBound;
  }
  const top = bounds[bounds.length - 1] * unitMs;
  return { interpolated: top, lower: top, upper: Number.POSITIVE_INFINITY };
}
