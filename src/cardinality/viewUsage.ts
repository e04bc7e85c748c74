import { buildEdgeQueries, type EdgeScope } from '../query/edgeQueries';
import { escapeRegex } from '../query/promql';
import { buildOverviewQueries } from '../query/overviewQueries';
import { SERVICE_CHARTS } from '../query/serviceCharts';
import type { AppSettings } from '../settings/types';

/** Which families the views read, and per family which labels they group or filter by. */
export interface ViewUsage {
  families: Set<string>;
  labels: Map<string, Set<string>>;
}

/** A placeholder service: the queries' shape, not their values, matters here. */
const REF = { namespace: 'ns', workload: 'workload' };
const WINDOW_SECONDS = 300;
/** The map's edges, and a drill-down's callers and callees. */
const EDGE_SCOPES: EdgeScope[] = [
  { kind: 'mesh' },
  { kind: 'callers', service: REF },
  { kind: 'callees', service: REF },
];

/** Every PromQL expression the plugin's views issue for these settings: overview, service map and drill-down. */
export function viewQueries(settings: AppSettings): string[] {
  const panels = SERVICE_CHARTS.flatMap((chart) => chart.queries(settings, REF));
  return [
    ...buildOverviewQueries({ settings, windowSeconds: WINDOW_SECONDS }).map((q) => q.expr),
    ...EDGE_SCOPES.flatMap((scope) => buildEdgeQueries(settings, WINDOW_SECONDS, scope)).map((q) => q.expr),
    ...panels.map((q) => q.expr),
  ];
}

const NAME_CHAR = '[a-zA-Z0-9_:]';
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*"/g;

/** Label names a query groups by or matches on (it never reads a label any other way). */
export function labelsInQuery(expr: string): Set<string> {
  const labels = new Set<string>();
  for (const [, list] of expr.matchAll(GROUPING)) {
    list
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean)
      .forEach((l) => labels.add(l));
  }
  for (const [, label] of expr.matchAll(MATCHER)) {
    labels.add(label);
  }
  labels.delete('__name__');
  return labels;
}

export function mentionsFamily(expr: string, family: string): boolean {
  return new RegExp(`(?<!${NAME_CHAR})${escapeRegex(family)}(?!${NAME_CHAR})`).test(expr);
}

/**
 * Reads the views' own query text, so a view that starts reading a family (or a label) is counted without a
 * second list to keep in step. A label counts as used for every family its query mentions.
 */
export function viewUsage(settings: AppSettings, families: string[]): ViewUsage {
  const usage: ViewUsage = { families: new Set(), labels: new Map() };
  for (const expr of viewQueries(settings)) {
    const mentioned = families.filter((f) => mentionsFamily(expr, f));
    if (mentioned.length === 0) {
      continue;
    }
    const labels = labelsInQuery(expr);
    for (const family of mentioned) {
      usage.families.add(family);
      const set = usage.labels.get(family) ?? new Set<string>();
      labels.forEach((l) => set.add(l));
      usage.labels.set(family, set);
    }
  }
  return usage;
}
