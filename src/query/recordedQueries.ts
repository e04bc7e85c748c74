/**
 * The overview's queries on the series Mesh Lens' recording rules write (src/rules, docs/rules.md): the same
 * refIds, parts and sample labels as the raw queries of overviewQueries.ts, so buildOverviewRows reads either. The
 * recorded names come from the rules' own name builder (src/query/recordedNames.ts, re-exported by
 * src/rules/names.ts).
 *
 * A recorded series already carries exactly the labels the raw query groups by, so nothing is aggregated again:
 * over a window W, `sum by (…) (rate(<raw>[W]))` becomes the recorded 1 min rates summed over W and divided by
 * the number of evaluations W holds (the rates group's evaluation series, counted): the mean of the 1 min rates, a
 * series absent from part of the window counting 0 there, as rate() counts a series that starts inside W on
 * Prometheus. Quantiles and means are ratios, where that division cancels out: they sum only. How far this can
 * differ from rate() over W: docs/rules.md.
 */
import type { AppSettings } from '../settings/types';
import {
  appFamiliesSelector,
  appNamespaceMatchers,
  latencyParts,
  meshInbound,
  PRESENCE_LABEL,
  type OverviewQuery,
  type OverviewQueryOptions,
} from './overviewQueries';
import { eq, matcher, promDuration, seriesSelector, type LabelMatcher } from './promql';
import {
  RATES_EVALUATION,
  RECORDED_EVALUATION_SECONDS,
  RECORDED_RATE_WINDOW_SECONDS,
  recordedNames,
} from './recordedNames';
import { recordedSelector } from './ruleQueries';
import { appLabels, DESTINATION_LABELS, MESH_FAMILIES, MESH_LABELS } from './schema';

export function recordedSeriesNames(settings: AppSettings) {
  return recordedNames(settings, RECORDED_RATE_WINDOW_SECONDS);
}

/** `sum_over_time(<recorded>[W])`: proportional to the rate over W, for ratios. */
function sumOver(selector: string, window: string): string {
  return `sum_over_time(${selector}[${window}])`;
}

/** The rate over W from the recorded rates: their sum over W divided by the number of evaluations W holds. */
function rateOver(selector: string, window: string): string {
  return `${sumOver(selector, window)} / scalar(max(count_over_time(${RATES_EVALUATION}[${window}])))`;
}

/** Histogram_quantile's and the mean's inputs: the recorded buckets, sums and counts summed over W. */
function latencyOver(bucket: string, sum: string, count: string, window: string) {
  return latencyParts(sumOver(bucket, window), sumOver(sum, window), sumOver(count, window));
}

function meshNamespace(settings: AppSettings, namespace?: string): LabelMatcher[] {
  return namespace ? [eq(MESH_LABELS[settings.labelSchema].namespace, namespace)] : [];
}

function callersNamespace(namespace?: string): LabelMatcher[] {
  return namespace ? [eq(DESTINATION_LABELS.namespace, namespace)] : [];
}

/** The overview's requests on the recorded series: the raw ones' refIds, parts and sample labels. */
export function buildRecordedOverviewQueries({
  settings,
  windowSeconds,
  namespace,
}: OverviewQueryOptions): OverviewQuery[] {
  const names = recordedSeriesNames(settings);
  const window = promDuration(windowSeconds);
  const meshNs = meshNamespace(settings, namespace);
  const appNs = appNamespaceMatchers(settings, namespace);
  const meshSel = (name: string) => recordedSelector(name, meshNs);
  const appSel = (name: string) => recordedSelector(name, appNs);
  const meshLatency = latencyOver(
    meshSel(names.meshLatencyBucket),
    meshSel(names.meshLatencySum),
    meshSel(names.meshLatencyCount),
    window
  );
  const appLatency = latencyOver(
    appSel(names.appLatencyBucket),
    appSel(names.appLatencySum),
    appSel(names.appLatencyCount),
    window
  );
  return [
    {
      refId: 'meshResponses',
      expr: `${rateOver(meshSel(names.meshResponses), window)} or ${presenceOver(meshSel(names.meshAdmin), window)}`,
    },
    ...meshLatency.map((part) => ({ refId: 'meshLatency' as const, ...part })),
    {
      refId: 'meshCallers',
      expr: rateOver(recordedSelector(names.meshCallers, callersNamespace(namespace)), window),
    },
    { refId: 'appRequests', expr: rateOver(appSel(names.appRequests), window) },
    ...appLatency.map((part) => ({ refId: 'appLatency' as const, ...part })),
  ];
}

/** One sample per workload seen on its proxy's admin port in the window, tagged as the raw query tags it. */
function presenceOver(adminSelector: string, window: string): string {
  return `label_replace(last_over_time(${adminSelector}[${window}]), "${PRESENCE_LABEL}", "admin", "", "")`;
}

/** The recorded bucket series, for their `le` values (as buildBucketSelectors for the raw ones). */
export function buildRecordedBucketSelectors({ settings, namespace }: OverviewQueryOptions): {
  mesh: string;
  app: string;
} {
  const names = recordedSeriesNames(settings);
  return {
    mesh: recordedSelector(names.meshLatencyBucket, meshNamespace(settings, namespace)),
    app: recordedSelector(names.appLatencyBucket, appNamespaceMatchers(settings, namespace)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Whether the store holds the recorded series for these settings and this window.

/** The label of the coverage query's samples: `<layer>:<raw|recorded>:<start|end>`. */
export const COVERAGE_LABEL = 'meshlens_coverage';

export type CoverageLayer = 'mesh' | 'app';
export type CoverageSource = 'raw' | 'recorded';
export type CoverageEdge = 'start' | 'end';

/**
 * How far into the window, from each edge, a layer's series must show: two evaluations of the rules, which also
 * holds two scrapes at the 15–30 s intervals of the Collector and Linkerd Viz.
 */
export const COVERAGE_EDGE_SECONDS = 2 * RECORDED_EVALUATION_SECONDS;

/**
 * One instant query that counts, for each layer, the raw series and the recorded series present near the
 * window's start and near its end. The recorded ones must carry the settings' labels (the schema's namespace
 * label, the app service label): rules written for other settings do not count. Cheap: it reads the last sample
 * of each series in two short ranges, never a rate over the window.
 */
export function buildCoverageQuery({ settings, windowSeconds, namespace }: OverviewQueryOptions): string {
  const names = recordedSeriesNames(settings);
  const edge = Math.min(COVERAGE_EDGE_SECONDS, Math.max(1, Math.round(windowSeconds)));
  const startOffset = Math.max(0, Math.round(windowSeconds) - edge);
  const namespaceLabel = MESH_LABELS[settings.labelSchema].namespace;
  const serviceLabel = appLabels(settings.appServiceLabel).service;
  const selectors: Record<CoverageLayer, Record<CoverageSource, string>> = {
    mesh: {
      raw: seriesSelector(MESH_FAMILIES.responses, meshInbound(settings, namespace)),
      recorded: recordedSelector(names.meshResponses, [
        namespace ? eq(namespaceLabel, namespace) : matcher(namespaceLabel, '!=', ''),
      ]),
    },
    app: {
      raw: appFamiliesSelector(settings, '_count', namespace),
      recorded: recordedSelector(names.appRequests, [
        matcher(serviceLabel, '!=', ''),
        ...appNamespaceMatchers(settings, namespace),
      ]),
    },
  };
  const parts: string[] = [];
  for (const layer of ['mesh', 'app'] as const) {
    for (const source of ['raw', 'recorded'] as const) {
      for (const at of ['start', 'end'] as const) {
        const offset = at === 'start' && startOffset > 0 ? ` offset ${promDuration(startOffset)}` : '';
        const count = `count(last_over_time(${selectors[layer][source]}[${promDuration(edge)}]${offset}))`;
        parts.push(`label_replace(${count}, "${COVERAGE_LABEL}", "${layer}:${source}:${at}", "", "")`);
      }
    }
  }
  return parts.join(' or ');
}
