/**
 * The cardinality budget (DESIGN §3 item 4), as the page and the tests use it: measure, rank, plan a drop, and
 * write the Collector snippets. Everything else is imported from its module.
 */
export type * from './types';
export { rankLabelSavings, unusedFamilies } from './budget';
export { fetchCardinality, fetchDropPlan } from './measure';
export { collectorSnippets } from './snippets';
