import type { ServiceRow } from '../../boundary/types';
import { FIGURE_COLUMNS, formatFigure, formatQuantiles } from './columns';

const column = (id: string) => {
  const found = FIGURE_COLUMNS.find((c) => c.id === id);
  if (!found) {
    throw new Error(`no column ${id}`);
  }
  return found;
};

const row = (outsideApp: ServiceRow['outsideApp']): ServiceRow => ({
  key: 'shop/cart',
  namespace: 'shop',
  service: 'cart',
  coverage: 'both',
  outsideApp,
  flags: [],
});

describe('time outside the app columns', () => {
  it('shows the exact mean difference and says why it may be negative', () => {
    const mean = column('outside-app-mean');
    expect(formatFigure(mean, -12.34)).toBe('-12.3 ms');
    expect(mean.hint?.(row({ mean: 30 }))).toBe(
      "Mesh mean − app mean, from both layers' sums and counts: exact, not interpolated"
    );
    expect(mean.hint?.(row({ mean: -12 }))).toContain('the mesh times a response to its first body frame');
    expect(mean.hint?.(row({}))).toBeUndefined();
  });

  it('gives the p95 difference the range its buckets allow', () => {
    const p95 = column('outside-app-p95');
    expect(p95.hint?.(row({ p95: 120, p95Bounds: { lower: 50, upper: 175 } }))).toBe(
      'Mesh p95 − app p95, both interpolated inside a histogram bucket: the true difference lies between 50 ms and 175 ms'
    );
    expect(p95.hint?.(row({ p95: 120, p95Bounds: { lower: 4950, upper: Infinity } }))).toContain(
      'between 4.95 s and ∞'
    );
    expect(p95.hint?.(row({ p95: 120 }))).toBe('Mesh p95 − app p95: both interpolated inside a histogram bucket');
  });
});

describe('a layer’s quantiles in one cell', () => {
  it.each<[Array<number | undefined>, string[], string]>([
    [[16.34, 46.5, 89], ['16.3', '46.5', '89.0'], 'ms'],
    [[950, 1200, 2100], ['0.95', '1.20', '2.10'], 's'],
    [[12, undefined, Infinity], ['12.0', '–', '∞'], 'ms'],
  ])('%j reads %j in %s', (values, parts, unit) => {
    expect(formatQuantiles(values)).toEqual({ parts, unit });
  });
});
