import fc from 'fast-check';
import { createTheme } from '@grafana/data';
import { formatSuccess, successColor, successLevel } from './successColor';

describe('success colour', () => {
  it.each([
    [1, 'healthy', '100.00%'],
    [0.99, 'healthy', '99.00%'],
    [0.98995, 'healthy', '99.00%'],
    [0.989949, 'degraded', '98.99%'],
    [0.95, 'degraded', '95.00%'],
    [0.949951, 'degraded', '95.00%'],
    // 94.995 is 94.99499… in binary: shown 94.99 %, so failing.
    [0.94995, 'failing', '94.99%'],
    [0.949949, 'failing', '94.99%'],
    [0, 'failing', '0.00%'],
  ])('%p is coloured %s and shown as %s', (rate, level, shown) => {
    expect(successLevel(rate)).toBe(level);
    expect(formatSuccess(rate)).toBe(shown);
  });

  it('has no colour level for no data', () => {
    expect(successLevel(undefined)).toBe('unknown');
    expect(successLevel(Number.NaN)).toBe('unknown');
    expect(formatSuccess(undefined)).toBe('–');
  });

  it('always agrees with the percentage a user reads', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (rate) => {
        const shown = Number.parseFloat(formatSuccess(rate));
        const expected = shown >= 99 ? 'healthy' : shown >= 95 ? 'degraded' : 'failing';
        expect(successLevel(rate)).toBe(expected);
      })
    );
  });

  it('takes its colours from the theme', () => {
    const theme = createTheme();
    expect(successColor(0.95, theme)).toBe(theme.visualization.getColorByName('orange'));
    expect(successColor(0.5, theme)).toBe(theme.visualization.getColorByName('red'));
    expect(successColor(undefined, theme)).toBe(theme.colors.text.disabled);
  });
});
