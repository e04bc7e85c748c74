import { RECORDED_EVALUATION_SECONDS, RECORDED_RATE_WINDOW_SECONDS } from '../query/recordedNames';
import type { TracesDatasourceType } from '../settings/types';

export { durationText } from '../query/recordedNames';

/** The alerts of the rule files, each with its own `for` duration. */
export type AlertKey =
  'grpcTrap' | 'boundaryLatency' | 'disagreement' | 'coverage' | 'budgetBurnFast' | 'budgetBurnSlow';

export interface BurnRateWindow {
  /** The long window, in seconds: the burn rate over it must be above `burnRate`… */
  longSeconds: number;
  /** …and over this short one too, so the alert stops soon after the burning does. */
  shortSeconds: number;
  burnRate: number;
  severity: string;
}

/** How the rules are generated, beside the app's settings. Durations are whole seconds. */
export interface RuleOptions {
  /** Rate window of the recorded series: 1m, four scrapes at Linkerd Viz's and the Collector's 15 s. */
  rateWindowSeconds: number;
  /** Evaluation interval of both groups. */
  evaluationIntervalSeconds: number;
  /** Window the detections average the recorded rates over. */
  alertWindowSeconds: number;
  /** A workload is seen by a layer when that layer has any of its series in this window. */
  coverageWindowSeconds: number;
  /** `for` of each alert, in seconds. */
  forSeconds: Record<AlertKey, number>;
  /** Success objective of the mesh's inbound responses per service, e.g. 0.999. */
  sloObjective: number;
  /** The Google SRE workbook's multi-window, multi-burn-rate alerts (chapter 5, table 5-8): page and ticket. */
  burnRates: { fast: BurnRateWindow; slow: BurnRateWindow };
  /** Grafana's base URL for the links in annotations (Prometheus' `$externalURL` is the store's, not Grafana's). */
  grafanaUrl: string;
  /** The traces datasource of the Explore links when the settings name none. */
  tracesDatasource: { type: TracesDatasourceType; uid: string };
  /**
   * Annotations look the other figures up with the `query` template function. vmalert's `-replay` refuses it
   * ("`query` template isn't supported in replay mode"): turn it off for a file to replay.
   */
  annotationQueries: boolean;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  rateWindowSeconds: RECORDED_RATE_WINDOW_SECONDS,
  evaluationIntervalSeconds: RECORDED_EVALUATION_SECONDS,
  alertWindowSeconds: 300,
  coverageWindowSeconds: 900,
  forSeconds: {
    grpcTrap: 300,
    boundaryLatency: 600,
    disagreement: 600,
    coverage: 900,
    budgetBurnFast: 120,
    budgetBurnSlow: 900,
  },
  sloObjective: 0.999,
  burnRates: {
    fast: { longSeconds: 3600, shortSeconds: 300, burnRate: 14.4, severity: 'critical' },
    slow: { longSeconds: 21600, shortSeconds: 1800, burnRate: 6, severity: 'warning' },
  },
  grafanaUrl: 'http://localhost:3000',
  // The reference stack's Tempo (provisioning/datasources/default.yaml).
  tracesDatasource: { type: 'tempo', uid: 'tempo' },
  annotationQueries: true,
};

export type RuleOptionsInput = Partial<Omit<RuleOptions, 'forSeconds'>> & {
  forSeconds?: Partial<Record<AlertKey, number>>;
  /** Sets every alert's `for` at once (tests keep them short). */
  allForSeconds?: number;
};

/** Options with defaults filled in and checked: whole seconds, a sane objective, a Grafana URL without templates. */
export function resolveRuleOptions(input: RuleOptionsInput = {}): RuleOptions {
  const { allForSeconds, forSeconds, ...rest } = input;
  const options: RuleOptions = {
    ...DEFAULT_RULE_OPTIONS,
    ...rest,
    forSeconds: { ...DEFAULT_RULE_OPTIONS.forSeconds, ...forSeconds },
    burnRates: { ...DEFAULT_RULE_OPTIONS.burnRates, ...rest.burnRates },
  };
  if (allForSeconds !== undefined) {
    for (const key of Object.keys(options.forSeconds) as AlertKey[]) {
      options.forSeconds[key] = allForSeconds;
    }
  }
  const positive: Array<[string, number]> = [
    ['rateWindowSeconds', options.rateWindowSeconds],
    ['evaluationIntervalSeconds', options.evaluationIntervalSeconds],
    ['alertWindowSeconds', options.alertWindowSeconds],
    ['coverageWindowSeconds', options.coverageWindowSeconds],
    ...(['fast', 'slow'] as const).flatMap((k): Array<[string, number]> => [
      [`burnRates.${k}.longSeconds`, options.burnRates[k].longSeconds],
      [`burnRates.${k}.shortSeconds`, options.burnRates[k].shortSeconds],
    ]),
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${name} must be a whole number of seconds, at least 1; got ${value}`);
    }
  }
  for (const [key, value] of Object.entries(options.forSeconds)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`forSeconds.${key} must be a whole number of seconds; got ${value}`);
    }
  }
  if (!(options.sloObjective > 0 && options.sloObjective < 1)) {
    throw new Error(`sloObjective must lie between 0 and 1, e.g. 0.999; got ${options.sloObjective}`);
  }
  options.grafanaUrl = options.grafanaUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s{}"<>]+$/.test(options.grafanaUrl)) {
    throw new Error(`grafanaUrl must be an http(s) URL without spaces, quotes or braces; got "${options.grafanaUrl}"`);
  }
  return options;
}

/**
 * The options the Rules page generates with: the links point at the Grafana the page runs in (its `appUrl`, the
 * server's root_url), or at the default when that is not an http(s) URL.
 */
export function ruleOptionsForGrafana(appUrl: string | undefined): RuleOptionsInput {
  const url = (appUrl ?? '').replace(/\/+$/, '');
  return /^https?:\/\/[^\s{}"<>]+$/.test(url) ? { grafanaUrl: url } : {};
}
