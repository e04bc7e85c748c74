import fc from 'fast-check';
import { parser } from '@grafana/lezer-traceql';
import { goUnquote } from '../../tests/shared/goString';
import { durationLiteral, equalsString, quoteRegex, roundDurationMs, traceQLString } from './traceql';

/** The String literals of a query, as Grafana's grammar delimits them, and whether it found an error. */
function parse(query: string): { literals: string[]; error: boolean } {
  const literals: string[] = [];
  let error = false;
  parser.parse(query).iterate({
    enter: (node) => {
      error ||= node.type.isError;
      if (node.name === 'String') {
        literals.push(query.slice(node.from, node.to));
      }
    },
  });
  return { literals, error };
}

/** What Grafana's grammar reads in a literal: it knows the escapes `\"` and `\\` only. */
function grafanaUnquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(["\\])/g, '$1');
}

/** Tempo's reading of the condition: the value compared, or the anchored regex matched (Go's RE2 escapes). */
function tempoMatches(operator: string, literal: string, candidate: string): boolean {
  const text = goUnquote(literal);
  return operator === '=' ? text === candidate : new RegExp(`^(?:${text})$`, 's').test(candidate);
}

const awkward = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\\', '"', '\n', '\0', '\t', '\r', '\x7f', '\u2028', '\ufeff', '`', '.', '*', '(', '|', '$', '{'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
  ),
});

describe('equalsString', () => {
  it('keeps any value one literal that Grafana’s grammar parses and Tempo reads back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(awkward, fc.string({ unit: 'binary' })), (value) => {
        const condition = equalsString('resource.service.name', value);
        const query = `{ ${condition} && kind = server }`;
        const { literals, error } = parse(query);
        expect(error).toBe(false);
        expect(literals).toHaveLength(1);
        const [literal] = literals;
        // Both readers see the same text: only \" and \\ are escaped, and neither reader rejects the rest.
        expect(grafanaUnquote(literal)).toBe(goUnquote(literal));
        const operator = condition.slice('resource.service.name '.length).split(' ')[0];
        expect(tempoMatches(operator, literal, value)).toBe(true);
        expect(tempoMatches(operator, literal, `${value}x`)).toBe(false);
        expect(tempoMatches(operator, literal, `x${value}`)).toBe(false);
      }),
      { numRuns: 2000 }
    );
  });

  test.each([
    ['payments', 'resource.service.name = "payments"'],
    ['pay"ments', 'resource.service.name = "pay\\"ments"'],
    ['a\\b', 'resource.service.name = "a\\\\b"'],
    ['tab\there', 'resource.service.name = "tab\there"'],
    ['line\nbreak.x', 'resource.service.name =~ "line\\\\nbreak\\\\.x"'],
    ['nul\0', 'resource.service.name =~ "nul\\\\x00"'],
  ])('%j → %s', (value, expected) => {
    expect(equalsString('resource.service.name', value)).toBe(expected);
  });
});

describe('traceQLString and quoteRegex', () => {
  it('refuse to put a newline or a NUL in a literal, where Tempo’s lexer stops', () => {
    expect(() => traceQLString('a\nb')).toThrow(/newline or a NUL/);
    expect(() => goUnquote('"a\nb"')).toThrow('literal not terminated');
    expect(() => goUnquote('"a\0b"')).toThrow('invalid character NUL');
  });

  it('escapes what RE2 reads as syntax', () => {
    expect(quoteRegex('a.b*c(d)|e[f]{g}^h$\\')).toBe('a\\.b\\*c\\(d\\)\\|e\\[f\\]\\{g\\}\\^h\\$\\\\');
  });
});

describe('durations', () => {
  test.each<[number, 'up' | 'down', string]>([
    [47.36, 'down', '47ms'],
    [47.36, 'up', '48ms'],
    [4.76, 'down', '4.7ms'],
    [4.71, 'up', '4.8ms'],
    [4.7, 'up', '4.7ms'],
    [0.04, 'down', '0ms'],
  ])('%d rounded %s → %s', (ms, round, literal) => {
    expect(durationLiteral(ms, round)).toBe(literal);
    expect(parse(`{ duration > ${literal} }`).error).toBe(false);
  });

  it('never rounds a bound across the value it bounds', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), (ms) => {
        expect(roundDurationMs(ms, 'up')).toBeGreaterThanOrEqual(ms - 1e-9);
        expect(roundDurationMs(ms, 'down')).toBeLessThanOrEqual(ms + 1e-9);
      })
    );
  });
});
