/**
 * Mesh Lens' detections as Prometheus rules, for Prometheus, vmalert, the Mimir and Thanos rulers: recorded
 * per-workload rates that make the overview's figures cheap at thousands of services, per-workload signals over
 * the detections' window, and one alert per flag plus a burn-rate alert on the mesh's success (docs/rules.md).
 * Pure: no React, no Grafana runtime.
 */
import type { AppSettings } from '../settings/types';
import { alertRules } from './alerts';
import { durationText, resolveRuleOptions, type RuleOptionsInput } from './options';
import { recordingGroup } from './recording';
import { signalRules } from './signals';
import type { RuleGroup } from './types';

export const ALERTS_GROUP = 'meshlens-alerts';

export function buildRuleGroups(settings: AppSettings, input: RuleOptionsInput = {}): RuleGroup[] {
  const options = resolveRuleOptions(input);
  const signals = signalRules(settings, options).map(({ key: _key, windowSeconds: _w, ...rule }) => rule);
  return [
    recordingGroup(settings, options),
    {
      name: ALERTS_GROUP,
      interval: durationText(options.evaluationIntervalSeconds),
      rules: [...signals, ...alertRules(settings, options)],
      comment:
        "Per-workload signals (one series per service, labelled with the schema's namespace and workload labels " +
        "and `workload`, the name whatever the kind), then the alerts comparing them. In one group so each evaluation's alerts read that " +
        "evaluation's signals.",
    },
  ];
}

export { serializeRuleFile } from './yaml';
export { ALERT_FLAGS, ALERT_NAMES } from './alerts';
export { recordedNames, signalName } from './names';
export { RATES_GROUP } from './recording';
export { DEFAULT_RULE_OPTIONS, resolveRuleOptions, type RuleOptions, type RuleOptionsInput } from './options';
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from './types';
export { isAlertingRule } from './types';
