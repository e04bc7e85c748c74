/**
 * The cardinality budget's results (DESIGN §3 item 4). Only aggregate numbers: a report over a store with millions
 * of series is a few kilobytes, and nothing here grows with the number of series.
 */
import type { LabelNameSyntax } from '../query/promql';

export type Layer = 'mesh' | 'app';

/** The part of a histogram a stored family is (`<base>_bucket`, `<base>_sum`, `<base>_count`). */
export type HistogramPart = 'bucket' | 'sum' | 'count';

/** A series family the pipeline keeps, as it is stored (a histogram is three families). */
export interface FamilySpec {
  family: string;
  layer: Layer;
  histogram?: { base: string; part: HistogramPart };
}

/** What the store says about one label of one family: two counts. */
export interface LabelMeasurement {
  label: string;
  /** Distinct non-empty values among the family's active series. */
  distinctValues: number;
  /** Distinct label sets of the family once this label is removed (`count(count without (label) (…))`). */
  seriesWithout: number;
}

export interface FamilyMeasurement extends FamilySpec {
  /** Active series at the evaluation time. */
  series: number;
  /** Labels present on at least one active series (never `__name__`), sorted by name. */
  labels: LabelMeasurement[];
  /** `_bucket` families: every histogram has a +Inf bucket and every bound (series = histograms × buckets). */
  uniformBuckets?: boolean;
}

/**
 * Counts the store could not give: a whole layer (no family), a family's labels (no `labels`), or some labels of a
 * family. The report shows what it has and lists these with their reason; nothing is left out silently.
 */
export interface MeasurementGap {
  layer: Layer;
  family?: string;
  labels?: string[];
  reason: string;
}

/** Mesh series that cost without feeding a figure of any view. */
export interface MeshSideCosts {
  /** Series of the kept mesh families that record the proxy's admin server (port 4191: scrapes and probes). */
  adminSeries: number;
  /** Linkerd's route families stored beside the legacy ones, with their active series, largest first. */
  routeFamilies: Array<{ family: string; series: number }>;
}

/** Raw counts from the store, before any budget maths. */
export interface CardinalityMeasurement {
  /** Unix seconds the instant queries were evaluated at. */
  evaluatedAtSeconds: number;
  /** Kept families with active series. */
  families: FamilyMeasurement[];
  /** Kept families without any active series (not exported, dropped already, or another semconv). */
  absentFamilies: FamilySpec[];
  gaps: MeasurementGap[];
  /** How the queries wrote label names classic PromQL cannot (see promql.ts `LabelNameSyntax`). */
  labelNameSyntax: LabelNameSyntax;
  /** Absent when the mesh layer or these counts could not be measured (a gap says why). */
  meshSideCosts?: MeshSideCosts;
  /** HTTP requests made to the store. */
  requests: number;
}

export interface LabelCost {
  label: string;
  distinctValues: number;
  /** Series of the family minus its distinct label sets without this label: exact, from the stored series. */
  seriesSavedIfDropped: number;
  /** A Mesh Lens view groups or filters this family by the label. */
  usedByViews: boolean;
  /** Why the Collector should not (or cannot) drop the label, when that is the case. */
  blockedBy?: string;
}

export interface FamilyCost extends FamilySpec {
  series: number;
  /** One sample per series per scrape (or export). */
  samplesPerScrape: number;
  /** At the layer's scrape or export interval. */
  samplesPerMinute: number;
  /** Sorted by seriesSavedIfDropped, then distinct values (both descending), then name. */
  labels: LabelCost[];
  /** `_bucket` families: distinct `le` values, +Inf included. */
  buckets?: number;
  /** `_bucket` families: histograms (label sets without `le`), i.e. the series every bucket bound costs. */
  seriesPerBucket?: number;
  /** `_bucket` families: every histogram has every bound; false when proxy versions with other bounds are mixed. */
  uniformBuckets?: boolean;
  /** A Mesh Lens view reads this family. */
  usedByViews: boolean;
}

export interface LayerTotals {
  families: number;
  series: number;
  samplesPerMinute: number;
  /** Series of the layer's families that no view reads. */
  unusedSeries: number;
  unusedSamplesPerMinute: number;
}

export interface CardinalityReport {
  evaluatedAtSeconds: number;
  /** Seconds between two samples of a series, per layer (scrape interval for mesh, export interval for app). */
  intervalSeconds: Record<Layer, number>;
  /** Sorted by layer (mesh first), then series descending. */
  families: FamilyCost[];
  absentFamilies: FamilySpec[];
  gaps: MeasurementGap[];
  labelNameSyntax: LabelNameSyntax;
  meshSideCosts?: MeshSideCosts;
  totals: Record<Layer, LayerTotals>;
  requests: number;
}

/**
 * A label to drop: from every mesh family (what a `labeldrop` in the `prometheus/mesh` scrape job or an unconditional
 * `delete_key` in the mesh pipeline does), or only from `families` (stored family names, of either layer).
 */
export interface LabelDrop {
  label: string;
  families?: string[];
}

/** What a user chose to stop storing. */
export interface DropSelection {
  labels: LabelDrop[];
  /** Stored family names dropped entirely. */
  families: string[];
}

export interface FamilyDropResult {
  family: string;
  layer: Layer;
  seriesBefore: number;
  seriesAfter: number;
  seriesSaved: number;
  samplesPerMinuteSaved: number;
  familyDropped: boolean;
  /** Labels of the selection the family actually has. */
  droppedLabels: string[];
}

/** What dropping one label everywhere it occurs in a layer saves. */
export interface LabelSaving {
  layer: Layer;
  label: string;
  /** Sum over the layer's families: dropping a label from several families saves each family's saving. */
  seriesSaved: number;
  samplesPerMinuteSaved: number;
  /** The layer's families with this label, largest saving first. */
  families: Array<{ family: string; seriesSaved: number; usedByViews: boolean }>;
  /** A view reads the label on at least one of these families. */
  usedByViews: boolean;
  blockedBy?: string;
}

export interface DropPlan {
  /** Every family of the report, in the report's order. */
  families: FamilyDropResult[];
  totals: Record<
    Layer,
    { seriesBefore: number; seriesAfter: number; seriesSaved: number; samplesPerMinuteSaved: number }
  >;
}
