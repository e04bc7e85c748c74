/**
 * The scenario as series: every counter, gauge and histogram the fake pods expose, with the rate it grows at.
 * The mesh layer is written by linkerd/proxy.ts as a Linkerd proxy writes it, the app layer by app.ts as an OTel
 * SDK exports it; worlds.ts adds what discovery and the pipeline add.
 */
import type { LabelSchema, SemconvVersion } from '../src/settings/types';
import { cdf, meanMs, meanWholeMs, type Mixture } from './distribution';
import { appHistograms, type AppHistogram } from './app';
import { proxyGeneration } from './linkerd/generations';
import { meshSeries, type ProxyPods } from './linkerd/proxy';
import { hexId, seededRandom } from './random';
import type { Scenario, ServiceSpec, WorkloadKind } from './scenario';
import { scenarioPhases, type ScenarioPhase } from './timeline';

export type Labels = Record<string, string>;

/** A pod the generator pretends to run: what Kubernetes discovery would say about it. */
export interface PodTarget {
  namespace: string;
  workload: string;
  kind: WorkloadKind;
  pod: string;
  /** Pods of Deployments carry their ReplicaSet's pod-template-hash. */
  podTemplateHash?: string;
  ip: string;
  /** `mesh`: the linkerd-proxy container's metrics; `app`: the app's OTel SDK metrics. */
  layer: 'mesh' | 'app';
  serviceAccount: string;
  /** The app's service.name (app targets only). */
  appService?: string;
  /** Seconds after the start at which the pod restarts: every counter it exposes starts again from 0. */
  restartAtSeconds?: number;
}

/** What a series does from a change of the scenario on (timeline.ts): its rate or gauge, and whether it is there. */
export interface SeriesChange {
  atMs: number;
  rate: number;
  gauge?: number;
  /** False while the series is gone: its pod is no longer scraped, or its registry has no entry for it. */
  exposed: boolean;
}

/**
 * One series: a counter growing at `rate` per second from the start (or from its pod's restart), or a
 * gauge. `floor` keeps counts whole, so histogram buckets stay monotone and `_count` equals `+Inf`. `changes` are
 * the scenario's later phases: a new rate changes the counter's slope, never its value, so it stays monotone.
 */
export interface SeriesDef {
  target: PodTarget;
  name: string;
  labels: Labels;
  rate: number;
  gauge?: number;
  whole: boolean;
  changes?: SeriesChange[];
}

function stateAt(series: SeriesDef, timeMs: number): Omit<SeriesChange, 'atMs'> {
  let state: Omit<SeriesChange, 'atMs'> = { rate: series.rate, gauge: series.gauge, exposed: true };
  for (const change of series.changes ?? []) {
    if (change.atMs <= timeMs) {
      state = change;
    }
  }
  return state;
}

/** Whether the series is a gauge in any phase. */
export function isGauge(series: SeriesDef): boolean {
  return series.gauge !== undefined || (series.changes ?? []).some((c) => c.gauge !== undefined);
}

/**
 * The series' value at `timeMs` when the scenario's counters started at `startMs`: the integral of its rate since
 * the start (or its pod's restart), phase by phase; a gauge's value in its phase.
 */
export function seriesValue(series: SeriesDef, timeMs: number, startMs: number): number {
  const state = stateAt(series, timeMs);
  if (state.gauge !== undefined) {
    return state.gauge;
  }
  const restart = series.target.restartAtSeconds;
  const restartMs = restart === undefined ? undefined : startMs + restart * 1000;
  const originMs = restartMs !== undefined && timeMs >= restartMs ? restartMs : startMs;
  const segments = [{ atMs: Number.NEGATIVE_INFINITY, rate: series.rate }, ...(series.changes ?? [])];
  let value = 0;
  segments.forEach((segment, i) => {
    const from = Math.max(segment.atMs, originMs);
    const to = Math.min(segments[i + 1]?.atMs ?? Number.POSITIVE_INFINITY, timeMs);
    if (to > from) {
      value += (segment.rate * (to - from)) / 1000;
    }
  });
  return series.whole ? Math.floor(value + 1e-9) : value;
}

/**
 * Which series says whether another exists: a histogram's `_count` for its buckets and `_sum` (a histogram
 * appears with all its buckets at once), every other series for itself.
 */
export function existenceIndex(series: SeriesDef[]): (s: SeriesDef) => SeriesDef {
  const key = (s: SeriesDef, name: string) => {
    const { le: _le, ...labels } = s.labels;
    return `${s.target.layer}|${s.target.namespace}|${s.target.pod}|${name}|${JSON.stringify(labels)}`;
  };
  const counts = new Map(series.filter((s) => s.name.endsWith('_count')).map((s) => [key(s, s.name), s]));
  return (s) => {
    const histogram = /_(bucket|sum)$/.exec(s.name);
    return histogram ? (counts.get(key(s, s.name.replace(/_(bucket|sum)$/, '_count'))) ?? s) : s;
  };
}

/**
 * Whether a series exists at `timeMs`: registries (a Linkerd proxy's, an OTel SDK's) create a series when something
 * is first counted in it, and a restarted process starts empty again; a series whose pod is no longer scraped is
 * gone. Gauges exist while they are exposed.
 */
export function seriesExists(existence: SeriesDef, timeMs: number, startMs: number): boolean {
  const state = stateAt(existence, timeMs);
  return state.exposed && (state.gauge !== undefined || seriesValue(existence, timeMs, startMs) > 0);
}

/** The node a fake pod runs on, as pod discovery reports it. */
export function nodeName(target: PodTarget): string {
  return `node-${target.ip.split('.')[3] ?? '0'}`;
}

export interface HistogramOptions {
  target: PodTarget;
  base: string;
  labels: Labels;
  rate: number;
  latency: Mixture;
  /** Bucket bounds in the histogram's unit, and that unit in ms. */
  bounds: number[];
  unitMs: number;
  /** `whole-ms`: Linkerd adds each latency to `_sum` in whole milliseconds, rounded down. */
  sum: 'exact' | 'whole-ms';
  /** How a bound is written in `le`: Linkerd writes `1`, prometheus-client `1.0`. */
  formatBound?: (bound: number) => string;
}

/** A cumulative histogram: one `_bucket` per bound then `+Inf`, `_count` and `_sum`. */
export function histogram(o: HistogramOptions): SeriesDef[] {
  const common = { target: o.target };
  const total = o.latency.reduce((sum, m) => sum + m.weight, 0);
  const share = (f: (m: Mixture[number]) => number) =>
    total > 0 ? o.latency.reduce((sum, m) => sum + m.weight * f(m), 0) / total : 0;
  const format = o.formatBound ?? String;
  const buckets: SeriesDef[] = [...o.bounds, Number.POSITIVE_INFINITY].map((bound) => ({
    ...common,
    name: `${o.base}_bucket`,
    labels: { ...o.labels, le: Number.isFinite(bound) ? format(bound) : '+Inf' },
    rate: o.rate * (Number.isFinite(bound) ? share((m) => cdf(m.latency, bound * o.unitMs)) : 1),
    whole: true,
  }));
  const mean = share((m) => (o.sum === 'whole-ms' ? meanWholeMs(m.latency) : meanMs(m.latency)));
  return [
    ...buckets,
    { ...common, name: `${o.base}_count`, labels: o.labels, rate: o.rate, whole: true },
    {
      ...common,
      name: `${o.base}_sum`,
      labels: o.labels,
      rate: (o.rate * mean) / o.unitMs,
      whole: o.sum === 'whole-ms',
    },
  ];
}

export interface GenerateOptions {
  semconv: SemconvVersion;
  /** Which pipeline scrapes the proxies (worlds.ts); it decides who the admin server sees scraping it. */
  world?: LabelSchema;
  /**
   * Unix ms of the end of the generated range, from which the scenario's changes are placed (`minutesBeforeEnd`);
   * by default now, where a range that is being generated live ends.
   */
  endMs?: number;
}

/** The pods of every workload: the proxy and the app share a pod, so each workload gets one set. */
class PodRegistry implements ProxyPods {
  private readonly pods = new Map<string, PodTarget[]>();
  private ipCounter = 0;

  constructor(
    private readonly random: () => number,
    private readonly specs: Map<string, ServiceSpec>
  ) {}

  of(namespace: string, workload: string): PodTarget[] {
    const key = `${namespace}/${workload}`;
    let list = this.pods.get(key);
    if (!list) {
      const spec = this.specs.get(key);
      const kind = spec?.kind ?? 'deployment';
      const hash = kind === 'deployment' ? hexId(this.random, 10) : undefined;
      const restartMinute = spec?.restartAtMinute;
      list = Array.from({ length: spec?.pods ?? 1 }, (_, i) => {
        this.ipCounter++;
        const n = this.ipCounter;
        return {
          namespace,
          workload,
          kind,
          pod: podName(kind, workload, i, hash, this.random),
          podTemplateHash: hash,
          ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          layer: 'mesh' as const,
          serviceAccount: spec?.serviceAccount ?? workload,
          restartAtSeconds: i === 0 && restartMinute !== undefined ? restartMinute * 60 : undefined,
        };
      });
      this.pods.set(key, list);
    }
    return list;
  }
}

/** Pod names as each controller makes them. */
function podName(kind: WorkloadKind, workload: string, index: number, hash: string | undefined, random: () => number) {
  const suffix = () => hexId(random, 5);
  switch (kind) {
    case 'deployment':
      return `${workload}-${hash}-${suffix()}`;
    case 'statefulset':
      return `${workload}-${index}`;
    case 'cronjob':
      return `${workload}-2946${String(1000 + index)}-${suffix()}`;
    default:
      return `${workload}-${suffix()}`;
  }
}

interface Expansion {
  series: SeriesDef[];
  appHistograms: AppHistogram[];
}

function seriesKey(s: SeriesDef): string {
  return `${s.target.layer}|${s.target.namespace}|${s.target.pod}|${s.name}|${JSON.stringify(s.labels)}`;
}

/** One phase of the scenario as series; the pods come from `pods`, shared by every phase. */
function expandPhase(scenario: Scenario, options: GenerateOptions, pods: PodRegistry): Expansion {
  const specs = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const generation = proxyGeneration(scenario.proxy);
  const series: SeriesDef[] = [];
  const appHistogramList: AppHistogram[] = [];
  for (const service of scenario.services) {
    if (service.layers.includes('mesh')) {
      series.push(
        ...meshSeries(service, {
          generation,
          pods,
          specs,
          scrapeIntervalSeconds: scenario.scrapeIntervalSeconds,
          world: options.world ?? 'otel',
        })
      );
    }
    for (const appHistogram of appHistograms(service, options.semconv, pods)) {
      appHistogramList.push(appHistogram);
      series.push(...appHistogram.series);
    }
  }
  return { series: mergeIdentical(series), appHistograms: appHistogramList };
}

/**
 * Every phase's series as one set: a series takes each phase's rate (or gauge) from that phase's start, and is gone
 * in a phase that does not have it (its pod is no longer scraped, or nothing is counted in it any more).
 */
function mergePhases(expansions: Expansion[], phases: ScenarioPhase[]): Expansion {
  const merged = new Map<string, SeriesDef>();
  expansions.forEach((expansion, k) => {
    const present = new Set<string>();
    for (const s of expansion.series) {
      const key = seriesKey(s);
      present.add(key);
      const existing = merged.get(key);
      if (!existing) {
        // A series that appears with a later phase counts nothing before it (so does not exist yet).
        merged.set(key, k === 0 ? { ...s } : { ...s, rate: 0, gauge: undefined, changes: [changeOf(s, phases[k])] });
      } else if (k > 0) {
        (existing.changes ??= []).push(changeOf(s, phases[k]));
      }
    }
    if (k > 0) {
      for (const [key, s] of merged) {
        if (!present.has(key)) {
          (s.changes ??= []).push({ atMs: phases[k].fromMs, rate: 0, exposed: false });
        }
      }
    }
  });
  const series = [...merged.values()].map(withoutRepeats);
  const appHistogramsByKey = new Map<string, AppHistogram>();
  for (const expansion of expansions) {
    for (const h of expansion.appHistograms) {
      const key = `${h.target.namespace}|${h.target.pod}|${h.instrument}|${JSON.stringify(h.attributes)}`;
      if (!appHistogramsByKey.has(key)) {
        appHistogramsByKey.set(key, { ...h, series: h.series.map((s) => merged.get(seriesKey(s))!) });
      }
    }
  }
  return { series, appHistograms: [...appHistogramsByKey.values()] };
}

function changeOf(s: SeriesDef, phase: ScenarioPhase): SeriesChange {
  return { atMs: phase.fromMs, rate: s.rate, gauge: s.gauge, exposed: true };
}

/** Drops changes that change nothing: a series the changes leave alone is a plain one. */
function withoutRepeats(s: SeriesDef): SeriesDef {
  const kept: SeriesChange[] = [];
  let previous: Omit<SeriesChange, 'atMs'> = { rate: s.rate, gauge: s.gauge, exposed: true };
  for (const change of s.changes ?? []) {
    if (change.rate !== previous.rate || change.gauge !== previous.gauge || change.exposed !== previous.exposed) {
      kept.push(change);
      previous = change;
    }
  }
  s.changes = kept.length > 0 ? kept : undefined;
  return s;
}

function expandScenario(scenario: Scenario, options: GenerateOptions): Expansion {
  // One registry for every phase: a pod keeps its name and address whatever changes around it.
  const specs = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const pods = new PodRegistry(seededRandom(scenario.seed), specs);
  const phases = scenarioPhases(scenario, options.endMs ?? Date.now());
  const expansions = phases.map((phase) => expandPhase(phase.scenario, options, pods));
  return expansions.length === 1 ? expansions[0] : mergePhases(expansions, phases);
}

/**
 * One series per pod, family and label set, as in a proxy's registry: two callers with the same identity (a shared
 * service account), or the Collector and the kubelet (both without TLS) on the admin port, share a series.
 */
function mergeIdentical(series: SeriesDef[]): SeriesDef[] {
  const byKey = new Map<string, SeriesDef>();
  // Only the few series that merge are copied: a 1,000-service scenario has half a million.
  const copies = new Set<SeriesDef>();
  for (const s of series) {
    const key = seriesKey(s);
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, s);
      continue;
    }
    const merged = copies.has(existing) ? existing : { ...existing };
    copies.add(merged);
    merged.rate += s.rate;
    if (merged.gauge !== undefined || s.gauge !== undefined) {
      merged.gauge = (merged.gauge ?? 0) + (s.gauge ?? 0);
    }
    byKey.set(key, merged);
  }
  return [...byKey.values()];
}

/** Expands a scenario into every series the proxies and apps expose (without the target labels). */
export function buildSeries(scenario: Scenario, options: GenerateOptions): SeriesDef[] {
  return expandScenario(scenario, options).series;
}

/** The app layer as OTel instruments: what the generator sends over OTLP. */
export function buildAppHistograms(scenario: Scenario, options: GenerateOptions): AppHistogram[] {
  return expandScenario(scenario, options).appHistograms;
}
