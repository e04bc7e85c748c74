import { parser } from '@prometheus-io/lezer-promql';
import fc from 'fast-check';
import { ANY_LABEL_VALUE as ANY_VALUE } from '../../tests/shared/hostileStrings';
import {
  assertLabelName,
  byClause,
  eq,
  escapeLabelValue,
  escapeRegex,
  labelName,
  labelSelector,
  matcher,
  quantileQuery,
  seriesSelector,
  type MatchOp,
} from './promql';

interface ParsedMatcher {
  label: string;
  op: string;
  /** The literal as written, quotes included. */
  literal: string;
}

interface Parsed {
  errorPositions: number[];
  nodeNames: string[];
  stringLiterals: string[];
  matchers: ParsedMatcher[];
}

function parsePromql(expr: string): Parsed {
  const parsed: Parsed = { errorPositions: [], nodeNames: [], stringLiterals: [], matchers: [] };
  const text = (from: number, to: number) => expr.slice(from, to);
  parser.parse(expr).iterate({
    enter: (ref) => {
      parsed.nodeNames.push(ref.name);
      if (ref.type.isError) {
        parsed.errorPositions.push(ref.from);
      }
      if (ref.name === 'StringLiteral') {
        parsed.stringLiterals.push(text(ref.from, ref.to));
      }
      if (ref.name === 'UnquotedLabelMatcher') {
        const label = ref.node.getChild('LabelName');
        const op = ref.node.getChild('MatchOp');
        const literal = ref.node.getChild('StringLiteral');
        if (label && op && literal) {
          const matcherText = { label: text(label.from, label.to), op: text(op.from, op.to) };
          parsed.matchers.push({ ...matcherText, literal: text(literal.from, literal.to) });
        }
      }
    },
  });
  return parsed;
}

const GO_SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/**
 * Go's strconv.Unquote for a double-quoted literal, which is what Prometheus applies to label values.
 * Numeric escapes (\x, \u, octal) are valid Go but rejected here: the escaper must never need them.
 */
function goUnquote(literal: string): string {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) {
    throw new Error(`not a double-quoted literal: ${literal}`);
  }
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n' || c === '"') {
      throw new Error(`raw ${JSON.stringify(c)} inside a Go string at ${i}`);
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i];
    if (next === undefined || !(next in GO_SIMPLE_ESCAPES)) {
      throw new Error(`escape \\${next ?? ''} is invalid or unexpected in a Go string`);
    }
    out += GO_SIMPLE_ESCAPES[next];
  }
  return out;
}

describe('escapeLabelValue', () => {
  test.each([
    ['plain', 'payments', 'payments'],
    ['empty', '', ''],
    ['double quote', 'say "hi"', String.raw`say \"hi\"`],
    ['backslash', 'C:\\temp', String.raw`C:\\temp`],
    ['trailing backslash', 'a\\', String.raw`a\\`],
    ['backslash then quote', '\\"', String.raw`\\\"`],
    ['newline', 'a\nb', String.raw`a\nb`],
    ['carriage return and tab', '\r\t', String.raw`\r\t`],
    ['closing brace is not special inside a string', 'a}b', 'a}b'],
    ['single quote and backtick stay raw', "it's `x`", "it's `x`"],
    ['unicode stays raw', 'zürich-東京-🚀', 'zürich-東京-🚀'],
    ['injection attempt', 'a"} or vector(1) #', String.raw`a\"} or vector(1) #`],
  ])('%s', (_name, value, expected) => {
    expect(escapeLabelValue(value)).toBe(expected);
  });
});

const HOSTILE_VALUES: Array<[string, string]> = [
  ['plain', 'payments'],
  ['empty', ''],
  ['double quotes', 'say "hi"'],
  ['backslashes', 'C:\\temp\\'],
  ['escaped quote attempt', '\\"} or vector(1) #'],
  ['newline', 'line1\nline2'],
  ['carriage return and tab', 'a\r\n\tb'],
  ['closing brace', '}'],
  ['injection', 'a"} or vector(1) #'],
  ['comment injection', '"} # '],
  ['unicode', 'zürich-東京-🚀'],
  ['single quote', "o'brien"],
];

describe.each(['=', '!=', '=~', '!~'] as MatchOp[])('seriesSelector with op %s', (op) => {
  test.each(HOSTILE_VALUES)('%s: one literal that decodes to the value', (_name, value) => {
    const expr = seriesSelector('response_total', [matcher('k8s_deployment_name', op, value)]);
    const parsed = parsePromql(expr);

    expect(parsed.errorPositions).toEqual([]);
    // A successful injection would add a BinaryExpr (`or`), a function call or a comment.
    expect(parsed.nodeNames).toEqual(
      expect.not.arrayContaining(['BinaryExpr', 'FunctionCall', 'LineComment', 'NumberDurationLiteral'])
    );
    expect(parsed.stringLiterals).toHaveLength(1);
    expect(parsed.matchers).toHaveLength(1);
    const [m] = parsed.matchers;
    expect(m.label).toBe('k8s_deployment_name');
    expect(m.op).toBe(op);
    expect(m.literal).toBe(parsed.stringLiterals[0]);
    expect(goUnquote(m.literal)).toBe(value);
    // The escapes used are a subset on which JSON and Go agree, so JSON.parse decodes them the same way.
    expect(JSON.parse(m.literal)).toBe(goUnquote(m.literal));
  });
});

describe('decoding assumption', () => {
  it('JSON.parse is not a Go decoder for raw control characters, which the escaper leaves as they are', () => {
    const value = 'a\u0001b';
    const [m] = parsePromql(seriesSelector('m', [eq('x', value)])).matchers;
    // Go accepts a raw U+0001 inside a double-quoted string; JSON does not.
    expect(goUnquote(m.literal)).toBe(value);
    expect(() => JSON.parse(m.literal)).toThrow();
  });

  it('the Go decoder rejects what an unescaped value would produce', () => {
    expect(() => goUnquote('"a"b"')).toThrow(/raw/);
    expect(() => goUnquote('"a\\"')).toThrow();
    expect(() => goUnquote('"a\nb"')).toThrow(/raw/);
    expect(() => goUnquote(String.raw`"\'"`)).toThrow(/invalid/);
  });

  it('an unescaped injection parses as a different query', () => {
    const naive = parsePromql('m{x="a"} or vector(1) #"}');
    expect(naive.nodeNames).toContain('BinaryExpr');
    expect(naive.stringLiterals).toEqual(['"a"']);
  });
});

describe('labelSelector', () => {
  it('joins matchers in order, each escaped', () => {
    const selector = labelSelector([
      eq('layer', 'mesh'),
      matcher('direction', '!=', 'in"bound'),
      matcher('a', '=~', 'x.*'),
    ]);
    expect(selector).toBe(String.raw`{layer="mesh",direction!="in\"bound",a=~"x.*"}`);
  });

  it('keeps each hostile value in its own matcher', () => {
    const values = ['a"} or vector(1) #', 'b\\', 'zürich-東京-🚀'];
    const expr = seriesSelector(
      'm',
      values.map((v, i) => eq(`l${i}`, v))
    );
    const parsed = parsePromql(expr);
    expect(parsed.errorPositions).toEqual([]);
    expect(parsed.matchers.map((m) => [m.label, goUnquote(m.literal)])).toEqual([
      ['l0', values[0]],
      ['l1', values[1]],
      ['l2', values[2]],
    ]);
  });

  it('rejects an invalid label name instead of quoting it', () => {
    expect(() => labelSelector([eq('service.name', 'x')])).toThrow(
      '"service.name" is not a valid Prometheus label name'
    );
  });
});

describe('seriesSelector', () => {
  it('prefixes the metric name', () => {
    expect(seriesSelector('response_total', [eq('layer', 'mesh')])).toBe('response_total{layer="mesh"}');
  });

  test.each(['response-total', 'a{b="c"}', 'x or vector(1)', ''])('rejects metric name %j', (metric) => {
    expect(() => seriesSelector(metric, [eq('layer', 'mesh')])).toThrow(/is not a valid Prometheus label name/);
  });
});

describe('assertLabelName', () => {
  test.each(['a', '_', '__name__', 'k8s_namespace_name', 'A9_b', 'le'])('accepts %j', (name) => {
    expect(assertLabelName(name)).toBe(name);
  });

  test.each(['', '9a', 'a-b', 'a.b', 'a b', 'a"', 'a}', 'läbel', 'job:rate5m', ' a', 'a\n'])('rejects %j', (name) => {
    expect(() => assertLabelName(name)).toThrow(`"${name}" is not a valid Prometheus label name`);
  });
});

describe('quantileQuery', () => {
  it('tags the quantile with a quantile label', () => {
    expect(quantileQuery(0.95, 'x')).toBe('label_replace(histogram_quantile(0.95, x), "quantile", "0.95", "", "")');
  });

  it('builds a valid query around a bucket-rate expression', () => {
    const rates = `sum by (le) (rate(${seriesSelector('response_latency_ms_bucket', [eq('ns', 'a"} or vector(1) #')])}[300s]))`;
    const parsed = parsePromql(quantileQuery(0.99, rates));
    expect(parsed.errorPositions).toEqual([]);
    expect(parsed.nodeNames.filter((n) => n === 'HistogramQuantile')).toHaveLength(1);
    expect(parsed.nodeNames.filter((n) => n === 'Or')).toHaveLength(0);
    expect(parsed.matchers.map((m) => goUnquote(m.literal))).toEqual(['a"} or vector(1) #']);
    // The quantile label value is the string the aggregation reads back.
    expect(parsed.stringLiterals.filter((s) => /^"0\.\d+"$/.test(s)).map(goUnquote)).toEqual(['0.99']);
  });
});

// ---- properties over generated values --------------------------------------------------------------------------

describe('escaping, for any value', () => {
  it('a label value in any matcher is one string literal that decodes to exactly that value', () => {
    fc.assert(
      fc.property(ANY_VALUE, fc.constantFrom<MatchOp>('=', '!=', '=~', '!~'), (value, op) => {
        const parsed = parsePromql(seriesSelector('response_total', [matcher('l', op, value), eq('layer', 'mesh')]));
        expect(parsed.errorPositions).toEqual([]);
        expect(parsed.matchers.map((m) => [m.label, m.op, goUnquote(m.literal)])).toEqual([
          ['l', op, value],
          ['layer', '=', 'mesh'],
        ]);
      }),
      { numRuns: 2000 }
    );
  });

  it('an escaped regex matches exactly its literal, and nothing one edit away', () => {
    // Variants a sloppy escaper would let through: the metacharacters' other meanings.
    const variant = (s: string) =>
      fc.oneof(
        fc.constant(s),
        fc.constant(`${s}x`),
        fc.constant(`x${s}`),
        fc.constant(s.slice(1)),
        fc.constant(s.replace(/./u, 'Z')),
        fc.constant(s.replace(/[.*+?]/u, 'aa')),
        fc.constant(`${s}${s}`)
      );
    fc.assert(
      fc.property(
        ANY_VALUE.chain((s) => fc.tuple(fc.constant(s), variant(s))),
        ([literal, candidate]) => {
          const regex = new RegExp(`^(?:${escapeRegex(literal)})$`, 'su');
          expect(regex.test(candidate)).toBe(candidate === literal);
        }
      ),
      { numRuns: 3000 }
    );
  });

  it('a quoted label name (Prometheus 3) parses as one name that decodes to exactly that name', () => {
    fc.assert(
      fc.property(
        ANY_VALUE.filter((n) => n !== ''),
        (name) => {
          const expr = `count ${byClause([name], 'quoted')} (${labelSelector([eq(name, 'x')], 'quoted')})`;
          const names: string[] = [];
          const errors: number[] = [];
          parser.parse(expr).iterate({
            enter: (ref) => {
              if (ref.type.isError) {
                errors.push(ref.from);
              }
              if (ref.name === 'QuotedLabelName') {
                const literal = ref.node.getChild('StringLiteral');
                names.push(goUnquote(expr.slice(literal!.from, literal!.to)));
              }
            },
          });
          expect(errors).toEqual([]);
          // Classic names are written bare; every other name is quoted, in the grouping and in the matcher.
          expect(names).toEqual(/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? [] : [name, name]);
          expect(labelName(name, 'quoted')).toBe(names.length ? `"${escapeLabelValue(name)}"` : name);
        }
      ),
      { numRuns: 1000 }
    );
  });
});
