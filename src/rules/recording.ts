import {
  meshLatencyBucketParts,
  overviewRateSources,
  rateOf,
  type OverviewRateSources,
  type RateSource,
} from '../query/ruleQueries';
import type { AppSettings } from '../settings/types';
import { RATES_EVALUATION, recordedNames } from './names';
import { durationText, type RuleOptions } from './options';
import type { RecordingRule, RuleGroup } from './types';

export const RATES_GROUP = 'meshlens-rates';

const WHAT: Record<keyof OverviewRateSources, string> = {
  meshResponses:
    'Mesh inbound responses per second by workload and outcome (status_code, classification, grpc_status, error), ' +
    "admin port 4191 left out: the overview's meshResponses.",
  meshAdmin:
    "Requests to the proxy's admin port (scrapes, probes) per workload: proves a proxy is there when the workload " +
    "has no traffic (meshResponses' presence part).",
  meshLatencyBucket: "Mesh inbound latency histogram (ms) by workload and le: the overview's meshLatency quantiles.",
  meshLatencySum: "Mesh inbound latency _sum (ms) per workload: the overview's meshLatency mean.",
  meshLatencyCount: "Mesh inbound latency _count per workload: the overview's meshLatency mean.",
  meshCallers:
    "The callers' outbound responses by destination workload and outcome: the overview's meshCallers (the trap " +
    "where the callee's proxy does not classify gRPC, failures the callers' proxies made themselves).",
  appRequests: "App requests per second (HTTP and RPC families) by service and status: the overview's appRequests.",
  appLatencyBucket: "App latency histogram by service and le, in the conventions' unit: the overview's appLatency.",
  appLatencySum: "App latency _sum per service: the overview's appLatency mean.",
  appLatencyCount: "App latency _count per service: the overview's appLatency mean.",
};

const LE_SPLIT =
  "the rules of this name each take a disjoint set of le values, so that none selects over VictoriaMetrics' " +
  'default 300,000 series at 5,000 services; together they record what one rule would.';

const REBUILD =
  'Each series keeps the grouping labels of the overview query it comes from. The overview reads them over its ' +
  'window W as sum_over_time(<recorded>[W]) divided by the number of evaluations W holds (counted on ' +
  `${RATES_EVALUATION}): equal to increase(<original>[W]) / W on steady traffic, and within (rate window + interval) / W ` +
  'of how much the rate changed near the edges of the window otherwise (docs/rules.md); the admin presence part ' +
  'as last_over_time(<recorded>[W]).';

/** Per-workload rates with a short window: what every alert and a fast overview read instead of raw series. */
export function recordingGroup(settings: AppSettings, options: RuleOptions): RuleGroup {
  const window = durationText(options.rateWindowSeconds);
  const sources = overviewRateSources(settings);
  const names = recordedNames(settings, options.rateWindowSeconds);
  // The mesh bucket source goes as several rules over disjoint `le` sets (ruleQueries.ts MESH_BUCKET_LE_PARTS).
  const partsOf = (key: keyof OverviewRateSources): RateSource[] =>
    key === 'meshLatencyBucket' ? meshLatencyBucketParts(settings) : [sources[key]];
  const rules: RecordingRule[] = [
    ...(Object.keys(sources) as Array<keyof OverviewRateSources>).flatMap((key) =>
      partsOf(key).map((source, i, parts) => ({
        record: names[key],
        expr: rateOf(source, window),
        comment: parts.length > 1 ? `${WHAT[key]} Part ${i + 1} of ${parts.length}: ${LE_SPLIT}` : WHAT[key],
      }))
    ),
    {
      record: RATES_EVALUATION,
      expr: 'vector(1)',
      comment:
        'One series, 1 at each evaluation of this group: the overview counts it over its window to turn the sum of ' +
        'the recorded rates into their mean.',
    },
  ];
  return {
    name: RATES_GROUP,
    interval: durationText(options.evaluationIntervalSeconds),
    rules,
    comment: `Per-workload rates over ${window}, every ${durationText(options.evaluationIntervalSeconds)}. ${REBUILD}`,
  };
}
