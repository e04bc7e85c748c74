/**
 * TraceQL literals that two readers agree on: Tempo, which runs the query, and Grafana's editor, which parses it
 * with @grafana/lezer-traceql before sending it.
 *
 * - Tempo's lexer (grafana/tempo `pkg/traceql/lexer.go`) reads a double-quoted string with Go's `text/scanner`,
 *   then `strconv.Unquote`: every Go escape works (`\n`, `\t`, `\x00`, `\u00e9` …), a raw newline ends the
 *   literal with "literal not terminated", and a raw NUL is an "invalid character NUL".
 * - Grafana's grammar (grafana/lezer-traceql `src/traceql.grammar`, `stringDouble`) knows only `\"` and `\\`; any
 *   other backslash is a syntax error, while every other raw character, newlines included, is accepted.
 *
 * So a value is written raw with `\"` and `\\` escaped, which both read the same, unless it holds a newline or a
 * NUL: no string literal both accept can carry those. Such a value is matched with an anchored regular expression
 * instead (`=~`; Tempo anchors it as `^(?s:…)$`, Prometheus' `FastRegexMatcher`), whose own escapes `\n` and `\x00`
 * need only the backslash that both readers accept.
 */

/** Characters RE2 reads as syntax (Go's `regexp.QuoteMeta`), which a literal match must escape. */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** A double-quoted TraceQL string of a text that holds no newline and no NUL. */
export function traceQLString(text: string): string {
  if (/[\n\0]/.test(text)) {
    throw new Error('a TraceQL string literal cannot carry a newline or a NUL: match it with quoteRegex');
  }
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** An RE2 expression matching exactly `value`, with newlines and NULs written as the escapes `\n` and `\x00`. */
export function quoteRegex(value: string): string {
  return value
    .replace(REGEX_META, (char) => `\\${char}`)
    .replace(/\n/g, '\\n')
    .replace(/\0/g, '\\x00');
}

/** `field = "value"`, or the exact anchored regex match when the value cannot be a string literal. */
export function equalsString(field: string, value: string): string {
  return /[\n\0]/.test(value)
    ? `${field} =~ ${traceQLString(quoteRegex(value))}`
    : `${field} = ${traceQLString(value)}`;
}

/** `field =~ "…"` for an RE2 expression. */
export function matchesRegex(field: string, regex: string): string {
  return `${field} =~ ${traceQLString(regex)}`;
}

/**
 * A duration bound rounded in the given direction, so that it never lets in what it should keep out: to the
 * millisecond from 10 ms, to 0.1 ms below (the precision the plugin shows durations with).
 */
export function roundDurationMs(ms: number, round: 'up' | 'down'): number {
  const step = ms >= 10 ? 1 : 0.1;
  const steps = round === 'up' ? Math.ceil(ms / step - 1e-9) : Math.floor(ms / step + 1e-9);
  return Math.max(0, Number((steps * step).toFixed(1)));
}

/** A TraceQL duration literal of such a bound; Tempo reads fractions (`4.7ms`) through Go's `time.ParseDuration`. */
export function durationLiteral(ms: number, round: 'up' | 'down'): string {
  return `${roundDurationMs(ms, round)}ms`;
}
