import type { LabelSchema, SemconvVersion } from '../src/settings/types';
import { sampleLine } from './exposition';
import {
  buildSeries,
  existenceIndex,
  isGauge,
  seriesExists,
  seriesValue,
  type Labels,
  type PodTarget,
  type SeriesDef,
} from './series';
import type { Scenario } from './scenario';
import { stored, targetLabels } from './worlds';

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
 * VictoriaMetrics' `/api/v1/import/prometheus`: what the chosen world's scrape stores, with the labels it adds
 * and without the families it drops.
 */
export function* importChunks(scenario: Scenario, options: ImportOptions): Generator<string> {
  const world = options.schema;
  const all = buildSeries(scenario, { semconv: options.semconv, world, endMs: options.endMs });
  const existence = existenceIndex(all);
  const series = all.filter((s) => stored(s.name, s.target, world));
  const stepMs = scenario.scrapeIntervalSeconds * 1000;
  const chunkLines = options.chunkLines ?? 50_000;
  let lines: string[] = [];
  for (const s of series) {
    const labels = { ...targetLabels(s.target, world), ...s.labels };
    for (let t = options.fromMs ?? options.startMs; t <= options.endMs; t += stepMs) {
      if (!seriesExists(existence(s), t, options.startMs)) {
        continue;
      }
      const timestamp = options.timestampUnit === 's' ? t / 1000 : t;
      lines.push(sampleLine(s.name, labels, seriesValue(s, t, options.startMs), timestamp));
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

/** A series as the chosen world stores it: every label, `__name__` included, and how it grows. */
export interface StoredSeries {
  metric: Labels;
  def: SeriesDef;
  /** The series whose count says whether this one exists yet (seriesExists). */
  existence: SeriesDef;
}

/** The scenario's series the world stores, with their labels: build once, then sample at any time. */
export function storedSeries(
  scenario: Scenario,
  options: { schema: LabelSchema; semconv: SemconvVersion; endMs?: number }
): StoredSeries[] {
  const world = options.schema;
  const all = buildSeries(scenario, { semconv: options.semconv, world, endMs: options.endMs });
  const existence = existenceIndex(all);
  return all
    .filter((s) => stored(s.name, s.target, world))
    .map((def) => ({
      metric: { __name__: def.name, ...targetLabels(def.target, world), ...def.labels },
      def,
      existence: existence(def),
    }));
}

/**
 * Series as VictoriaMetrics' JSON lines (`/api/v1/import`): one line per series with all its samples, an order of
 * magnitude faster to write and to import than a line per sample (a 1,000-service scenario in seconds).
 */
export function* jsonLines(
  series: StoredSeries[],
  timestampsMs: number[],
  startMs: number,
  chunkSeries = 5_000
): Generator<string> {
  const timestampsJson = JSON.stringify(timestampsMs);
  let lines: string[] = [];
  for (const { metric, def, existence } of series) {
    const times = timestampsMs.filter((t) => seriesExists(existence, t, startMs));
    if (times.length === 0) {
      continue;
    }
    const values = times.map((t) => seriesValue(def, t, startMs));
    const timesJson = times.length === timestampsMs.length ? timestampsJson : JSON.stringify(times);
    lines.push(`{"metric":${JSON.stringify(metric)},"values":[${values.join(',')}],"timestamps":${timesJson}}`);
    if (lines.length >= chunkSeries) {
      yield lines.join('\n') + '\n';
      lines = [];
    }
  }
  if (lines.length > 0) {
    yield lines.join('\n') + '\n';
  }
}

/** The scrape times from `fromMs` (default: the start) to `endMs`, every scrape interval. */
export function scrapeTimes(scenario: Scenario, startMs: number, endMs: number, fromMs = startMs): number[] {
  const times: number[] = [];
  for (let t = fromMs; t <= endMs; t += scenario.scrapeIntervalSeconds * 1000) {
    times.push(t);
  }
  return times;
}

/** The scenario over [startMs, endMs] as VictoriaMetrics JSON lines. */
export function importJsonChunks(scenario: Scenario, options: Omit<ImportOptions, 'timestampUnit' | 'chunkLines'>) {
  return jsonLines(
    storedSeries(scenario, options),
    scrapeTimes(scenario, options.startMs, options.endMs, options.fromMs),
    options.startMs
  );
}

export interface ProxyEndpoint {
  target: PodTarget;
  series: SeriesDef[];
  /** The series whose count says whether each exists yet (seriesExists). */
  existence: (s: SeriesDef) => SeriesDef;
}

/**
 * Groups the mesh series by pod: one Linkerd-format `/metrics` endpoint per fake proxy. The scenario's changes are
 * placed back from `endMs` (by default now).
 */
export function proxyEndpoints(
  scenario: Scenario,
  semconv: SemconvVersion,
  world: LabelSchema,
  endMs?: number
): ProxyEndpoint[] {
  const byPod = new Map<string, ProxyEndpoint>();
  const all = buildSeries(scenario, { semconv, world, endMs });
  const existence = existenceIndex(all);
  for (const s of all) {
    if (s.target.layer !== 'mesh') {
      continue;
    }
    const key = `${s.target.namespace}/${s.target.pod}`;
    const endpoint = byPod.get(key) ?? { target: s.target, series: [], existence };
    endpoint.series.push(s);
    byPod.set(key, endpoint);
  }
  return [...byPod.values()];
}

/**
 * HELP texts of the legacy families (linkerd2-proxy `linkerd/http/metrics/src/requests/report.rs`,
 * `linkerd/transport-metrics/src/lib.rs`).
 */
const HELP: Record<string, string> = {
  request_total: 'Total count of HTTP requests.',
  response_total: 'Total count of HTTP responses.',
  response_latency_ms: "Elapsed times between a request's headers being received and its response stream completing",
  tcp_open_total: 'Total count of opened connections',
  tcp_open_connections: 'Number of currently-open connections',
  tcp_read_bytes_total: 'Total count of bytes read from peers',
  tcp_write_bytes_total: 'Total count of bytes written to peers',
  tcp_close_total: 'Total count of closed connections',
  // The control-plane client's families are the legacy HTTP ones with the prefix `control_`; the process text is
  // v2.210.0's `linkerd/app/core/src/telemetry/process.rs` (both as in linkerd2's testdata/sampleMetrics.txt).
  control_response_total: 'Total count of HTTP responses.',
  process_cpu_seconds_total: 'Total user and system CPU time spent in seconds.',
};

/**
 * The proxy's `/metrics` body at `timeMs` of a scenario started at `startMs`: only the proxy's own labels. A
 * series appears once something has been counted in it (a histogram with all its buckets at once), as the
 * proxy's registries create their entries on first use.
 */
export function proxyMetricsText(endpoint: ProxyEndpoint, timeMs: number, startMs: number): string {
  const histograms = new Set(
    endpoint.series.filter((s) => s.name.endsWith('_bucket')).map((s) => s.name.slice(0, -'_bucket'.length))
  );
  const families = new Map<string, { type: string; lines: string[] }>();
  for (const s of endpoint.series) {
    if (!seriesExists(endpoint.existence(s), timeMs, startMs)) {
      continue;
    }
    const base = s.name.replace(/_(bucket|count|sum)$/, '');
    const histogram = histograms.has(base);
    const value = seriesValue(s, timeMs, startMs);
    const name = histogram ? base : s.name;
    const type = histogram ? 'histogram' : isGauge(s) ? 'gauge' : 'counter';
    const family = families.get(name) ?? { type, lines: [] };
    family.lines.push(sampleLine(s.name, s.labels, value));
    families.set(name, family);
  }
  const text: string[] = [];
  for (const [name, family] of families) {
    if (HELP[name]) {
      text.push(`# HELP ${name} ${HELP[name]}`);
    }
    text.push(`# TYPE ${name} ${family.type}`, ...family.lines);
  }
  return text.join('\n') + '\n';
}
