/**
 * The app layer of a scenario as the apps' OTel SDKs would export it: cumulative server-duration histograms and
 * sampled traces, encoded by OpenTelemetry's own OTLP/JSON serializers. The reference stack's generator sends
 * them to the Collector; the figures are the ones the store import writes, so the truth holds for both paths.
 */
import { SpanKind, SpanStatusCode, ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { grpcStatusName } from '../src/query/grpcStatus';
import { logSigma } from './distribution';
import type { SemconvVersion } from '../src/settings/types';
import { hexId, seededRandom } from './random';
import type { Scenario, ServiceSpec } from './scenario';
import { appLatency, appResourceAttributes, type AppHistogram } from './app';
import { calleeOutcomes } from './linkerd/proxy';
import type { Outcome } from './linkerd/outcomes';
import { buildAppHistograms, seriesValue, type PodTarget } from './series';

const SCOPE = { name: 'meshlens-scenario-generator', version: '1' };

/** One Resource object per pod: the serializer groups spans by resource identity, as one SDK's exporter would. */
const podResources = new WeakMap<PodTarget, Resource>();

function podResource(pod: PodTarget): Resource {
  const resource = podResources.get(pod) ?? resourceFromAttributes(appResourceAttributes(pod));
  podResources.set(pod, resource);
  return resource;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One pod's histograms at `nowMs`, as its SDK's periodic reader would collect them (cumulative temporality). */
function podMetrics(pod: PodTarget, histograms: AppHistogram[], startedAtMs: number, nowMs: number): ResourceMetrics {
  const elapsedSeconds = (nowMs - startedAtMs) / 1000;
  const restart = pod.restartAtSeconds;
  // A restarted SDK starts its cumulative stream again: a new start time, counts from 0.
  const streamStartMs = startedAtMs + (restart !== undefined && elapsedSeconds >= restart ? restart * 1000 : 0);
  const byInstrument = new Map<string, HistogramMetricData>();
  for (const h of histograms) {
    const cumulative = h.series.slice(0, h.bounds.length + 1).map((s) => seriesValue(s, elapsedSeconds));
    // An SDK reports an attribute set once something was recorded with it (since its start, or its restart).
    if (cumulative[cumulative.length - 1] === 0) {
      continue;
    }
    const counts = cumulative.map((value, i) => value - (i === 0 ? 0 : cumulative[i - 1]));
    const sumSeries = h.series[h.bounds.length + 2];
    const metric: HistogramMetricData = byInstrument.get(h.instrument) ?? {
      descriptor: { name: h.instrument, description: '', unit: h.unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [],
    };
    metric.dataPoints.push({
      startTime: hrTime(streamStartMs),
      endTime: hrTime(nowMs),
      attributes: h.attributes,
      value: {
        buckets: { boundaries: h.bounds, counts },
        count: cumulative[cumulative.length - 1],
        sum: seriesValue(sumSeries, elapsedSeconds),
      },
    });
    byInstrument.set(h.instrument, metric);
  }
  return {
    resource: podResource(pod),
    scopeMetrics: [{ scope: SCOPE, metrics: [...byInstrument.values()] }],
  };
}

function decodeJson(bytes: Uint8Array | undefined): string {
  if (!bytes) {
    throw new Error('the OTLP serializer returned nothing');
  }
  return new TextDecoder().decode(bytes);
}

export interface OtlpMetricsSource {
  /** One OTLP/JSON `ExportMetricsServiceRequest` body per app pod, as each pod's SDK would send it. */
  requestsAt(nowMs: number): string[];
}

export function otlpMetricsSource(scenario: Scenario, semconv: SemconvVersion, startedAtMs: number): OtlpMetricsSource {
  const byPod = new Map<string, { pod: PodTarget; histograms: AppHistogram[] }>();
  for (const h of buildAppHistograms(scenario, { semconv })) {
    const key = `${h.target.namespace}/${h.target.pod}`;
    const entry = byPod.get(key) ?? { pod: h.target, histograms: [] };
    entry.histograms.push(h);
    byPod.set(key, entry);
  }
  return {
    requestsAt: (nowMs) =>
      [...byPod.values()].map(({ pod, histograms }) =>
        decodeJson(JsonMetricsSerializer.serializeRequest(podMetrics(pod, histograms, startedAtMs, nowMs)))
      ),
  };
}

export interface TraceWindow {
  startMs: number;
  endMs: number;
}

export interface TraceOptions {
  semconv: SemconvVersion;
  /** Requests sampled per instrumented service and window. */
  tracesPerService: number;
}

/** A standard normal draw (Box–Muller) for log-normal span durations. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pick<T extends { share: number }>(items: T[], random: () => number): T | undefined {
  let r = random();
  for (const item of items) {
    if (r < item.share) {
      return item;
    }
    r -= item.share;
  }
  return undefined;
}

/** Server-span attributes of one request, in the semantic conventions the service's SDK uses. */
function serverAttributes(service: ServiceSpec, semconv: SemconvVersion, outcome: Outcome): Attributes {
  if (service.protocol === 'grpc') {
    const code = outcome.grpcCode ?? 0;
    // TraceQL links query span.rpc.grpc.status_code; newer conventions also name the status.
    const named = semconv === 'stable' ? { 'rpc.response.status_code': grpcStatusName(code) } : {};
    return {
      'rpc.system': 'grpc',
      'rpc.service': `${service.namespace}.${service.name}`,
      'rpc.method': 'Call',
      'rpc.grpc.status_code': code,
      ...named,
    };
  }
  const status = outcome.httpStatus;
  return semconv === 'stable'
    ? { 'http.request.method': 'GET', 'http.route': '/api', 'http.response.status_code': status }
    : { 'http.method': 'GET', 'http.route': '/api', 'http.status_code': status };
}

interface SpanInput {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startMs: number;
  durationMs: number;
  failed: boolean;
  attributes: Attributes;
  pod: PodTarget;
}

function readableSpan(input: SpanInput): ReadableSpan {
  const context = (spanId: string) => ({ traceId: input.traceId, spanId, traceFlags: 1 });
  return {
    name: input.name,
    kind: input.kind,
    spanContext: () => context(input.spanId),
    parentSpanContext: input.parentSpanId ? context(input.parentSpanId) : undefined,
    startTime: hrTime(input.startMs),
    endTime: hrTime(input.startMs + input.durationMs),
    duration: hrTime(input.durationMs),
    status: { code: input.failed ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
    attributes: input.attributes,
    links: [],
    events: [],
    ended: true,
    resource: podResource(input.pod),
    instrumentationScope: SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

export interface OtlpTraceSource {
  /**
   * Sampled requests of every instrumented service in one window, as traces: the callee's server span (what the
   * app measured) under the caller's client span (what the caller waited, the boundary included). Outcomes follow
   * the mesh's shares: the gRPC-trap service's failing spans carry their gRPC status with HTTP 200 underneath, the
   * proxy's own 503s leave only the caller's span, and the slow-boundary service's gap shows between the two spans.
   * The same window always gives the same spans.
   */
  spansIn(window: TraceWindow): ReadableSpan[];
}

export function otlpTraceSource(scenario: Scenario, options: TraceOptions): OtlpTraceSource {
  // The scenario's app pods, expanded once: every window samples from them.
  const appPods = new Map<string, PodTarget[]>();
  for (const h of buildAppHistograms(scenario, { semconv: options.semconv })) {
    const key = `${h.target.namespace}/${h.target.workload}`;
    const pods = appPods.get(key) ?? [];
    if (!pods.some((p) => p.pod === h.target.pod)) {
      pods.push(h.target);
    }
    appPods.set(key, pods);
  }
  return { spansIn: (window) => sampleSpans(scenario, appPods, window, options) };
}

function sampleSpans(
  scenario: Scenario,
  appPods: Map<string, PodTarget[]>,
  window: TraceWindow,
  options: TraceOptions
): ReadableSpan[] {
  const random = seededRandom(scenario.seed ^ Math.floor(window.startMs / 1000));
  const podOf = (key: string): PodTarget | undefined => {
    const pods = appPods.get(key);
    return pods ? pods[Math.floor(random() * pods.length)] : undefined;
  };
  const spans: ReadableSpan[] = [];
  for (const service of scenario.services) {
    const key = `${service.namespace}/${service.name}`;
    if (!appPods.has(key)) {
      continue;
    }
    const latency = appLatency(service);
    const sigma = logSigma(latency);
    const outcomes = calleeOutcomes(service);
    const callers = service.callers.map((c) => ({ ...c, key: `${c.namespace ?? service.namespace}/${c.workload}` }));
    for (let i = 0; i < options.tracesPerService; i++) {
      const outcome = pick(outcomes, random) ?? outcomes[0];
      const caller = pick(callers, random);
      const callerPod = caller ? podOf(caller.key) : undefined;
      const traceId = hexId(random, 32);
      const startMs = window.startMs + random() * (window.endMs - window.startMs);
      const appMs = latency.medianMs * Math.exp(sigma * normal(random));
      const clientSpanId = hexId(random, 16);
      const failed = outcome.grpcCode !== undefined ? outcome.grpcCode !== 0 : outcome.httpStatus >= 500;
      const reachesApp = outcome.madeBy === 'app';
      if (callerPod) {
        spans.push(
          readableSpan({
            name: service.protocol === 'grpc' ? `${service.namespace}.${service.name}/Call` : 'GET',
            kind: SpanKind.CLIENT,
            traceId,
            spanId: clientSpanId,
            startMs,
            durationMs: reachesApp ? appMs + service.boundaryLatencyMs : service.boundaryLatencyMs + 1,
            failed,
            attributes: {
              'server.address': `${service.name}.${service.namespace}.svc.cluster.local`,
              ...serverAttributes(service, options.semconv, outcome),
            },
            pod: callerPod,
          })
        );
      }
      if (!reachesApp) {
        continue;
      }
      spans.push(
        readableSpan({
          name: service.protocol === 'grpc' ? `${service.namespace}.${service.name}/Call` : 'GET /api',
          kind: SpanKind.SERVER,
          traceId,
          spanId: hexId(random, 16),
          parentSpanId: callerPod ? clientSpanId : undefined,
          // The boundary's time, split around the app: the proxies on both sides of the call.
          startMs: callerPod ? startMs + service.boundaryLatencyMs / 2 : startMs,
          durationMs: appMs,
          failed,
          attributes: serverAttributes(service, options.semconv, outcome),
          pod: podOf(key)!,
        })
      );
    }
  }
  return spans;
}

/** The OTLP/JSON `ExportTraceServiceRequest` body for those spans. */
export function otlpTracesRequest(spans: ReadableSpan[]): string {
  return decodeJson(JsonTraceSerializer.serializeRequest(spans));
}
