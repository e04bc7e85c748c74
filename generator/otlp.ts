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
import type { SemconvVersion } from '../src/settings/types';
import { logSigma, type Latency } from './distribution';
import { hexId, seededRandom } from './random';
import type { CallerSpec, Scenario, ServiceSpec } from './scenario';
import { appLatency, appResourceAttributes, type AppHistogram } from './app';
import { calleeOutcomes, callerOutcomes } from './linkerd/proxy';
import type { Outcome } from './linkerd/outcomes';
import { buildAppHistograms, seriesExists, seriesValue, type PodTarget } from './series';
import { scenarioAt } from './timeline';

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
    // An SDK reports an attribute set once something was recorded with it (since its start, or its restart), and
    // not while the scenario has it gone.
    if (!seriesExists(h.series[h.bounds.length + 1], nowMs, startedAtMs)) {
      continue;
    }
    const cumulative = h.series.slice(0, h.bounds.length + 1).map((s) => seriesValue(s, nowMs, startedAtMs));
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
        sum: seriesValue(sumSeries, nowMs, startedAtMs),
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

/** The scenario's changes are placed back from `endMs` (by default now). */
export function otlpMetricsSource(
  scenario: Scenario,
  semconv: SemconvVersion,
  startedAtMs: number,
  endMs?: number
): OtlpMetricsSource {
  const byPod = new Map<string, { pod: PodTarget; histograms: AppHistogram[] }>();
  for (const h of buildAppHistograms(scenario, { semconv, endMs })) {
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
  /** Requests sampled per service and window, for every service an SDK or a traced caller reports on. */
  tracesPerService: number;
  /** Unix ms from which the scenario's changes are placed back (by default now): a window samples the phase at its end. */
  endMs?: number;
}

/** A standard normal draw (Box–Muller) for log-normal span durations. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function sampleMs(latency: Latency, random: () => number): number {
  return latency.shiftMs + latency.medianMs * Math.exp(logSigma(latency) * normal(random));
}

/** One of the items by their shares, which need not add up to 1. */
function pickWeighted<T extends { share: number }>(items: T[], random: () => number): T {
  let r = random() * items.reduce((sum, item) => sum + item.share, 0);
  for (const item of items) {
    if (r < item.share) {
      return item;
    }
    r -= item.share;
  }
  return items[items.length - 1];
}

/** One of the items by their shares; nothing for what the shares leave of 1. */
function pickShare<T extends { share: number }>(items: T[], random: () => number): T | undefined {
  let r = random();
  for (const item of items) {
    if (r < item.share) {
      return item;
    }
    r -= item.share;
  }
  return undefined;
}

/**
 * gRPC codes a server span reports as an error; a client span reports every code but OK
 * (open-telemetry/semantic-conventions `docs/rpc/grpc.md`, the span status of server and client spans).
 */
const GRPC_SERVER_ERROR_CODES = new Set([2, 4, 12, 13, 14, 15]);

/** The span status of an outcome on one side of the call (semantic conventions: HTTP and gRPC span status). */
function spanFailed(outcome: Outcome, kind: SpanKind.CLIENT | SpanKind.SERVER): boolean {
  if (outcome.grpcCode !== undefined) {
    return kind === SpanKind.SERVER ? GRPC_SERVER_ERROR_CODES.has(outcome.grpcCode) : outcome.grpcCode !== 0;
  }
  // HTTP: 5xx fails a server span; a client span fails on 4xx as well (`docs/http/http-spans.md`, status).
  return outcome.httpStatus >= (kind === SpanKind.SERVER ? 500 : 400);
}

/**
 * The gRPC status attribute of each generation: the number in `rpc.grpc.status_code` (RPC conventions up to
 * v1.37), the name in `rpc.response.status_code` after (`docs/non-normative/rpc-migration.md`). An SDK writes one.
 */
function grpcStatusAttribute(code: number, semconv: SemconvVersion): Attributes {
  return semconv === 'stable' ? { 'rpc.response.status_code': grpcStatusName(code) } : { 'rpc.grpc.status_code': code };
}

function grpcAttributes(service: ServiceSpec, semconv: SemconvVersion, outcome: Outcome): Attributes {
  return {
    'rpc.system': 'grpc',
    'rpc.service': `${service.namespace}.${service.name}`,
    'rpc.method': 'Call',
    ...grpcStatusAttribute(outcome.grpcCode ?? 0, semconv),
  };
}

/** Server-span attributes of one request, in the semantic conventions the service's SDK uses. */
function serverAttributes(service: ServiceSpec, semconv: SemconvVersion, outcome: Outcome): Attributes {
  if (service.protocol === 'grpc') {
    return grpcAttributes(service, semconv, outcome);
  }
  const status = outcome.httpStatus;
  return semconv === 'stable'
    ? { 'http.request.method': 'GET', 'http.route': '/api', 'http.response.status_code': status }
    : { 'http.method': 'GET', 'http.route': '/api', 'http.status_code': status };
}

/**
 * Client-span attributes of a call to the service through its Kubernetes Service name: the host called is
 * `server.address` in the stable conventions, `net.peer.name` up to v1.20 (`docs/http/http-spans.md`,
 * `docs/rpc/grpc.md`; the v1.20.0 specification's `trace/semantic_conventions/{http,rpc}.md`).
 */
function clientAttributes(service: ServiceSpec, semconv: SemconvVersion, outcome: Outcome): Attributes {
  const host = `${service.name}.${service.namespace}.svc.cluster.local`;
  const stable = semconv === 'stable';
  const peer = stable ? { 'server.address': host, 'server.port': 80 } : { 'net.peer.name': host, 'net.peer.port': 80 };
  if (service.protocol === 'grpc') {
    return { ...grpcAttributes(service, semconv, outcome), ...peer };
  }
  const status = outcome.httpStatus;
  return stable
    ? { 'http.request.method': 'GET', 'url.full': `http://${host}/api`, 'http.response.status_code': status, ...peer }
    : { 'http.method': 'GET', 'http.url': `http://${host}/api`, 'http.status_code': status, ...peer };
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

/** One sampled request and what the generator knows of it: the truth the trace links are tested against. */
export interface SampledRequest {
  /** `namespace/name` of the service called. */
  callee: string;
  /** `namespace/workload` of the caller, when an instrumented caller sent it through the mesh. */
  tracedCaller?: string;
  /** False for a request that reached the app around the mesh. */
  meshed: boolean;
  outcome: Outcome;
  /** The caller's client span, when the caller is instrumented. */
  clientSpan?: ReadableSpan;
  /** The callee's server span, when the callee is instrumented and its app handled the request. */
  serverSpan?: ReadableSpan;
}

export interface OtlpTraceSource {
  /**
   * Sampled requests of every service in one window: the callee's server span (what the app measured) under
   * the caller's client span (what the caller waited, the boundary included), where each side has an SDK.
   * Meshed requests follow the mesh's outcome shares as the caller's proxy sees them: the gRPC trap's failures
   * carry their gRPC status under HTTP 200, a proxy's own answers (502, or UNAVAILABLE for gRPC; the callee's
   * proxy that cannot reach the app, the caller's that cannot reach the pod) leave only the caller's span, and
   * the caller's span is longer than the callee's by the boundary's and the caller side's time. Requests that
   * bypass the mesh come from clients that send no spans: the server span is the trace's root. The same window
   * always gives the same requests.
   */
  requestsIn(window: TraceWindow): SampledRequest[];
  spansIn(window: TraceWindow): ReadableSpan[];
}

export function otlpTraceSource(scenario: Scenario, options: TraceOptions): OtlpTraceSource {
  // The scenario's app pods, expanded once: every window samples from them.
  const appPods = new Map<string, PodTarget[]>();
  const endMs = options.endMs ?? Date.now();
  for (const h of buildAppHistograms(scenario, { semconv: options.semconv, endMs })) {
    const key = `${h.target.namespace}/${h.target.workload}`;
    const pods = appPods.get(key) ?? [];
    if (!pods.some((p) => p.pod === h.target.pod)) {
      pods.push(h.target);
    }
    appPods.set(key, pods);
  }
  const requestsIn = (window: TraceWindow) =>
    sampleRequests(scenarioAt(scenario, endMs, window.endMs), appPods, window, options);
  return {
    requestsIn,
    spansIn: (window) =>
      requestsIn(window).flatMap((r) => [r.clientSpan, r.serverSpan].filter((s): s is ReadableSpan => !!s)),
  };
}

interface SampleContext {
  random: () => number;
  semconv: SemconvVersion;
  podOf: (key: string) => PodTarget | undefined;
}

function sampleRequests(
  scenario: Scenario,
  appPods: Map<string, PodTarget[]>,
  window: TraceWindow,
  options: TraceOptions
): SampledRequest[] {
  const random = seededRandom(scenario.seed ^ Math.floor(window.startMs / 1000));
  const podOf = (key: string): PodTarget | undefined => {
    const pods = appPods.get(key);
    return pods ? pods[Math.floor(random() * pods.length)] : undefined;
  };
  const context: SampleContext = { random, semconv: options.semconv, podOf };
  const requests: SampledRequest[] = [];
  for (const service of scenario.services) {
    const key = `${service.namespace}/${service.name}`;
    const meshed = service.layers.includes('mesh');
    const callers = meshed
      ? service.callers.map((c) => ({ ...c, key: `${c.namespace ?? service.namespace}/${c.workload}` }))
      : [];
    // Requests per second through the mesh, and around it (all of them for a service that is not meshed).
    const meshedRps = meshed ? service.rps : 0;
    const bypassRps = meshed ? service.unmeshedRps : service.rps + service.unmeshedRps;
    if (meshedRps + bypassRps === 0 || (!appPods.has(key) && !callers.some((c) => appPods.has(c.key)))) {
      continue;
    }
    for (let i = 0; i < options.tracesPerService; i++) {
      const startMs = window.startMs + random() * (window.endMs - window.startMs);
      const traceId = hexId(random, 32);
      const request =
        random() * (meshedRps + bypassRps) < bypassRps
          ? bypassingRequest(service, key, context, traceId, startMs)
          : meshedRequest(service, key, callers, context, traceId, startMs);
      if (request) {
        requests.push(request);
      }
    }
  }
  return requests;
}

function spanName(service: ServiceSpec, kind: SpanKind): string {
  if (service.protocol === 'grpc') {
    return `${service.namespace}.${service.name}/Call`;
  }
  return kind === SpanKind.SERVER ? 'GET /api' : 'GET';
}

function serverSpan(
  service: ServiceSpec,
  context: SampleContext,
  span: { traceId: string; parentSpanId?: string; startMs: number; durationMs: number; outcome: Outcome },
  pod: PodTarget
): ReadableSpan {
  return readableSpan({
    name: spanName(service, SpanKind.SERVER),
    kind: SpanKind.SERVER,
    traceId: span.traceId,
    spanId: hexId(context.random, 16),
    parentSpanId: span.parentSpanId,
    startMs: span.startMs,
    durationMs: span.durationMs,
    failed: spanFailed(span.outcome, SpanKind.SERVER),
    attributes: serverAttributes(service, context.semconv, span.outcome),
    pod,
  });
}

/** A request that reaches the app around the mesh, from a client that sends no spans: the app answers it. */
function bypassingRequest(
  service: ServiceSpec,
  key: string,
  context: SampleContext,
  traceId: string,
  startMs: number
): SampledRequest | undefined {
  const pod = context.podOf(key);
  if (!pod) {
    return undefined;
  }
  const outcome = pickWeighted(
    calleeOutcomes(service).filter((o) => o.madeBy === 'app'),
    context.random
  );
  const durationMs = sampleMs(appLatency(service), context.random);
  return {
    callee: key,
    meshed: false,
    outcome,
    serverSpan: serverSpan(service, context, { traceId, startMs, durationMs, outcome }, pod),
  };
}

/**
 * A request through the mesh, from one of the callers by their shares (what they leave comes from clients
 * without an identity, which send no spans here), with the outcomes the caller's proxy sees.
 */
function meshedRequest(
  service: ServiceSpec,
  key: string,
  callers: Array<CallerSpec & { key: string }>,
  context: SampleContext,
  traceId: string,
  startMs: number
): SampledRequest | undefined {
  const { random } = context;
  const caller = pickShare(callers, random);
  const callerPod = caller ? context.podOf(caller.key) : undefined;
  const outcome = pickWeighted(caller ? callerOutcomes(service, caller) : calleeOutcomes(service), random);
  const calleePod = outcome.madeBy === 'app' ? context.podOf(key) : undefined;
  if (!callerPod && !calleePod) {
    return undefined;
  }
  const callerLatencyMs = caller?.latencyMs ?? 0;
  const appMs = sampleMs(appLatency(service), random);
  const request: SampledRequest = {
    callee: key,
    meshed: true,
    outcome,
    tracedCaller: callerPod ? caller?.key : undefined,
  };
  const clientSpanId = hexId(random, 16);
  if (callerPod) {
    request.clientSpan = readableSpan({
      name: spanName(service, SpanKind.CLIENT),
      kind: SpanKind.CLIENT,
      traceId,
      spanId: clientSpanId,
      startMs,
      // The app's time and the boundary's on both sides; a proxy's own answer takes what its caller's proxy saw.
      durationMs:
        outcome.madeBy === 'app'
          ? appMs + service.boundaryLatencyMs + callerLatencyMs
          : sampleMs(outcome.latency, random),
      failed: spanFailed(outcome, SpanKind.CLIENT),
      attributes: clientAttributes(service, context.semconv, outcome),
      pod: callerPod,
    });
  }
  if (calleePod) {
    request.serverSpan = serverSpan(
      service,
      context,
      {
        traceId,
        parentSpanId: callerPod ? clientSpanId : undefined,
        // The boundary's time, split around the app: the proxies on both sides of the call.
        startMs: callerPod ? startMs + (service.boundaryLatencyMs + callerLatencyMs) / 2 : startMs,
        durationMs: appMs,
        outcome,
      },
      calleePod
    );
  }
  return request;
}

/** The OTLP/JSON `ExportTraceServiceRequest` body for those spans. */
export function otlpTracesRequest(spans: ReadableSpan[]): string {
  return decodeJson(JsonTraceSerializer.serializeRequest(spans));
}
