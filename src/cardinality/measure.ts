/**
 * Gathers the budget's counts from the store with a number of requests bounded by families and labels, never by
 * series. Every answer is an aggregate: a count per family, label names, or one number per (family, label).
 *
 * Requests for one report, with F the kept families that have active series (at most 10 mesh + 6 app), B of them
 * `_bucket` families, and L_f the labels of family f:
 *   - 2 instant queries: active series per family, `count by (__name__) ({__name__=~"…", layer…})`, one per layer;
 *   - F label-name requests: `/api/v1/labels?match[]=<family>{…}` (the only way to learn a family's label names
 *     without listing its series);
 *   - the bucket layout of the B histograms (3 sub-queries each: bounds, histograms, +Inf series);
 *   - 2 sub-queries per other (family, label): the distinct values of l, `count(count by (l) (f{…,l!=""}))`, and
 *     the distinct label sets once l is removed, `count(count without (l) (f{…}))`.
 * Sub-queries are joined with `or` into instant queries of at most 20 sub-queries, 8,000 characters and 500,000
 * series read (each sub-query reads its family's series once). So a report takes at most
 * 2 + F + B + 2·ΣL_f requests, however many series there are; small stores need far fewer: the demo scenario
 * (OTel schema: 16 families, 246 (family, label) pairs, 2,773 series) takes 2 + 16 + 1 + 25 = 44.
 *
 * Server work grows with series × labels (every sub-query reads its family once). A histogram whose series all
 * have the same bounds is read through its +Inf series only (one per histogram), which divides the work on the
 * biggest family by its number of buckets. Label names that only occur on series older than the lookback count 0
 * and are left out.
 */
import {
  assertLabelName,
  eq,
  escapeLabelValue,
  escapeRegex,
  labelSelector,
  matcher,
  seriesSelector,
  type LabelMatcher,
} from '../query/promql';
import { APP_LAYER } from '../query/schema';
import type { MetricsApi, PromApi } from '../query/promApi';
import type { AppSettings, SemconvVersion } from '../settings/types';
import { buildReport, combinedCountsNeeded, LAYERS, planDrop } from './budget';
import { keptFamilies } from './families';
import type {
  CardinalityMeasurement,
  CardinalityReport,
  DropPlan,
  DropSelection,
  FamilyMeasurement,
  FamilySpec,
  LabelMeasurement,
  Layer,
} from './types';

/** Prometheus' default lookback: an instant query sees series with a sample in the last five minutes. */
export const DEFAULT_LOOKBACK_SECONDS = 300;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_SUBQUERIES = 20;
/** VictoriaMetrics refuses queries longer than 16 KiB by default (-search.maxQueryLen). */
export const DEFAULT_MAX_QUERY_LENGTH = 8000;
/**
 * Series read per request: each sub-query reads its family's series again (about 10 µs per series on a loaded
 * VictoriaMetrics or Prometheus), so this keeps a request to a few seconds, well inside Grafana's 30 s proxy timeout.
 */
export const DEFAULT_MAX_SERIES_PER_REQUEST = 500_000;

/** A histogram's +Inf bucket: one series per histogram. */
const INF = eq('le', '+Inf');

/** The label the sub-queries of one request are told apart by. */
const KEY_LABEL = 'meshlens_key';

export interface QueryLimits {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Sub-queries joined with `or` into one instant query. */
  maxSubqueries?: number;
  /** Characters per instant query (a longer single sub-query still goes alone). */
  maxQueryLength?: number;
  /** Series the store reads per instant query, summed over its sub-queries (a bigger one still goes alone). */
  maxSeriesPerRequest?: number;
}

/** One number to ask for, and how many series the store reads to answer it. */
export interface SubQuery {
  expr: string;
  cost: number;
}

export interface MeasureOptions extends QueryLimits {
  semconv: SemconvVersion;
  /** Unix seconds to evaluate at (usually now). */
  timeSeconds: number;
  /** How far back label names are looked up; labels seen only on older series count 0 and are left out. */
  lookbackSeconds?: number;
  /** What tells mesh series apart (the settings' mesh selector, schema.meshMatchers). */
  mesh: LabelMatcher[];
  /** Added to every selector of both layers, e.g. one job or namespace. */
  matchers?: LabelMatcher[];
}

/** The selector of one layer's series: the mesh selector of the settings, or "not the mesh" for the app. */
export function layerMatchers(layer: Layer, mesh: LabelMatcher[], extra: LabelMatcher[] = []): LabelMatcher[] {
  return [...(layer === 'mesh' ? mesh : [APP_LAYER]), ...extra];
}

/** Active series per family of one layer, as one query. */
export function familySeriesQuery(families: string[], matchers: LabelMatcher[]): string {
  const names = matcher('__name__', '=~', families.map(escapeRegex).join('|'));
  return `count by (__name__) (${labelSelector([names, ...matchers])})`;
}

/** Series of the family matching the matchers. */
export function seriesCountQuery(family: string, matchers: LabelMatcher[]): string {
  return `count(${seriesSelector(family, matchers)})`;
}

/** Distinct non-empty values of `label` among the family's series. */
export function distinctValuesQuery(family: string, label: string, matchers: LabelMatcher[]): string {
  const selector = seriesSelector(family, [...matchers, matcher(label, '!=', '')]);
  return `count(count by (${assertLabelName(label)}) (${selector}))`;
}

/** Distinct label sets of the family once `labels` are removed: its series after dropping them. */
export function seriesWithoutQuery(family: string, labels: string[], matchers: LabelMatcher[]): string {
  return `count(count without (${labels.map(assertLabelName).join(', ')}) (${seriesSelector(family, matchers)}))`;
}

function tagged(expr: string, key: number): string {
  return `label_replace(${expr}, "${KEY_LABEL}", "${escapeLabelValue(String(key))}", "", "")`;
}

/** Packs sub-queries into as few `or`-joined queries as the limits allow. Returns the keys of each query. */
export function packSubqueries(subs: SubQuery[], limits: QueryLimits = {}): Array<{ expr: string; keys: number[] }> {
  const maxSub = limits.maxSubqueries ?? DEFAULT_MAX_SUBQUERIES;
  const maxLength = limits.maxQueryLength ?? DEFAULT_MAX_QUERY_LENGTH;
  const maxSeries = limits.maxSeriesPerRequest ?? DEFAULT_MAX_SERIES_PER_REQUEST;
  const packs: Array<{ parts: string[]; keys: number[]; length: number; cost: number }> = [];
  subs.forEach(({ expr, cost }, key) => {
    const part = tagged(expr, key);
    const last = packs[packs.length - 1];
    if (
      last &&
      last.parts.length < maxSub &&
      last.length + 4 + part.length <= maxLength &&
      last.cost + cost <= maxSeries
    ) {
      last.parts.push(part);
      last.keys.push(key);
      last.length += 4 + part.length;
      last.cost += cost;
    } else {
      packs.push({ parts: [part], keys: [key], length: part.length, cost });
    }
  });
  return packs.map((p) => ({ expr: p.parts.join(' or '), keys: p.keys }));
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order. */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Evaluates single-number sub-queries in packed requests; a sub-query without a result counts 0. */
export async function evaluateCounts(
  api: PromApi,
  subs: SubQuery[],
  timeSeconds: number,
  limits: QueryLimits = {}
): Promise<number[]> {
  const values = new Array<number>(subs.length).fill(0);
  const packs = packSubqueries(subs, limits);
  await mapLimit(packs, limits.concurrency ?? DEFAULT_CONCURRENCY, async (pack) => {
    const wanted = new Set(pack.keys);
    for (const sample of await api.instant(pack.expr, timeSeconds)) {
      const key = Number(sample.labels[KEY_LABEL]);
      if (wanted.has(key) && Number.isFinite(sample.value)) {
        values[key] = sample.value;
      }
    }
  });
  return values;
}

function countingApi(api: MetricsApi): { api: MetricsApi; count(): number } {
  let requests = 0;
  return {
    api: {
      instant: (expr, time) => {
        requests++;
        return api.instant(expr, time);
      },
      labelNames: (selector, start, end) => {
        requests++;
        return api.labelNames(selector, start, end);
      },
      labelValues: (label, selector, start, end) => {
        requests++;
        return api.labelValues(label, selector, start, end);
      },
    },
    count: () => requests,
  };
}

/** The store's counts for every kept family of both layers. */
export async function measureCardinality(api: MetricsApi, options: MeasureOptions): Promise<CardinalityMeasurement> {
  const { api: counted, count } = countingApi(api);
  const t = options.timeSeconds;
  const specs = keptFamilies(options.semconv);
  const matchersOf = (layer: Layer) => layerMatchers(layer, options.mesh, options.matchers);

  const series = new Map<string, number>();
  await Promise.all(
    LAYERS.map(async (layer) => {
      const names = specs.filter((s) => s.layer === layer).map((s) => s.family);
      for (const sample of await counted.instant(familySeriesQuery(names, matchersOf(layer)), t)) {
        const name = sample.labels.__name__;
        if (names.includes(name) && Number.isFinite(sample.value)) {
          series.set(name, sample.value);
        }
      }
    })
  );
  const present = specs.filter((s) => (series.get(s.family) ?? 0) > 0);
  const absentFamilies: FamilySpec[] = specs.filter((s) => !present.includes(s));

  const lookback = options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const names = await mapLimit(present, concurrency, async (spec) => {
    const all = await counted.labelNames(seriesSelector(spec.family, matchersOf(spec.layer)), t - lookback, t);
    // Label names come from the store; anything PromQL could not name is left out rather than sent.
    return [...new Set(all)].filter((n) => n !== '__name__' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n)).sort();
  });

  // Histogram buckets first: their layout decides how the other labels of a _bucket family are counted.
  const layouts = await measureBucketLayouts(counted, present, names, series, matchersOf, t, options);

  const subs: SubQuery[] = [];
  const slots: Array<{ family: number; label: string; distinct: number; without: number; factor: number }> = [];
  present.forEach((spec, family) => {
    const layout = layouts.get(spec.family);
    // A uniform histogram's label sets are its +Inf series times its bounds: read one series per histogram.
    const matchers = layout?.uniform ? [...matchersOf(spec.layer), INF] : matchersOf(spec.layer);
    const cost = layout?.uniform ? layout.histograms : (series.get(spec.family) ?? 0);
    for (const label of names[family].filter((l) => !(layout && l === 'le'))) {
      slots.push({
        family,
        label,
        distinct: subs.length,
        without: subs.length + 1,
        factor: layout?.uniform ? layout.buckets : 1,
      });
      subs.push(
        { expr: distinctValuesQuery(spec.family, label, matchers), cost },
        { expr: seriesWithoutQuery(spec.family, [label], matchers), cost }
      );
    }
  });
  const values = await evaluateCounts(counted, subs, t, options);

  const families: FamilyMeasurement[] = present.map((spec, index) => {
    const layout = layouts.get(spec.family);
    const labels: LabelMeasurement[] = slots
      .filter((s) => s.family === index && values[s.distinct] > 0)
      .map((s) => ({
        label: s.label,
        distinctValues: values[s.distinct],
        seriesWithout: values[s.without] * s.factor,
      }));
    if (layout && layout.buckets > 0) {
      labels.push({ label: 'le', distinctValues: layout.buckets, seriesWithout: layout.histograms });
      labels.sort((a, b) => a.label.localeCompare(b.label));
    }
    const measured: FamilyMeasurement = { ...spec, series: series.get(spec.family) ?? 0, labels };
    if (layout) {
      measured.uniformBuckets = layout.uniform;
    }
    return measured;
  });
  return { evaluatedAtSeconds: t, families, absentFamilies, requests: count() };
}

interface BucketLayout {
  /** Distinct `le` values. */
  buckets: number;
  /** Label sets without `le`. */
  histograms: number;
  /** Every histogram has a +Inf series and every bound: series = histograms × buckets. */
  uniform: boolean;
}

/**
 * Per `_bucket` family: its bounds, its histograms, and whether every histogram has every bound and a +Inf bucket
 * (`series = histograms × buckets` and one +Inf series per histogram). When it does, each other label's counts come
 * from the +Inf series alone, exactly, at 1/buckets of the cost; proxies of different versions with different bounds
 * make a family non-uniform, and it is then counted over all its series.
 */
async function measureBucketLayouts(
  api: PromApi,
  present: FamilySpec[],
  names: string[][],
  series: Map<string, number>,
  matchersOf: (layer: Layer) => LabelMatcher[],
  t: number,
  limits: QueryLimits
): Promise<Map<string, BucketLayout>> {
  const buckets = present.filter((spec, i) => spec.histogram?.part === 'bucket' && names[i].includes('le'));
  const subs = buckets.flatMap((spec): SubQuery[] => {
    const matchers = matchersOf(spec.layer);
    const cost = series.get(spec.family) ?? 0;
    return [
      { expr: distinctValuesQuery(spec.family, 'le', matchers), cost },
      { expr: seriesWithoutQuery(spec.family, ['le'], matchers), cost },
      { expr: seriesCountQuery(spec.family, [...matchers, INF]), cost },
    ];
  });
  const values = await evaluateCounts(api, subs, t, limits);
  return new Map(
    buckets.map((spec, i) => {
      const [distinct, histograms, inf] = values.slice(3 * i, 3 * i + 3);
      const uniform = inf === histograms && distinct * histograms === series.get(spec.family);
      return [spec.family, { buckets: distinct, histograms, uniform }];
    })
  );
}

export interface CardinalityOptions extends Omit<MeasureOptions, 'semconv'> {
  /** The plugin's settings: semantic conventions (which app families), and which views read what. */
  settings: AppSettings;
  /** Seconds between samples per layer; see DEFAULT_INTERVAL_SECONDS. */
  intervalSeconds?: Partial<Record<Layer, number>>;
}

/** The cardinality budget of the kept families of both layers. */
export async function fetchCardinality(api: MetricsApi, options: CardinalityOptions): Promise<CardinalityReport> {
  const measurement = await measureCardinality(api, { ...options, semconv: options.settings.semconv });
  return buildReport(measurement, { settings: options.settings, intervalSeconds: options.intervalSeconds });
}

export interface DropPlanOptions extends QueryLimits {
  /** The mesh selector and the matchers the report was measured with. */
  mesh: LabelMatcher[];
  matchers?: LabelMatcher[];
}

/**
 * Series per family after a selection is applied. Families losing one label are answered by the report; each
 * family losing several costs one sub-query, so the plan takes ⌈families / S⌉ requests at most (none for most).
 */
export async function fetchDropPlan(
  api: PromApi,
  report: CardinalityReport,
  selection: DropSelection,
  options: DropPlanOptions
): Promise<DropPlan> {
  const needed = combinedCountsNeeded(report, selection).map((c) => {
    const family = report.families.find((f) => f.family === c.family);
    // `le` is never dropped (it is blocked), so a uniform histogram keeps its bounds: count its +Inf series.
    const uniform = family?.uniformBuckets === true && !c.labels.includes('le');
    const matchers = layerMatchers(c.layer, options.mesh, options.matchers);
    return {
      ...c,
      factor: uniform ? (family?.buckets ?? 1) : 1,
      sub: {
        expr: seriesWithoutQuery(c.family, c.labels, uniform ? [...matchers, INF] : matchers),
        cost: uniform ? (family?.seriesPerBucket ?? 0) : (family?.series ?? 0),
      },
    };
  });
  const values = await evaluateCounts(
    api,
    needed.map((c) => c.sub),
    report.evaluatedAtSeconds,
    options
  );
  const combined = Object.fromEntries(needed.map((c, i) => [c.family, values[i] * c.factor]));
  return planDrop(report, selection, combined);
}
