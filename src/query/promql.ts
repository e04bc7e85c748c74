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

export function matcher(label: string, op: MatchOp, value: string): LabelMatcher {
  return { label, op, value };
}

export const eq = (label: string, value: string) => matcher(label, '=', value);

/** `{a="x",b!="y"}` */
export function labelSelector(matchers: LabelMatcher[]): string {
  const parts = matchers.map((m) => `${assertLabelName(m.label)}${m.op}"${escapeLabelValue(m.value)}"`);
  return `{${parts.join(',')}}`;
}

/** `metric{…}` */
export function seriesSelector(metric: string, matchers: LabelMatcher[]): string {
  return `${assertLabelName(metric)}${labelSelector(matchers)}`;
}

/** A range duration PromQL accepts everywhere: whole seconds, at least one. */
export function promDuration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

export function byClause(labels: string[]): string {
  return `by (${labels.map(assertLabelName).join(', ')})`;
}

/** `sum by (…) (rate(selector[window]))` */
export function sumRate(selector: string, groupBy: string[], window: string): string {
  return `sum ${byClause(groupBy)} (rate(${selector}[${window}]))`;
}

/** Tags each quantile's result with a `quantile` label and returns them from one query. */
export function quantilesQuery(quantiles: number[], bucketRates: string): string {
  return quantiles
    .map((q) => `label_replace(histogram_quantile(${q}, ${bucketRates}), "quantile", "${q}", "", "")`)
    .join(' or ');
}
