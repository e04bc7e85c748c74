import { formatCount } from './formatCount';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1.0 K'],
    [12345, '12.3 K'],
    [250_000, '250.0 K'],
    [1_500_000, '1.5 Mil'],
  ])('shows %d series as %s', (value, shown) => {
    expect(formatCount(value)).toBe(shown);
  });
});
