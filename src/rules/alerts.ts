/**
 * The alerts: each detection of DESIGN §2 with the settings' thresholds, and a burn-rate alert on the mesh's
 * success per service. They compare the per-workload signals (signals.ts), joined on the schema's namespace label
 * and `workload`, and carry the schema's own namespace and workload labels.
 */
import { FLOAT_SLACK } from '../boundary/detect';
import { FLAG_IDS, type FlagId } from '../constants';
import { FLAG_FACTS } from '../boundary/flags';
import { onJoin } from '../query/ruleQueries';
import type { AppSettings } from '../settings/types';
import { signalName, type SignalKey } from './names';
import { durationText, type AlertKey, type RuleOptions } from './options';
import { Templates, valueTemplate } from './templates';
import type { AlertingRule } from './types';

/** A number as PromQL and people read it: 14.4 × 0.001 is 0.0144, not 0.014400000000000012. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

export const ALERT_NAMES = {
  grpcTrap: FLAG_FACTS['grpc-trap'].alert,
  boundaryLatency: FLAG_FACTS['boundary-latency'].alert,
  disagreement: FLAG_FACTS.disagreement.alert,
  coverage: FLAG_FACTS.coverage.alert,
  budgetBurn: 'MeshLensSuccessBudgetBurn',
} as const;

/** The flag each detection alert stands for (the `meshlens_flag` label). */
export const ALERT_FLAGS: Readonly<Record<string, FlagId>> = Object.fromEntries(
  FLAG_IDS.map((flag) => [FLAG_FACTS[flag].alert, flag])
);

export function alertRules(settings: AppSettings, options: RuleOptions): AlertingRule[] {
  const t = settings.thresholds;
  const tpl = new Templates(settings, options);
  const W = options.alertWindowSeconds;
  const w = durationText(W);
  const on = onJoin(settings);
  const s = (key: SignalKey, windowSeconds = W) => signalName(key, windowSeconds);
  const forOf = (key: AlertKey) => durationText(options.forSeconds[key]);
  const service = tpl.service();
  const trap = formatNumber(t.grpcTrapPercent / 100);
  const httpView = `(${s('meshHttpErrors')} >= ${trap} or ${s('appHttpErrors')} >= ${trap})`;
  const httpFigures =
    `HTTP view: ${tpl.signal('meshHttpErrors', W, 'percent')} HTTP 5xx at the mesh, ` +
    `${tpl.signal('appHttpErrors', W, 'percent', 'no HTTP metric')} at the app`;
  const rules: AlertingRule[] = [];

  // A detection's alert: its name, severity and flag label from the flag's facts.
  const flagRule = (
    key: AlertKey,
    flag: FlagId,
    labels: Record<string, string>,
    expr: string,
    annotations: Record<string, string>,
    comment: string
  ): AlertingRule => ({
    alert: FLAG_FACTS[flag].alert,
    expr,
    for: forOf(key),
    labels: { severity: FLAG_FACTS[flag].severity, ...labels, meshlens_flag: flag },
    annotations,
    comment,
  });

  // gRPC trap, as the workload's own proxy recorded it.
  rules.push(
    flagRule(
      'grpcTrap',
      'grpc-trap',
      { view: 'callee' },
      `(${s('meshGrpcTrap')} >= ${trap})\nunless ${on}\n${httpView}`,
      {
        summary: `${service}: ${valueTemplate('percent')} of gRPC calls fail behind HTTP 200`,
        description:
          `${valueTemplate('percent')} of the inbound responses of ${service} over ${w} carried a failing grpc-status ` +
          `behind HTTP 200, as its own proxy recorded them (threshold ${t.grpcTrapPercent} %). ${httpFigures}: ` +
          'HTTP-only dashboards stay green.',
        drilldown_url: tpl.drilldownUrl('grpc'),
        traces_url: tpl.tracesUrl({ kind: 'grpc-failures', side: 'server' }),
      },
      'gRPC trap (flag grpc-trap): failures in the trailers at or above the threshold while the HTTP view ' +
        '(mesh 5xx, app HTTP 5xx) stays under it.'
    )
  );
  // …and as the callers' proxies saw it, where the workload's proxy records no gRPC status at all.
  rules.push(
    flagRule(
      'grpcTrap',
      'grpc-trap',
      { view: 'callers' },
      `(\n  (\n    (${s('callersGrpcTrap')} >= ${trap})\n    unless ${on}\n    (${s('meshGrpc')} > 0)\n  )\n` +
        `  unless ${on}\n  ${httpView}\n)\nand ${on}\n${s('meshRequests')}`,
      {
        summary: `${service}: ${valueTemplate('percent')} of gRPC calls fail behind HTTP 200 (callers' view)`,
        description:
          `${valueTemplate('percent')} of the responses the callers of ${service} received over ${w} carried a ` +
          `failing grpc-status behind HTTP 200 (threshold ${t.grpcTrapPercent} %). Its own proxy records no gRPC ` +
          `status (Linkerd stable-2.13 to 2.14.3 did not classify inbound gRPC), so its success rate reads ` +
          `${tpl.signal('meshErrors', W, 'percent')} errors. ${httpFigures}.`,
        drilldown_url: tpl.drilldownUrl('grpc'),
        traces_url: tpl.tracesUrl({ kind: 'grpc-failures', side: 'callers' }),
      },
      "gRPC trap from the callers' outbound view (Linkerd stable-2.14.x callees)."
    )
  );

  // Boundary latency: the exact mean difference above both limits (the overview's first kind of evidence; the
  // second, a p95 range from the bucket bounds, needs the bounds a rule cannot read).
  const outside = `(${s('meshLatencyMean')} - ${on} group_left() ${s('appLatencyMean')})`;
  rules.push(
    flagRule(
      'boundaryLatency',
      'boundary-latency',
      {},
      `(${outside} > ${formatNumber(t.boundaryLatencyMs)})\nand ${on}\n` +
        `(${outside} > ${on} group_left() (${formatNumber(t.boundaryLatencyPercent / 100)} * ${s('appLatencyMean')}))`,
      {
        summary: `${service}: ${valueTemplate('ms')} on average spent outside the app`,
        description:
          `Over ${w} the mesh saw ${service} answer in ${tpl.signal('meshLatencyMean', W, 'ms')} on average, the app ` +
          `reports ${tpl.signal('appLatencyMean', W, 'ms')}: ${valueTemplate('ms')} outside the app, exact from both ` +
          `layers' sums and counts (limits ${t.boundaryLatencyMs} ms and ${t.boundaryLatencyPercent} % of the app's mean).`,
        drilldown_url: tpl.drilldownUrl('boundary'),
        traces_url: tpl.slowBoundaryTracesUrl(
          { key: 'appLatencyP95', windowSeconds: W },
          formatNumber(t.boundaryLatencyMs)
        ),
      },
      'Boundary latency (flag boundary-latency): mesh mean − app mean above the absolute and the relative limit. ' +
        'The app joins the mesh workload of the same name in the same namespace, or through a join override.'
    )
  );

  // Layer disagreement: success rates apart, or request rates apart.
  const points = formatNumber(t.disagreementPoints + FLOAT_SLACK);
  const factor = formatNumber(t.disagreementRateFactor + FLOAT_SLACK);
  rules.push(
    flagRule(
      'disagreement',
      'disagreement',
      { reason: 'success' },
      `abs(${s('meshErrors')} - ${on} group_left() ${s('appErrors')}) * 100 > ${points}`,
      {
        summary: `${service}: mesh and app success rates ${valueTemplate('points')} apart`,
        description:
          `Over ${w} the mesh counts ${tpl.signal('meshErrors', W, 'percent')} of the responses of ${service} as ` +
          `failed, the app ${tpl.signal('appErrors', W, 'percent')}: ${valueTemplate('points')} apart ` +
          `(limit ${t.disagreementPoints}).`,
        drilldown_url: tpl.drilldownUrl('boundary'),
        // Most often the mesh fails more: failures a proxy made, which never reached the app.
        traces_url: tpl.tracesUrl({ kind: 'proxy-failures' }),
      },
      'Layer disagreement (flag disagreement) on success: error shares further apart than the points threshold.'
    )
  );
  rules.push(
    flagRule(
      'disagreement',
      'disagreement',
      { reason: 'request-rate' },
      `(\n  (${s('meshRequests')} / ${on} group_left() ${s('appRequests')}) > ${factor}\n)\nor\n` +
        `(\n  (${s('appRequests')} / ${on} group_right() ${s('meshRequests')}) > ${factor}\n)`,
      {
        summary: `${service}: mesh and app request rates ${'{{ $value | printf "%.2f" }}'}× apart`,
        description:
          `Over ${w} the mesh saw ${tpl.signal('meshRequests', W, 'rps')} into ${service}, the app reports ` +
          `${tpl.signal('appRequests', W, 'rps')}: ${'{{ $value | printf "%.2f" }}'}× apart (limit ` +
          `${t.disagreementRateFactor}×). Traffic that bypasses the mesh, or a proxy answering for an unreachable app.`,
        drilldown_url: tpl.drilldownUrl('boundary'),
        traces_url: tpl.tracesUrl({ kind: 'no-traced-caller' }),
      },
      'Layer disagreement (flag disagreement) on request rate: one layer sees more than the factor times the other.'
    )
  );

  // Coverage: seen by one layer only over the coverage window.
  const C = options.coverageWindowSeconds;
  const c = durationText(C);
  const meshSeen = s('meshPresence', C);
  const appSeen = s('appPresence', C);
  rules.push(
    flagRule(
      'coverage',
      'coverage',
      { coverage: 'mesh-only' },
      `${meshSeen}\nunless ${on}\n${appSeen}`,
      {
        summary: `${service} is meshed but exports no app metrics`,
        description:
          `Over ${c} the mesh saw ${service} (${valueTemplate('rps')}; a proxy answering its admin port counts ` +
          'even without traffic) and no app metrics joined it: not instrumented, or its service.name differs ' +
          '(add a join override).',
        drilldown_url: tpl.drilldownUrl('boundary'),
        traces_url: tpl.tracesUrl({ kind: 'caller-spans' }),
      },
      'Coverage (flag coverage), mesh only: a proxy (service traffic or its admin port) and no app series.'
    )
  );
  rules.push(
    flagRule(
      'coverage',
      'coverage',
      { coverage: 'app-only' },
      `${appSeen}\nunless ${on}\n${meshSeen}`,
      {
        summary: `${service} exports app metrics but is not meshed`,
        description:
          `Over ${c} the app reported ${service} (${valueTemplate('rps')}) and no Linkerd proxy of that workload ` +
          'was seen: not meshed, or its app name joins no workload (add a join override).',
        drilldown_url: tpl.drilldownUrl('boundary'),
        traces_url: tpl.tracesUrl({ kind: 'server-spans' }),
      },
      'Coverage (flag coverage), app only: app series and no mesh series of that workload.'
    )
  );

  // Multi-window, multi-burn-rate alerts on the mesh's success per service.
  const budget = 1 - options.sloObjective;
  const objective = formatNumber(options.sloObjective * 100);
  for (const [key, burn] of [
    ['budgetBurnFast', options.burnRates.fast],
    ['budgetBurnSlow', options.burnRates.slow],
  ] as const) {
    const limit = formatNumber(burn.burnRate * budget);
    const long = durationText(burn.longSeconds);
    const short = durationText(burn.shortSeconds);
    rules.push({
      alert: ALERT_NAMES.budgetBurn,
      expr: `(${s('meshErrors', burn.longSeconds)} > ${limit})\nand ${on}\n(${s('meshErrors', burn.shortSeconds)} > ${limit})`,
      for: forOf(key),
      labels: { severity: burn.severity, slo: objective, window: long },
      annotations: {
        summary: `${service} burns its ${objective} % success budget ${formatNumber(burn.burnRate)}× too fast`,
        description:
          `The mesh counts ${valueTemplate('percent')} of the responses of ${service} as failed over ${long} and ` +
          `${tpl.signal('meshErrors', burn.shortSeconds, 'percent')} over ${short}; the ${objective} % objective ` +
          `allows ${formatNumber(budget * 100)} %, so both windows burn the error budget more than ` +
          `${formatNumber(burn.burnRate)}× faster than it lasts.`,
        drilldown_url: tpl.drilldownUrl('boundary'),
        traces_url: tpl.tracesUrl({ kind: 'app-errors' }),
      },
      comment:
        `Success budget burn (${objective} % objective): error ratio above ${formatNumber(burn.burnRate)}× the budget ` +
        `over ${long} and ${short} (Google SRE workbook, "Alerting on SLOs", multiwindow, multi-burn-rate).`,
    });
  }
  return rules;
}
