/**
 * Prometheus rule files as Prometheus, vmalert, the Mimir and Thanos rulers read them
 * (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/). `comment` is ours: the serializer
 * writes it as a YAML comment above the rule or group.
 */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
  comment?: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** A Prometheus duration such as `5m`. */
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  comment?: string;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  /** Evaluation interval, e.g. `30s`. */
  interval: string;
  rules: Rule[];
  comment?: string;
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}
