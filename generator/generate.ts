import type { LabelSchema, SemconvVersion } from '../src/settings/types';
import { sampleLine } from './exposition';
import { buildSeries, seriesValue, targetLabels, type PodTarget, type SeriesDef } from './series';
import type { Scenario } from './scenario';

export interface ImportOptions {
  schema: LabelSchema;
  semconv: SemconvVersion;
  /** Unix milliseconds of the scenario's start (counters are 0 there) and of the last sample. */
  startMs: number;
  endMs: number;
  /** Lines per yielded chunk. */
  chunkLines?: number;
  /** Timestamps in milliseconds (VictoriaMetrics import) or seconds (OpenMetrics, for promtool backfill). */
  timestampUnit?: 'ms' | 's';
  /** First timestamp to write (defaults to `startMs`): appends later samples of the same scenario. */
  fromMs?: number;
}

/**
 * Yields the scenario as Prometheus text-format lines with millisecond timestamps, the format of
 * VictoriaMetrics' `/api/v1/import/prometheus`: what the Collector pipeline stores, with the labels it adds and
 * without the families it drops.
 */
export function* importChunks(scenario: Scenario, options: ImportOptions): Generator<string> {
  const series = buildSeries(scenario, { semconv: options.semconv }).filter((s) => !s.droppedByPipeline);
  const stepMs = scenario.scrapeIntervalSeconds * 1000;
  const chunkLines = options.chunkLines ?? 50_000;
  let lines: string[] = [];
  for (const s of series) {
    const labels = { ...targetLabels(s.target, options.schema), ...s.labels };
    for (let t = options.fromMs ?? options.startMs; t <= options.endMs; t += stepMs) {
      const timestamp = options.timestampUnit === 's' ? t / 1000 : t;
      lines.push(sampleLine(s.name, labels, seriesValue(s, (t - options.startMs) / 1000), timestamp));
      if (lines.length >= chunkLines) {
        yield lines.join('\n') + '\n';
        lines = [];
      }
    }
  }
  if (lines.length > 0) {
    yield lines.join('\n') + '\n';
  }
}

export interface ProxyEndpoint {
  target: PodTarget;
  series: SeriesDef[];
}

/** Groups the mesh series by pod: one Linkerd-format `/metrics` endpoint per fake proxy. */
export function proxyEndpoints(scenario: Scenario, semconv: SemconvVersion): ProxyEndpoint[] {
  const byPod = new Map<string, ProxyEndpoint>();
  for (const s of buildSeries(scenario, { semconv })) {
    if (s.target.layer !== 'mesh') {
      continue;
    }
    const key = `${s.target.namespace}/${s.target.pod}`;
    const endpoint = byPod.get(key) ?? { target: s.target, series: [] };
    endpoint.series.push(s);
    byPod.set(key, endpoint);
  }
  return [...byPod.values()];
}

/** The proxy's `/metrics` body at `elapsedSeconds` after the scenario started: only the proxy's own labels. */
export function proxyMetricsText(endpoint: ProxyEndpoint, elapsedSeconds: number): string {
  const histograms = new Set(
    endpoint.series.filter((s) => s.name.endsWith('_bucket')).map((s) => s.name.slice(0, -'_bucket'.length))
  );
  const families = new Map<string, { type: string; lines: string[] }>();
  for (const s of endpoint.series) {
    const base = s.name.replace(/_(bucket|count|sum)$/, '');
    const name = histograms.has(base) ? base : s.name;
    const type = histograms.has(base) ? 'histogram' : s.gauge !== undefined ? 'gauge' : 'counter';
    const family = families.get(name) ?? { type, lines: [] };
    family.lines.push(sampleLine(s.name, s.labels, seriesValue(s, elapsedSeconds)));
    families.set(name, family);
  }
  const text: string[] = [];
  for (const [name, family] of families) {
    text.push(`# TYPE ${name} ${family.type}`, ...family.lines);
  }
  return text.join('\n') + '\n';
}
