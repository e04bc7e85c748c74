/**
 * The only place where PromQL text is assembled from values. Every label value goes through
 * `escapeLabelValue`, so a service called `a"} or vector(1) #` stays one string literal.
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Escapes a value for a double-quoted PromQL string literal. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      default:
        return '\\t';
    }
  });
}

/** Escapes regex metacharacters so a value can be matched literally inside `=~`. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Label names cannot be quoted in classic PromQL; refuse anything that is not a valid name. */
export function assertLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid Prometheus label name`);
  }
  return name;
}

/** A label name as a store may hold it: Prometheus 3 and VictoriaMetrics take any non-empty name. */
export function assertStoredLabelName(name: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new Error('a label name cannot be empty');
  }
  return name;
}

export function isClassicLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/**
 * How a query names a label that classic PromQL cannot (dots, dashes, unicode: OTel attributes stored as they are):
 * `classic` refuses such names; `quoted` writes `"k8s.pod.name"` (Prometheus 3, UTF-8 names); `escaped` writes
 * `k8s\.pod\.name`, a backslash before every other character and before a leading digit (VictoriaMetrics'
 * MetricsQL, `lib/metricsql` lexer).
 */
export type LabelNameSyntax = 'classic' | 'quoted' | 'escaped';

/** A label name as a query writes it; classic names are written as they are in every syntax. */
export function labelName(name: string, syntax: LabelNameSyntax = 'classic'): string {
  if (syntax === 'classic' || isClassicLabelName(name)) {
    return assertLabelName(name);
  }
  assertStoredLabelName(name);
  return syntax === 'quoted' ? `"${escapeLabelValue(name)}"` : name.replace(/^[0-9]|[^a-zA-Z0-9_]/gu, '\\$&');
}

export function matcher(label: string, op: MatchOp, value: string): LabelMatcher {
  return { label, op, value };
}

export const eq = (label: string, value: string) => matcher(label, '=', value);

/** `{a="x",b!="y"}` */
export function labelSelector(matchers: LabelMatcher[], syntax: LabelNameSyntax = 'classic'): string {
  const parts = matchers.map((m) => `${labelName(m.label, syntax)}${m.op}"${escapeLabelValue(m.value)}"`);
  return `{${parts.join(',')}}`;
}

/** `metric{…}` */
export function seriesSelector(metric: string, matchers: LabelMatcher[], syntax: LabelNameSyntax = 'classic'): string {
  return `${assertLabelName(metric)}${labelSelector(matchers, syntax)}`;
}

/** A range duration PromQL accepts everywhere: whole seconds, at least one. */
export function promDuration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

export function byClause(labels: string[], syntax: LabelNameSyntax = 'classic'): string {
  return `by (${labels.map((l) => labelName(l, syntax)).join(', ')})`;
}

/** `selector[window]`, read `offset` earlier when given (a duration such as `3600s`). */
export function rangeSelector(selector: string, window: string, offset?: string): string {
  return `${selector}[${window}]${offset ? ` offset ${offset}` : ''}`;
}

/**
 * `(sum by (…) (increase(selector[window])) / window)`: the mean per-second rate over the window, optionally `offset`
 * earlier. Not `rate()`: VictoriaMetrics' rate() of a series born inside the window divides by the series' own life
 * (`app/vmselect/promql/rollup.go`, `rollupDerivFast`), so a gRPC status first seen 6 minutes before the end of an
 * hour would weigh as if it had lasted the hour; its increase() counts such a series from zero (`rollupDelta`), and
 * Prometheus' increase() is its rate() times the window (`promql/functions.go`, `extrapolatedRate`). Both stores then
 * read the window's mean.
 */
export function sumRate(selector: string, groupBy: string[], windowSeconds: number, offset?: string): string {
  const seconds = Math.max(1, Math.round(windowSeconds));
  return `(sum ${byClause(groupBy)} (increase(${rangeSelector(selector, `${seconds}s`, offset)})) / ${seconds})`;
}

/** One quantile of a histogram, its samples tagged with a `quantile` label the aggregation reads back. */
export function quantileQuery(quantile: number, bucketRates: string): string {
  return `label_replace(histogram_quantile(${quantile}, ${bucketRates}), "quantile", "${quantile}", "", "")`;
}
