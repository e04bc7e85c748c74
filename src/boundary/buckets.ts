/**
 * How precise a histogram quantile is. `histogram_quantile` interpolates linearly inside the bucket that holds the
 * quantile's rank, so the true quantile lies somewhere in that bucket: the estimate carries no more precision than
 * the bucket's bounds, and a difference of two estimates none beyond the difference of their bounds.
 */

/** A range a value lies in for sure; `upper` may be Infinity (the `+Inf` bucket). */
export interface Bounds {
  lower: number;
  upper: number;
}

/** A histogram's finite bucket bounds, ascending, from its `le` label values. */
export function parseBucketBounds(leValues: string[]): number[] {
  return [...new Set(leValues.map(Number).filter((v) => Number.isFinite(v) && v >= 0))].sort((a, b) => a - b);
}

/**
 * The bucket an estimate of `histogram_quantile` came from, in the unit of `bounds` times `scale`. An estimate
 * exactly on a bound may come from either bucket beside it (interpolation at a bucket's start or end), so both
 * are taken; an estimate at the highest finite bound may be the `+Inf` bucket's answer.
 */
export function bucketOf(estimate: number, bounds: number[], scale = 1): Bounds | undefined {
  if (!Number.isFinite(estimate) || bounds.length === 0) {
    return undefined;
  }
  const scaled = bounds.map((b) => b * scale);
  const top = scaled[scaled.length - 1];
  if (estimate >= top) {
    return { lower: scaled.length > 1 && estimate === top ? scaled[scaled.length - 2] : top, upper: Infinity };
  }
  const index = scaled.findIndex((b) => estimate <= b);
  const lower = index > 0 ? scaled[index - 1] : 0;
  if (estimate === scaled[index]) {
    return { lower, upper: scaled[index + 1] ?? Infinity };
  }
  return { lower, upper: scaled[index] };
}

/** Where `a − b` lies when `a` and `b` lie in these ranges. */
export function differenceBounds(a: Bounds, b: Bounds): Bounds {
  return { lower: a.lower - b.upper, upper: a.upper - b.lower };
}
