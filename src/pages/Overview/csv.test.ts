import { toCsv } from './csv';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and doubles inner quotes', () => {
    expect(
      toCsv(
        ['name', 'note'],
        [
          ['a,b', 'say "hi"'],
          ['line\nbreak', 'carriage\rreturn'],
        ]
      )
    ).toBe('name,note\r\n"a,b","say ""hi"""\r\n"line\nbreak","carriage\rreturn"\r\n');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(toCsv(['service'], [['=HYPERLINK("x")'], ['+1'], ['-cmd'], ['@SUM(A1)'], ['\tx'], ['plain']])).toBe(
      `service\r\n"'=HYPERLINK(""x"")"\r\n'+1\r\n'-cmd\r\n'@SUM(A1)\r\n'\tx\r\nplain\r\n`
    );
  });

  it('writes numbers as numbers, negative ones too, and no data as an empty field', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[-1.5, 0.92, undefined, Number.NaN]])).toBe('a,b,c,d\r\n-1.5,0.92,,\r\n');
  });

  it('writes Infinity as it is: a histogram quantile in the +Inf bucket', () => {
    expect(toCsv(['p99'], [[Infinity]])).toBe('p99\r\nInfinity\r\n');
  });
});
