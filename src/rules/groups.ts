/** The rule file's two groups: the recorded rates, then the per-workload signals and the alerts. */
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
