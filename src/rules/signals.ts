/**
 * Per-workload signals over a window, read from the recorded rates: one series per service with the labels both
 * layers join on (the schema's namespace label, `workload`, and `meshlens_kind` on the mesh side). The alerts
 * compare these, and their annotations look the other figures up by name.
 */
import type { LabelMatcher } from '../query/promql';
import {
  appFailureMatcherSets,
  appHttpErrorMatchers,
  appHttpMatchers,
  appPerWorkload,
  appToMilliseconds,
  callersPerWorkload,
  recordedSelector,
  MESH_GRPC,
  MESH_HTTP_ERRORS,
  meshFailureMatcherSets,
  meshPerWorkload,
  meshTrapMatchers,
} from '../query/ruleQueries';
import type { AppSettings } from '../settings/types';
import { recordedNames, signalName, type SignalKey } from './names';
import { durationText, type RuleOptions } from './options';
import type { RecordingRule } from './types';

type PerWorkload = (settings: AppSettings, expr: string, extra?: string[]) => string;

function avgOver(name: string, matchers: LabelMatcher[], window: string): string {
  return `avg_over_time(${recordedSelector(name, matchers)}[${window}])`;
}

/**
 * Share of the traffic matching any of `sets`: `(matching or 0 * all) / (all > 0)` per workload. The zeros make a
 * workload without a match read 0, not nothing; a workload without traffic has no share (never 0 % or 100 %).
 */
function ratio(settings: AppSettings, per: PerWorkload, name: string, sets: LabelMatcher[][], window: string): string {
  const all = avgOver(name, [], window);
  const matching = [...sets.map((set) => avgOver(name, set, window)), `0 * ${all}`].join(' or ');
  return `${per(settings, matching)}\n/\n(${per(settings, all)} > 0)`;
}

export interface SignalRule extends RecordingRule {
  key: SignalKey;
  windowSeconds: number;
}

/** The windows of the error ratio: the detections' window and the burn-rate alerts' four. */
export function errorWindows(options: RuleOptions): number[] {
  const { fast, slow } = options.burnRates;
  return [
    ...new Set([options.alertWindowSeconds, fast.shortSeconds, fast.longSeconds, slow.shortSeconds, slow.longSeconds]),
  ].sort((a, b) => a - b);
}

export function signalRules(settings: AppSettings, options: RuleOptions): SignalRule[] {
  const names = recordedNames(settings, options.rateWindowSeconds);
  const seconds = options.alertWindowSeconds;
  const w = durationText(seconds);
  const c = durationText(options.coverageWindowSeconds);
  const rule = (key: SignalKey, expr: string, comment: string, windowSeconds = seconds): SignalRule => ({
    key,
    windowSeconds,
    record: signalName(key, windowSeconds),
    expr,
    comment,
  });
  const mesh = names.meshResponses;
  const app = names.appRequests;
  return [
    rule(
      'meshRequests',
      meshPerWorkload(settings, avgOver(mesh, [], w)),
      `Mesh inbound requests per second per workload over ${w}.`
    ),
    ...errorWindows(options).map((windowSeconds) =>
      rule(
        'meshErrors',
        ratio(settings, meshPerWorkload, mesh, meshFailureMatcherSets(settings), durationText(windowSeconds)),
        `Share of mesh inbound responses that failed over ${durationText(windowSeconds)} (a configured gRPC ` +
          'failure code, or classification="failure" without a gRPC status): 1 − the success rate.',
        windowSeconds
      )
    ),
    rule(
      'meshGrpcTrap',
      ratio(settings, meshPerWorkload, mesh, [meshTrapMatchers(settings)], w),
      `Share of mesh inbound responses with a configured failing grpc-status behind HTTP 200 over ${w}, as the ` +
        "workload's own proxy recorded them."
    ),
    rule(
      'meshGrpc',
      ratio(settings, meshPerWorkload, mesh, [MESH_GRPC], w),
      `Share of mesh inbound responses carrying any grpc_status over ${w}: 0 where the proxy does not classify ` +
        'inbound gRPC (Linkerd stable-2.13 to 2.14.3) or the service speaks plain HTTP.'
    ),
    rule(
      'meshHttpErrors',
      ratio(settings, meshPerWorkload, mesh, [MESH_HTTP_ERRORS], w),
      `Share of mesh inbound responses with HTTP status 5xx over ${w}: what an HTTP-only dashboard shows.`
    ),
    rule(
      'callersGrpcTrap',
      ratio(settings, callersPerWorkload, names.meshCallers, [meshTrapMatchers(settings)], w),
      `Share of the callers' outbound responses to the workload with a configured failing grpc-status behind ` +
        `HTTP 200 over ${w}.`
    ),
    rule(
      'meshLatencyP95',
      `histogram_quantile(0.95, ${meshPerWorkload(settings, avgOver(names.meshLatencyBucket, [], w), ['le'])})`,
      `Mesh inbound p95 latency in milliseconds over ${w}.`
    ),
    rule(
      'meshLatencyMean',
      `${meshPerWorkload(settings, avgOver(names.meshLatencySum, [], w))}\n/\n` +
        `${meshPerWorkload(settings, avgOver(names.meshLatencyCount, [], w))}`,
      `Mesh inbound mean latency in milliseconds over ${w}, from _sum / _count: exact, where quantiles are interpolated.`
    ),
    rule(
      'appRequests',
      appPerWorkload(settings, avgOver(app, [], w)),
      `App requests per second per workload over ${w} (joined by namespace and name, and the join overrides).`
    ),
    rule(
      'appErrors',
      ratio(settings, appPerWorkload, app, appFailureMatcherSets(settings), w),
      `Share of app requests that failed over ${w}: HTTP 5xx, or an RPC status among the configured gRPC failure codes.`
    ),
    rule(
      'appHttpErrors',
      (() => {
        const all = avgOver(app, appHttpMatchers(settings), w);
        const matching = `${avgOver(app, appHttpErrorMatchers(settings), w)} or 0 * ${all}`;
        return `${appPerWorkload(settings, matching)}\n/\n(${appPerWorkload(settings, all)} > 0)`;
      })(),
      `Share of the app's HTTP requests with status 5xx over ${w}: the app's own HTTP view (none for RPC-only apps).`
    ),
    rule(
      'meshPresence',
      meshPerWorkload(
        settings,
        `${avgOver(mesh, [], c)}\nor 0 * last_over_time(${recordedSelector(names.meshAdmin, [])}[${c}])`
      ),
      `Every workload the mesh saw over ${c}, valued at its inbound requests per second: a proxy answering its ` +
        'admin port (scrapes, probes) counts, at 0, when the workload has no traffic.',
      options.coverageWindowSeconds
    ),
    rule(
      'appPresence',
      appPerWorkload(settings, avgOver(app, [], c)),
      `Every workload the app layer reported over ${c}, valued at its requests per second.`,
      options.coverageWindowSeconds
    ),
    rule(
      'appLatencyP95',
      `histogram_quantile(0.95, ${appPerWorkload(settings, avgOver(names.appLatencyBucket, [], w), ['le'])})` +
        appToMilliseconds(settings),
      `App p95 latency in milliseconds over ${w}.`
    ),
    rule(
      'appLatencyMean',
      `(\n${appPerWorkload(settings, avgOver(names.appLatencySum, [], w))}\n/\n` +
        `${appPerWorkload(settings, avgOver(names.appLatencyCount, [], w))}\n)` +
        appToMilliseconds(settings),
      `App mean latency in milliseconds over ${w}, from _sum / _count.`
    ),
  ];
}
