/** The cardinality budget (DESIGN §3 item 4): measure, cost, rank, and generate Collector snippets. */
export type * from './types';
export {
  BLOCKED_LABELS,
  DEFAULT_INTERVAL_SECONDS,
  blockedReason,
  buildReport,
  combinedCountsNeeded,
  labelsDroppedFrom,
  planDrop,
  rankLabelSavings,
  samplesPerMinute,
  unusedFamilies,
  type CombinedCount,
  type RankOptions,
  type ReportOptions,
} from './budget';
export { keptFamilies } from './families';
export {
  fetchCardinality,
  fetchDropPlan,
  measureCardinality,
  type CardinalityOptions,
  type DropPlanOptions,
  type MeasureOptions,
  type QueryLimits,
} from './measure';
export {
  collectorMetricName,
  collectorSnippets,
  metricRelabelRules,
  ottlSnippet,
  scrapeTimeSnippet,
  OTTL_NOTE,
  SCRAPE_TIME_NOTE,
  type CollectorSnippet,
  type RelabelRule,
  type SkippedDrop,
  type SnippetMethod,
  type SnippetOptions,
} from './snippets';
export { viewUsage, type ViewUsage } from './viewUsage';
