/**
 * Gathers the budget's counts from the store with a number of requests bounded by families and labels, never by
 * series. Every answer is an aggregate: a count per family, label names, or one number per (family, label).
 *
 * Requests for one report, with F the kept families that have active series (at most 10 mesh + 6 app), B of them
 * `_bucket` families, and L_f the labels of family f:
 *   - 2 instant queries: active series per family, `count by (__name__) ({__name__=~"…", layer…})`, one per layer;
 *   - 2 instant queries for the mesh's side costs: the kept families' admin-port series and Linkerd's route families;
 *   - F label-name requests: `/api/v1/labels?match[]=<family>{…}` (the only way to learn a family's label names
 *     without listing its series);
 *   - the bucket layout of the B histograms (3 sub-queries each: bounds, histograms, +Inf series);
 *   - 2 sub-queries per other (family, label): the distinct values of l, `count(count by (l) (f{…,l!=""}))`, and
 *     the distinct label sets once l is removed, `count(count without (l) (f{…}))`.
 * Sub-queries are joined with `or` into instant queries of at most 20 sub-queries, 8,000 characters and 500,000
 * series read (each sub-query reads its family's series once). So a report takes at most
 * 4 + F + B + 2·ΣL_f requests, however many series there are; small stores need far fewer: the demo scenario
 * (OTel schema: 16 families, 246 (family, label) pairs, 2,773 series) takes 4 + 16 + 1 + 25 = 46.
 *
 * Server work grows with series × labels (every sub-query reads its family once). A histogram whose series all
 * have the same bounds is read through its +Inf series only (one per histogram), which divides the work on the
 * biggest family by its number of buckets. Label names that only occur on series older than the lookback count 0
 * and are left out.
 */
import {
  byClause,
  eq,
  escapeLabelValue,
  escapeRegex,
  isClassicLabelName,
  labelName,
  labelSelector,
  matcher,
  seriesSelector,
  type LabelNameSyntax,
  type LabelMatcher,
} from '../query/promql';
import { APP_LAYER, LINKERD_ADMIN_PORT, LINKERD_ROUTE_FAMILY_PATTERN } from '../query/schema';
import { PromQueryError, type MetricsApi, type PromApi } from '../query/promApi';
import type { Sample } from '../query/sample';
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
  MeasurementGap,
  MeshSideCosts,
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
export function distinctValuesQuery(
  family: string,
  label: string,
  matchers: LabelMatcher[],
  syntax: LabelNameSyntax = 'classic'
): string {
  const selector = seriesSelector(family, [...matchers, matcher(label, '!=', '')], syntax);
  return `count(count ${byClause([label], syntax)} (${selector}))`;
}

/** Distinct label sets of the family once `labels` are removed: its series after dropping them. */
export function seriesWithoutQuery(
  family: string,
  labels: string[],
  matchers: LabelMatcher[],
  syntax: LabelNameSyntax = 'classic'
): string {
  const without = labels.map((l) => labelName(l, syntax)).join(', ');
  return `count(count without (${without}) (${seriesSelector(family, matchers, syntax)}))`;
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

/** Counts of packed sub-queries: a sub-query without a result counts 0; one whose request failed is in `failed`. */
export interface SettledCounts {
  values: number[];
  /** Sub-query index → why its request failed. */
  failed: Map<number, string>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Evaluates single-number sub-queries in packed requests; a failed request costs only its own sub-queries. */
export async function settleCounts(
  api: PromApi,
  subs: SubQuery[],
  timeSeconds: number,
  limits: QueryLimits = {}
): Promise<SettledCounts> {
  const values = new Array<number>(subs.length).fill(0);
  const failed = new Map<number, string>();
  const packs = packSubqueries(subs, limits);
  await mapLimit(packs, limits.concurrency ?? DEFAULT_CONCURRENCY, async (pack) => {
    const wanted = new Set(pack.keys);
    let samples: Sample[];
    try {
      samples = await api.instant(pack.expr, timeSeconds);
    } catch (error) {
      pack.keys.forEach((key) => failed.set(key, messageOf(error)));
      return;
    }
    for (const sample of samples) {
      const key = Number(sample.labels[KEY_LABEL]);
      if (wanted.has(key) && Number.isFinite(sample.value)) {
        values[key] = sample.value;
      }
    }
  });
  return { values, failed };
}

/** Evaluates single-number sub-queries in packed requests; a sub-query without a result counts 0. */
export async function evaluateCounts(
  api: PromApi,
  subs: SubQuery[],
  timeSeconds: number,
  limits: QueryLimits = {}
): Promise<number[]> {
  const { values, failed } = await settleCounts(api, subs, timeSeconds, limits);
  const [reason] = failed.values();
  if (reason !== undefined) {
    throw new PromQueryError('query', reason);
  }
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

/** A label name no classic PromQL query can write, to learn how this store writes such names. */
const PROBE_LABEL = 'meshlens.probe-ü';

/**
 * How the store's PromQL names labels such as `k8s.pod.name` (stored as they are by Prometheus 3 and
 * VictoriaMetrics when OTel attributes keep their dots): a tiny query in each syntax, the standard one first.
 * Undefined, with every store's refusal, when it takes neither (Prometheus 2 stores no such names anyway).
 */
export async function probeLabelNameSyntax(
  api: PromApi,
  timeSeconds: number
): Promise<{ syntax?: LabelNameSyntax; refusals: string[] }> {
  const refusals: string[] = [];
  for (const syntax of ['quoted', 'escaped'] as const) {
    try {
      await api.instant(`count ${byClause([PROBE_LABEL], syntax)} (vector(1))`, timeSeconds);
      return { syntax, refusals };
    } catch (error) {
      refusals.push(`${syntax === 'quoted' ? '"a.b"' : 'a\\.b'}: ${messageOf(error)}`);
    }
  }
  return { refusals };
}

/** Family counts of both layers; a layer whose count failed is a gap, and not measured any further. */
async function countFamilies(
  api: PromApi,
  specs: FamilySpec[],
  matchersOf: (layer: Layer) => LabelMatcher[],
  t: number
): Promise<{ series: Map<string, number>; gaps: MeasurementGap[] }> {
  const series = new Map<string, number>();
  const answers = await Promise.allSettled(
    LAYERS.map(async (layer) => {
      const names = specs.filter((s) => s.layer === layer).map((s) => s.family);
      for (const sample of await api.instant(familySeriesQuery(names, matchersOf(layer)), t)) {
        const name = sample.labels.__name__;
        if (names.includes(name) && Number.isFinite(sample.value)) {
          series.set(name, sample.value);
        }
      }
    })
  );
  const rejected = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (rejected.length === answers.length) {
    throw rejected[0].reason;
  }
  const gaps = LAYERS.flatMap((layer, i): MeasurementGap[] => {
    const answer = answers[i];
    return answer.status === 'rejected'
      ? [{ layer, reason: `its series could not be counted: ${messageOf(answer.reason)}` }]
      : [];
  });
  return { series, gaps };
}

/**
 * What the mesh stores beside the figures: the kept families' series of the proxy's admin server, and Linkerd's route
 * families. Two queries; a failure is a gap and leaves the rest of the report.
 */
async function measureMeshSideCosts(
  api: PromApi,
  specs: FamilySpec[],
  mesh: LabelMatcher[],
  t: number
): Promise<{ sideCosts?: MeshSideCosts; gaps: MeasurementGap[] }> {
  const kept = specs.filter((s) => s.layer === 'mesh').map((s) => s.family);
  const routes = labelSelector([matcher('__name__', '=~', LINKERD_ROUTE_FAMILY_PATTERN), ...mesh]);
  try {
    const [admin, route] = await Promise.all([
      api.instant(familySeriesQuery(kept, [...mesh, eq('target_port', LINKERD_ADMIN_PORT)]), t),
      api.instant(`count by (__name__) (${routes})`, t),
    ]);
    const routeFamilies = route
      .filter((s) => Number.isFinite(s.value) && s.value > 0)
      .map((s) => ({ family: s.labels.__name__ ?? '', series: s.value }))
      .sort((a, b) => b.series - a.series || a.family.localeCompare(b.family));
    const adminSeries = admin.reduce((sum, s) => sum + (Number.isFinite(s.value) ? s.value : 0), 0);
    return { sideCosts: { adminSeries, routeFamilies }, gaps: [] };
  } catch (error) {
    return {
      gaps: [
        {
          layer: 'mesh',
          reason: `the admin server's and Linkerd's route families' series could not be counted: ${messageOf(error)}`,
        },
      ],
    };
  }
}

/** Label names per family; a family whose names could not be read keeps its series count and is a gap. */
async function readLabelNames(
  api: MetricsApi,
  present: FamilySpec[],
  matchersOf: (layer: Layer) => LabelMatcher[],
  t: number,
  options: MeasureOptions
): Promise<{ names: string[][]; gaps: MeasurementGap[]; syntax: LabelNameSyntax }> {
  const lookback = options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS;
  const gaps: MeasurementGap[] = [];
  const names = await mapLimit(present, options.concurrency ?? DEFAULT_CONCURRENCY, async (spec) => {
    try {
      const all = await api.labelNames(seriesSelector(spec.family, matchersOf(spec.layer)), t - lookback, t);
      return [...new Set(all)].filter((n) => n !== '__name__' && n !== '').sort();
    } catch (error) {
      gaps.push({
        layer: spec.layer,
        family: spec.family,
        reason: `its label names could not be read: ${messageOf(error)}`,
      });
      return [];
    }
  });
  // Label names that classic PromQL cannot write are measured in the store's own syntax, when it has one.
  const unusual = names.some((list) => list.some((n) => !isClassicLabelName(n)));
  if (!unusual) {
    return { names, gaps, syntax: 'classic' };
  }
  const { syntax, refusals } = await probeLabelNameSyntax(api, t);
  if (syntax) {
    return { names, gaps, syntax };
  }
  present.forEach((spec, i) => {
    const unmeasured = names[i].filter((n) => !isClassicLabelName(n));
    if (unmeasured.length > 0) {
      gaps.push({
        layer: spec.layer,
        family: spec.family,
        labels: unmeasured,
        reason:
          'these names have characters other than letters, digits and _, and this store’s PromQL takes neither ' +
          `Prometheus 3’s quoted names nor VictoriaMetrics’ escaped ones (${refusals.join('; ')})`,
      });
      names[i] = names[i].filter(isClassicLabelName);
    }
  });
  return { names, gaps, syntax: 'classic' };
}

/** The sub-queries of the slots that failed, as one gap per family and reason. */
function failedSlots(
  slots: Array<{ family: number; label: string; distinct: number; without: number }>,
  present: FamilySpec[],
  failed: Map<number, string>
): MeasurementGap[] {
  const byFamily = new Map<string, MeasurementGap>();
  for (const slot of slots) {
    const reason = failed.get(slot.distinct) ?? failed.get(slot.without);
    if (reason === undefined) {
      continue;
    }
    const spec = present[slot.family];
    const key = `${spec.family}\n${reason}`;
    const gap = byFamily.get(key) ?? {
      layer: spec.layer,
      family: spec.family,
      labels: [],
      reason: `could not be counted: ${reason}`,
    };
    gap.labels!.push(slot.label);
    byFamily.set(key, gap);
  }
  return [...byFamily.values()];
}

/** The store's counts for every kept family of both layers; what could not be counted is listed in `gaps`. */
export async function measureCardinality(api: MetricsApi, options: MeasureOptions): Promise<CardinalityMeasurement> {
  const { api: counted, count } = countingApi(api);
  const t = options.timeSeconds;
  const specs = keptFamilies(options.semconv);
  const matchersOf = (layer: Layer) => layerMatchers(layer, options.mesh, options.matchers);

  const { series, gaps } = await countFamilies(counted, specs, matchersOf, t);
  const unmeasuredLayers = new Set(gaps.map((g) => g.layer));
  const measured = specs.filter((s) => !unmeasuredLayers.has(s.layer));
  const present = measured.filter((s) => (series.get(s.family) ?? 0) > 0);
  const absentFamilies: FamilySpec[] = measured.filter((s) => !present.includes(s));
  const side = unmeasuredLayers.has('mesh')
    ? { gaps: [] }
    : await measureMeshSideCosts(counted, specs, matchersOf('mesh'), t);
  gaps.push(...side.gaps);

  const { names, syntax, ...labelNames } = await readLabelNames(counted, present, matchersOf, t, options);
  gaps.push(...labelNames.gaps);

  // Histogram buckets first: their layout decides how the other labels of a _bucket family are counted.
  const layouts = await measureBucketLayouts(counted, present, names, series, matchersOf, t, options);
  gaps.push(...layouts.gaps);

  const subs: SubQuery[] = [];
  const slots: Array<{ family: number; label: string; distinct: number; without: number; factor: number }> = [];
  present.forEach((spec, family) => {
    const layout = layouts.layouts.get(spec.family);
    // A uniform histogram's label sets are its +Inf series times its bounds: read one series per histogram.
    const matchers = layout?.uniform ? [...matchersOf(spec.layer), INF] : matchersOf(spec.layer);
    const cost = layout?.uniform ? layout.histograms : (series.get(spec.family) ?? 0);
    const bucketed = spec.histogram?.part === 'bucket';
    for (const label of names[family].filter((l) => !(bucketed && l === 'le'))) {
      slots.push({
        family,
        label,
        distinct: subs.length,
        without: subs.length + 1,
        factor: layout?.uniform ? layout.buckets : 1,
      });
      subs.push(
        { expr: distinctValuesQuery(spec.family, label, matchers, syntax), cost },
        { expr: seriesWithoutQuery(spec.family, [label], matchers, syntax), cost }
      );
    }
  });
  const { values, failed } = await settleCounts(counted, subs, t, options);
  gaps.push(...failedSlots(slots, present, failed));

  const families: FamilyMeasurement[] = present.map((spec, index) => {
    const layout = layouts.layouts.get(spec.family);
    const labels: LabelMeasurement[] = slots
      .filter((s) => s.family === index && values[s.distinct] > 0 && !failed.has(s.distinct) && !failed.has(s.without))
      .map((s) => ({
        label: s.label,
        distinctValues: values[s.distinct],
        seriesWithout: values[s.without] * s.factor,
      }));
    if (layout && layout.buckets > 0) {
      labels.push({ label: 'le', distinctValues: layout.buckets, seriesWithout: layout.histograms });
      labels.sort((a, b) => a.label.localeCompare(b.label));
    }
    const measurement: FamilyMeasurement = { ...spec, series: series.get(spec.family) ?? 0, labels };
    if (layout) {
      measurement.uniformBuckets = layout.uniform;
    }
    return measurement;
  });
  return {
    evaluatedAtSeconds: t,
    families,
    absentFamilies,
    gaps,
    labelNameSyntax: syntax,
    ...(side.sideCosts && { meshSideCosts: side.sideCosts }),
    requests: count(),
  };
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
 * make a family non-uniform, and it is then counted over all its series. A family whose layout could not be read is
 * a gap for `le`, and its other labels are counted over all its series.
 */
async function measureBucketLayouts(
  api: PromApi,
  present: FamilySpec[],
  names: string[][],
  series: Map<string, number>,
  matchersOf: (layer: Layer) => LabelMatcher[],
  t: number,
  limits: QueryLimits
): Promise<{ layouts: Map<string, BucketLayout>; gaps: MeasurementGap[] }> {
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
  const { values, failed } = await settleCounts(api, subs, t, limits);
  const layouts = new Map<string, BucketLayout>();
  const gaps: MeasurementGap[] = [];
  buckets.forEach((spec, i) => {
    const reason = [3 * i, 3 * i + 1, 3 * i + 2].map((key) => failed.get(key)).find((r) => r !== undefined);
    if (reason !== undefined) {
      gaps.push({
        layer: spec.layer,
        family: spec.family,
        labels: ['le'],
        reason: `its buckets could not be counted: ${reason}`,
      });
      return;
    }
    const [distinct, histograms, inf] = values.slice(3 * i, 3 * i + 3);
    const uniform = inf === histograms && distinct * histograms === series.get(spec.family);
    layouts.set(spec.family, { buckets: distinct, histograms, uniform });
  });
  return { layouts, gaps };
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
        expr: seriesWithoutQuery(c.family, c.labels, uniform ? [...matchers, INF] : matchers, report.labelNameSyntax),
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
