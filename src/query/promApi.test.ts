import { readStringList, withoutQueryEcho } from './promApi';

describe('withoutQueryEcho', () => {
  it('keeps only VictoriaMetrics’ reason and advice when a query reads more series than allowed', () => {
    const error =
      'error when executing query="sum by (i) (rate(m{a=\\"b\\"}[5m]))" for (time=1795644249000, step=300000): ' +
      'search error after reading 0 data blocks: error when searching for tagFilters=[{__name__="m"}] on the time ' +
      'range [2026-11-25T21:54:09Z..2026-11-25T22:04:09Z]: error when searching tsids: the number of matching ' +
      'timeseries exceeds 5; either narrow down the search or increase -search.max* command-line flag values at ' +
      'vmselect; see https://docs.victoriametrics.com/#resource-usage-limits';
    expect(withoutQueryEcho(error)).toBe(
      'the number of matching timeseries exceeds 5; either narrow down the search or increase -search.max* ' +
        'command-line flag values at vmselect; see https://docs.victoriametrics.com/#resource-usage-limits'
    );
  });

  it('drops the echoed query from other VictoriaMetrics errors', () => {
    expect(withoutQueryEcho('error when executing query="x{" for (time=1, step=300000): unexpected end of input')).toBe(
      'unexpected end of input'
    );
  });

  it('leaves Prometheus errors, which do not echo the query, as they are', () => {
    const error = '1:9: parse error: unexpected "}" in label matching, expected string';
    expect(withoutQueryEcho(error)).toBe(error);
  });
});

describe('withoutQueryEcho behind Grafana’s error type', () => {
  it('drops the echo after the prefix Grafana adds', () => {
    expect(
      withoutQueryEcho('422: error when executing query="x{" for (time=1, step=300000): unexpected end of input')
    ).toBe('422: unexpected end of input');
  });
});

describe('readStringList', () => {
  it.each([
    [{ status: 'success', data: ['a', 'b'] }, ['a', 'b']],
    [{ status: 'error', error: 'too many series' }, /too many series/],
    [{ status: 'success', data: { a: 1 } }, /not a list of names/],
    [{ status: 'success', data: ['a', 2] }, /not a list of names/],
    ['<html>', /not Prometheus JSON/],
    [undefined, /not Prometheus JSON/],
  ])('%j → %s', (body, expected) => {
    if (Array.isArray(expected)) {
      expect(readStringList(body, 'label names')).toEqual(expected);
    } else {
      expect(() => readStringList(body, 'label names')).toThrow(expected);
    }
  });
});
