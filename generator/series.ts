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

/**
 * One series: a counter growing at `rate` per second from the start (or from its pod's restart), or a
 * gauge. `floor` keeps counts whole, so histogram buckets stay monotone and `_count` equals `+Inf`.
 */
export interface SeriesDef {
  target: PodTarget;
  name: string;
  labels: Labels;
  rate: number;
  gauge?: number;
  whole: boolean;
}

export function seriesValue(series: SeriesDef, elapsedSeconds: number): number {
  if (series.gauge !== undefined) {
    return series.gauge;
  }
  const restart = series.target.restartAtSeconds;
  const origin = restart !== undefined && elapsedSeconds >= restart ? restart : 0;
  const value = series.rate * Math.max(0, elapsedSeconds - origin);
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
 * Whether a series exists `elapsedSeconds` after the start: registries (a Linkerd proxy's, an OTel SDK's) create a
 * series when something is first counted in it, and a restarted process starts empty again. Gauges always exist.
 */
export function seriesExists(existence: SeriesDef, elapsedSeconds: number): boolean {
  return existence.gauge !== undefined || seriesValue(existence, elapsedSeconds) > 0;
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

function expandScenario(scenario: Scenario, options: GenerateOptions): Expansion {
  const specs = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const pods = new PodRegistry(seededRandom(scenario.seed), specs);
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
 * One series per pod, family and label set, as in a proxy's registry: two callers with the same identity (a shared
 * service account), or the Collector and the kubelet (both without TLS) on the admin port, share a series.
 */
function mergeIdentical(series: SeriesDef[]): SeriesDef[] {
  const byKey = new Map<string, SeriesDef>();
  // Only the few series that merge are copied: a 1,000-service scenario has half a million.
  const copies = new Set<SeriesDef>();
  for (const s of series) {
    const key = `${s.target.layer}|${s.target.namespace}|${s.target.pod}|${s.name}|${JSON.stringify(s.labels)}`;
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
