/**
 * The budget's maths: pure functions over the counts measureCardinality gathered. Nothing here is estimated from
 * label value counts: every "series saved" is the store's own count of distinct label sets without the label.
 */
import { assertStoredLabelName } from '../query/promql';
import type { AppSettings } from '../settings/types';
import type {
  CardinalityMeasurement,
  CardinalityReport,
  DropPlan,
  DropSelection,
  FamilyCost,
  FamilyDropResult,
  LabelCost,
  LabelSaving,
  Layer,
  LayerTotals,
} from './types';
import { viewUsage } from './viewUsage';

/**
 * Seconds between two samples of a series: the Collector's scrape interval for the mesh (15 s in the reference
 * pipeline), the OTel SDK's default export interval (60 s, OTEL_METRIC_EXPORT_INTERVAL) for the app.
 */
export const DEFAULT_INTERVAL_SECONDS: Record<Layer, number> = { mesh: 15, app: 60 };

export const LAYERS: Layer[] = ['mesh', 'app'];

const RECEIVER_NEEDS =
  'the Collector’s prometheus receiver identifies the target by job and instance (they become service.name and ' +
  'service.instance.id) and rejects samples without them';

/** Labels the Collector should not drop, and why. */
export const BLOCKED_LABELS: Readonly<Record<string, string>> = {
  le: 'the bucket bound of a histogram: without it the buckets of each histogram collide and no quantile can be computed',
  job: RECEIVER_NEEDS,
  instance: RECEIVER_NEEDS,
  layer: 'Mesh Lens tells the mesh layer from the app layer by it',
};

export function blockedReason(label: string): string | undefined {
  if (label.startsWith('__')) {
    return 'a reserved label (names starting with __ are internal to Prometheus)';
  }
  return Object.prototype.hasOwnProperty.call(BLOCKED_LABELS, label) ? BLOCKED_LABELS[label] : undefined;
}

export function samplesPerMinute(series: number, intervalSeconds: number): number {
  if (!(intervalSeconds > 0)) {
    throw new Error(`the scrape interval must be a positive number of seconds, got ${intervalSeconds}`);
  }
  return (series * 60) / intervalSeconds;
}

export interface ReportOptions {
  /** Which views exist for these settings: label schema, semantic conventions, app service label. */
  settings: AppSettings;
  intervalSeconds?: Partial<Record<Layer, number>>;
}

const byLabelCost = (a: LabelCost, b: LabelCost) =>
  b.seriesSavedIfDropped - a.seriesSavedIfDropped ||
  b.distinctValues - a.distinctValues ||
  a.label.localeCompare(b.label);

function emptyTotals(): LayerTotals {
  return { families: 0, series: 0, samplesPerMinute: 0, unusedSeries: 0, unusedSamplesPerMinute: 0 };
}

/** Turns the store's counts into costs: samples per minute, savings per label, what the views read. */
export function buildReport(measurement: CardinalityMeasurement, options: ReportOptions): CardinalityReport {
  const intervalSeconds = { ...DEFAULT_INTERVAL_SECONDS, ...options.intervalSeconds };
  const usage = viewUsage(
    options.settings,
    measurement.families.map((f) => f.family)
  );
  const families: FamilyCost[] = measurement.families.map((m) => {
    const interval = intervalSeconds[m.layer];
    const usedLabels = usage.labels.get(m.family);
    const labels = m.labels
      .map((l): LabelCost => {
        const cost: LabelCost = {
          label: l.label,
          distinctValues: l.distinctValues,
          // Clamped: on a live store the two counts come from requests a moment apart.
          seriesSavedIfDropped: Math.max(0, m.series - l.seriesWithout),
          usedByViews: usedLabels?.has(l.label) ?? false,
        };
        const blocked = blockedReason(l.label);
        return blocked ? { ...cost, blockedBy: blocked } : cost;
      })
      .sort(byLabelCost);
    const cost: FamilyCost = {
      family: m.family,
      layer: m.layer,
      series: m.series,
      samplesPerScrape: m.series,
      samplesPerMinute: samplesPerMinute(m.series, interval),
      labels,
      usedByViews: usage.families.has(m.family),
    };
    if (m.histogram) {
      cost.histogram = m.histogram;
    }
    if (m.histogram?.part === 'bucket') {
      const le = m.labels.find((l) => l.label === 'le');
      cost.buckets = le?.distinctValues ?? 0;
      cost.seriesPerBucket = le ? le.seriesWithout : m.series;
      cost.uniformBuckets = m.uniformBuckets ?? false;
    }
    return cost;
  });
  families.sort(
    (a, b) =>
      LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) || b.series - a.series || a.family.localeCompare(b.family)
  );
  const totals: Record<Layer, LayerTotals> = { mesh: emptyTotals(), app: emptyTotals() };
  for (const f of families) {
    const t = totals[f.layer];
    t.families++;
    t.series += f.series;
    t.samplesPerMinute += f.samplesPerMinute;
    if (!f.usedByViews) {
      t.unusedSeries += f.series;
      t.unusedSamplesPerMinute += f.samplesPerMinute;
    }
  }
  return {
    evaluatedAtSeconds: measurement.evaluatedAtSeconds,
    intervalSeconds,
    families,
    absentFamilies: measurement.absentFamilies,
    gaps: measurement.gaps,
    labelNameSyntax: measurement.labelNameSyntax,
    ...(measurement.meshSideCosts && { meshSideCosts: measurement.meshSideCosts }),
    totals,
    requests: measurement.requests,
  };
}

export interface RankOptions {
  layer?: Layer;
  /** Keep labels a view reads (default true: the page shows them, marked). */
  includeUsed?: boolean;
  /** Keep labels the Collector should not drop (default false). */
  includeBlocked?: boolean;
  /** Keep labels whose removal saves nothing (default true). */
  includeZero?: boolean;
}

/**
 * The labels whose removal saves most: per layer, each label's saving summed over the families that carry it
 * (dropping a label from one family never changes another family's series, so the sum is exact).
 */
export function rankLabelSavings(report: CardinalityReport, options: RankOptions = {}): LabelSaving[] {
  const { includeUsed = true, includeBlocked = false, includeZero = true } = options;
  const byKey = new Map<string, LabelSaving>();
  for (const family of report.families) {
    if (options.layer && family.layer !== options.layer) {
      continue;
    }
    const interval = report.intervalSeconds[family.layer];
    for (const label of family.labels) {
      const key = `${family.layer}\u0000${label.label}`;
      const saving = byKey.get(key) ?? {
        layer: family.layer,
        label: label.label,
        seriesSaved: 0,
        samplesPerMinuteSaved: 0,
        families: [],
        usedByViews: false,
        ...(label.blockedBy ? { blockedBy: label.blockedBy } : {}),
      };
      saving.seriesSaved += label.seriesSavedIfDropped;
      saving.samplesPerMinuteSaved += samplesPerMinute(label.seriesSavedIfDropped, interval);
      saving.families.push({
        family: family.family,
        seriesSaved: label.seriesSavedIfDropped,
        usedByViews: label.usedByViews,
      });
      saving.usedByViews ||= label.usedByViews;
      byKey.set(key, saving);
    }
  }
  return [...byKey.values()]
    .filter((s) => (includeUsed || !s.usedByViews) && (includeBlocked || !s.blockedBy))
    .filter((s) => includeZero || s.seriesSaved > 0)
    .map((s) => ({
      ...s,
      families: s.families.sort((a, b) => b.seriesSaved - a.seriesSaved || a.family.localeCompare(b.family)),
    }))
    .sort(
      (a, b) =>
        b.seriesSaved - a.seriesSaved ||
        LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) ||
        a.label.localeCompare(b.label)
    );
}

/** Kept families no view reads, largest first: dropping one saves all its series. */
export function unusedFamilies(report: CardinalityReport, layer?: Layer): FamilyCost[] {
  return report.families
    .filter((f) => !f.usedByViews && (!layer || f.layer === layer))
    .sort((a, b) => b.series - a.series || a.family.localeCompare(b.family));
}

/**
 * The selection's labels that apply to a family (a label without `families` applies to every mesh family). Blocked
 * labels are left out, as the snippets leave them out: the plan predicts what the generated configuration does.
 */
export function labelsDroppedFrom(family: { family: string; layer: Layer }, selection: DropSelection): string[] {
  const labels = selection.labels
    .filter((d) => (d.families ? d.families.includes(family.family) : family.layer === 'mesh'))
    .map((d) => assertStoredLabelName(d.label))
    .filter((label) => !blockedReason(label));
  return [...new Set(labels)].sort();
}

/** A family whose series after the drop need one more count from the store: two or more of its labels go. */
export interface CombinedCount {
  family: string;
  layer: Layer;
  labels: string[];
}

/**
 * Which families need a combined count. Dropping one label is already answered by the report; dropping several
 * is not the sum of their savings (labels overlap: a pod name and a pod IP each save nothing, together a lot).
 */
export function combinedCountsNeeded(report: CardinalityReport, selection: DropSelection): CombinedCount[] {
  const dropped = new Set(selection.families);
  return report.families
    .filter((f) => !dropped.has(f.family))
    .map((f) => ({
      family: f.family,
      layer: f.layer,
      labels: labelsDroppedFrom(f, selection).filter((l) => f.labels.some((c) => c.label === l)),
    }))
    .filter((c) => c.labels.length >= 2);
}

/**
 * Series per family after the selection is applied. `combined` holds, per family of combinedCountsNeeded, the
 * store's count of distinct label sets without those labels.
 */
export function planDrop(
  report: CardinalityReport,
  selection: DropSelection,
  combined: Readonly<Record<string, number>> = {}
): DropPlan {
  const droppedFamilies = new Set(selection.families);
  const families = report.families.map((f): FamilyDropResult => {
    const familyDropped = droppedFamilies.has(f.family);
    const droppedLabels = labelsDroppedFrom(f, selection).filter((l) => f.labels.some((c) => c.label === l));
    let seriesAfter = f.series;
    if (familyDropped) {
      seriesAfter = 0;
    } else if (droppedLabels.length === 1) {
      const cost = f.labels.find((c) => c.label === droppedLabels[0]) as LabelCost;
      seriesAfter = f.series - cost.seriesSavedIfDropped;
    } else if (droppedLabels.length > 1) {
      const count = combined[f.family];
      if (count === undefined) {
        throw new Error(`no combined count for ${f.family} without ${droppedLabels.join(', ')}`);
      }
      seriesAfter = Math.min(f.series, count);
    }
    const seriesSaved = f.series - seriesAfter;
    return {
      family: f.family,
      layer: f.layer,
      seriesBefore: f.series,
      seriesAfter,
      seriesSaved,
      samplesPerMinuteSaved: samplesPerMinute(seriesSaved, report.intervalSeconds[f.layer]),
      familyDropped,
      droppedLabels: familyDropped ? [] : droppedLabels,
    };
  });
  const totals = Object.fromEntries(
    LAYERS.map((layer) => {
      const of = families.filter((f) => f.layer === layer);
      const sum = (pick: (f: FamilyDropResult) => number) => of.reduce((s, f) => s + pick(f), 0);
      return [
        layer,
        {
          seriesBefore: sum((f) => f.seriesBefore),
          seriesAfter: sum((f) => f.seriesAfter),
          seriesSaved: sum((f) => f.seriesSaved),
          samplesPerMinuteSaved: sum((f) => f.samplesPerMinuteSaved),
        },
      ];
    })
  ) as DropPlan['totals'];
  return { families, totals };
}
