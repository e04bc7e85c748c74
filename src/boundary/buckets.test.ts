import { bucketOf, differenceBounds, parseBucketBounds } from './buckets';

const LINKERD = parseBucketBounds(['1', '2', '3', '4', '5', '10', '20', '30', '50', '100', '+Inf', '50']);

describe('parseBucketBounds', () => {
  it('keeps the finite bounds once each, ascending', () => {
    expect(LINKERD).toEqual([1, 2, 3, 4, 5, 10, 20, 30, 50, 100]);
    expect(parseBucketBounds(['0.005', '+Inf', 'x', '-1', '0.1'])).toEqual([0.005, 0.1]);
  });
});

describe('bucketOf', () => {
  test.each([
    [15.3, { lower: 10, upper: 20 }],
    [0.4, { lower: 0, upper: 1 }],
    [99.9, { lower: 50, upper: 100 }],
    // On a bound: interpolation may have ended one bucket or started the next.
    [20, { lower: 10, upper: 30 }],
    [1, { lower: 0, upper: 2 }],
    // The highest finite bound is what histogram_quantile answers for a rank in +Inf.
    [100, { lower: 50, upper: Infinity }],
    [250, { lower: 100, upper: Infinity }],
  ])('%p ms lies in %j', (estimate, bounds) => {
    expect(bucketOf(estimate, LINKERD)).toEqual(bounds);
  });

  it('scales bounds written in seconds', () => {
    expect(bucketOf(42, [0.005, 0.01, 0.025, 0.05, 0.075], 1000)).toEqual({ lower: 25, upper: 50 });
  });

  it.each([Number.NaN, Infinity])('knows nothing of %p', (estimate) => {
    expect(bucketOf(estimate, LINKERD)).toBeUndefined();
  });

  it('knows nothing without bounds', () => {
    expect(bucketOf(12, [])).toBeUndefined();
  });
});

describe('differenceBounds', () => {
  it('is widest apart', () => {
    expect(differenceBounds({ lower: 100, upper: 200 }, { lower: 25, upper: 50 })).toEqual({ lower: 50, upper: 175 });
    expect(differenceBounds({ lower: 10, upper: 20 }, { lower: 10, upper: 25 })).toEqual({ lower: -15, upper: 10 });
  });
});
