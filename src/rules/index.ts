/**
 * Mesh Lens' detections as Prometheus rules, for Prometheus, vmalert, the Mimir and Thanos rulers: recorded
 * per-workload rates that make the overview's figures cheap at thousands of services, per-workload signals over
 * the detections' window, and one alert per flag plus a burn-rate alert on the mesh's success (docs/rules.md).
 * Pure: no React, no Grafana runtime.
 */
export { ALERTS_GROUP, buildRuleGroups } from './groups';
export { renderRuleFile, ruleFileHeader } from './file';
export { serializeRuleFile } from './yaml';
export { measureRuleCosts, type RuleCost, type RuleCosts } from './costs';
export { ALERT_FLAGS, ALERT_NAMES } from './alerts';
export { RATES_EVALUATION, recordedNames, signalName } from './names';
export { RATES_GROUP } from './recording';
export {
  DEFAULT_RULE_OPTIONS,
  resolveRuleOptions,
  ruleOptionsForGrafana,
  type RuleOptions,
  type RuleOptionsInput,
} from './options';
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from './types';
export { isAlertingRule } from './types';
