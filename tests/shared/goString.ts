/**
 * How Tempo reads a double-quoted TraceQL string (grafana/tempo `pkg/traceql/lexer.go`): Go's `text/scanner`
 * finds the literal, refusing a raw newline ("literal not terminated") and a raw NUL ("invalid character NUL"),
 * then `strconv.Unquote` decodes Go's escapes. A model for tests, written from the Go specification's
 * "Rune literals" and "String literals" sections; it throws where Go returns an error.
 */
const SIMPLE_ESCAPES: Record<string, string> = {
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

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

export function goUnquote(literal: string): string {
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) {
    throw new Error(`not a double-quoted literal: ${literal}`);
  }
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\n') {
      throw new Error('literal not terminated');
    }
    if (char === '\0') {
      throw new Error('invalid character NUL');
    }
    if (char === '"') {
      throw new Error('unescaped quote inside the literal');
    }
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    if (next === undefined) {
      throw new Error('escape at the end of the literal');
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (next in HEX_DIGITS) {
      const digits = body.slice(i + 1, i + 1 + HEX_DIGITS[next]);
      if (digits.length !== HEX_DIGITS[next] || !/^[0-9a-fA-F]+$/.test(digits)) {
        throw new Error(`invalid \\${next} escape`);
      }
      const value = parseInt(digits, 16);
      // \x is a byte; \u and \U a code point, never a surrogate half.
      if (next !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) {
        throw new Error('escape is invalid Unicode code point');
      }
      out += String.fromCodePoint(value);
      i += HEX_DIGITS[next];
    } else if (/[0-7]/.test(next)) {
      const digits = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) {
        throw new Error('invalid octal escape');
      }
      out += String.fromCharCode(parseInt(digits, 8));
      i += 2;
    } else {
      throw new Error(`unknown escape sequence \\${next}`);
    }
  }
  return out;
}
