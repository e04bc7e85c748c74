import type { SemconvVersion } from '../src/settings/types';
import {
  attributeMap,
  exportedSamples,
  type OtlpMetricsBody,
  type OtlpSpan,
  type OtlpTracesBody,
} from '../tests/shared/prometheusExport';
import { importChunks } from './generate';
import { otlpMetricsSource, otlpTraceSource, otlpTracesRequest } from './otlp';
import { demoScenario } from './scenarios';

/**
 * A line's labels sorted by name, as exportedSamples keys them: the import writes them in the order its writer
 * gives (a Linkerd proxy's own order for mesh series), which Prometheus ignores.
 */
function sortedLabels(text: string): string {
  const pairs = [...text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [
    name,
    value,
  ]);
  expect(pairs.map(([name, value]) => `${name}="${value}"`).join(',')).toBe(text);
  return pairs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}="${value}"`)
    .join(',');
}

/** The app series of the store import at one instant, keyed like exportedSamples. */
function importedAppSamples(semconv: SemconvVersion, startMs: number, atMs: number): Map<string, number> {
  const samples = new Map<string, number>();
  for (const chunk of importChunks(demoScenario(), { schema: 'otel', semconv, startMs, endMs: atMs, fromMs: atMs })) {
    for (const line of chunk.split('\n').filter(Boolean)) {
      const match = /^([^{]+)\{(.*)\} (\S+) \d+$/.exec(line);
      if (!match || match[2].includes('layer="mesh"')) {
        continue;
      }
      samples.set(`${match[1]}{${sortedLabels(match[2])}}`, Number(match[3]));
    }
  }
  return samples;
}

const STARTED_AT_MS = Date.UTC(2026, 10, 25, 12, 0, 0);

describe.each<SemconvVersion>(['stable', 'legacy'])('OTLP app metrics (%s conventions)', (semconv) => {
  // 30 minutes in: after the demo's restart at minute 20, so the restarted pod's new stream is covered too.
  const atMs = STARTED_AT_MS + 30 * 60_000;
  const bodies = otlpMetricsSource(demoScenario(), semconv, STARTED_AT_MS)
    .requestsAt(atMs)
    .map((text) => JSON.parse(text) as OtlpMetricsBody);

  it('become, once exported to Prometheus, exactly the series the store import writes', () => {
    const exported = new Map<string, number>();
    for (const body of bodies) {
      for (const [key, value] of exportedSamples(body)) {
        exported.set(key, value);
      }
    }
    const imported = importedAppSamples(semconv, STARTED_AT_MS, atMs);
    expect(imported.size).toBeGreaterThan(100);
    expect([...exported.keys()].sort()).toEqual([...imported.keys()].sort());
    // The import writes 12 significant digits; counts are whole and must match exactly.
    for (const [key, value] of imported) {
      expect(Math.abs(exported.get(key)! - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-11);
    }
  });

  it('are cumulative, with one request per pod and a new stream start after a restart', () => {
    const starts = new Set<string>();
    for (const body of bodies) {
      expect(body.resourceMetrics).toHaveLength(1);
      for (const metric of body.resourceMetrics[0].scopeMetrics.flatMap((sm) => sm.metrics)) {
        expect(metric.histogram.aggregationTemporality).toBe(2);
        for (const point of metric.histogram.dataPoints) {
          expect(point.timeUnixNano).toBe(`${atMs}000000`);
          starts.add(point.startTimeUnixNano);
        }
      }
    }
    expect([...starts].sort()).toEqual([`${STARTED_AT_MS}000000`, `${STARTED_AT_MS + 20 * 60_000}000000`]);
  });
});

describe.each<SemconvVersion>(['stable', 'legacy'])('OTLP traces (%s conventions)', (semconv) => {
  const scenario = demoScenario();
  const traces = otlpTraceSource(scenario, { semconv, tracesPerService: 25 });
  const windows = Array.from({ length: 40 }, (_, i) => ({
    startMs: STARTED_AT_MS + i * 15_000,
    endMs: STARTED_AT_MS + (i + 1) * 15_000,
  }));
  const spans = windows.flatMap((window) => {
    const body = JSON.parse(otlpTracesRequest(traces.spansIn(window))) as OtlpTracesBody;
    return body.resourceSpans.flatMap((rs) => {
      const resource = attributeMap(rs.resource.attributes);
      return rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((span) => ({ ...span, service: resource['service.name'], attrs: attributeMap(span.attributes) }))
      );
    });
  });
  const SERVER = 2;
  const CLIENT = 3;
  const ERROR = 2;
  const serverSpans = (service: string) => spans.filter((s) => s.service === service && s.kind === SERVER);
  const durationMs = (s: OtlpSpan) => Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6;
  // The generation's attributes: the gRPC status by name or by number, the host called.
  const [statusKey, okStatus] =
    semconv === 'stable' ? ['rpc.response.status_code', 'OK'] : ['rpc.grpc.status_code', '0'];
  const [otherStatusKey, hostKey] =
    semconv === 'stable' ? ['rpc.grpc.status_code', 'server.address'] : ['rpc.response.status_code', 'net.peer.name'];
  const clientsTo = (service: string) =>
    spans.filter((s) => s.kind === CLIENT && s.attrs[hostKey] === `${service}.shop.svc.cluster.local`);

  it('show the gRPC trap: failing server spans with a gRPC status and no HTTP error, at the mesh failure share', () => {
    const payments = serverSpans('payments');
    expect(payments.length).toBe(1000);
    expect(payments.every((s) => s.attrs[statusKey] !== undefined && !(otherStatusKey in s.attrs))).toBe(true);
    const failing = payments.filter((s) => s.attrs[statusKey] !== okStatus);
    expect(failing.every((s) => s.status.code === ERROR)).toBe(true);
    expect(new Set(failing.map((s) => s.attrs[statusKey]))).toEqual(
      new Set(semconv === 'stable' ? ['UNAVAILABLE', 'DEADLINE_EXCEEDED'] : ['14', '4'])
    );
    // 8 % of requests fail in their trailers; 1,000 samples put the share within ±2.6 points (3 sigma).
    expect(failing.length / payments.length).toBeGreaterThan(0.054);
    expect(failing.length / payments.length).toBeLessThan(0.106);
    expect(payments.filter((s) => s.attrs[statusKey] === okStatus).every((s) => s.status.code !== ERROR)).toBe(true);
  });

  it("show the slow boundary: the caller waits the boundary's and its own side's time beyond the app's span", () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const inventory = serverSpans('inventory').filter((s) => s.parentSpanId);
    expect(inventory.length).toBeGreaterThan(100);
    for (const server of inventory) {
      const client = byId.get(server.parentSpanId!);
      expect(client?.kind).toBe(CLIENT);
      expect(client?.traceId).toBe(server.traceId);
      expect(client?.attrs[hostKey]).toBe('inventory.shop.svc.cluster.local');
      // inventory's 120 ms, and the callers' own 0.3 ms (the scenario's default).
      expect(durationMs(client!) - durationMs(server)).toBeCloseTo(120.3, 3);
    }
  });

  it("leave only the caller's span for the callee proxy's own 502s, and no spans for a service without an SDK", () => {
    const cartServerIds = new Set(serverSpans('cart').map((s) => s.parentSpanId));
    const statusOf = (s: (typeof spans)[number]) =>
      s.attrs[semconv === 'stable' ? 'http.response.status_code' : 'http.status_code'];
    const cartClients = clientsTo('cart');
    // cart's proxy cannot reach the app for 5 % of requests and answers 502 (bad_gateway), never 503.
    expect(cartClients.some((s) => statusOf(s) === '503')).toBe(false);
    const proxyFailures = cartClients.filter((s) => statusOf(s) === '502');
    expect(proxyFailures.length).toBeGreaterThan(0);
    expect(proxyFailures.every((s) => !cartServerIds.has(s.spanId) && s.status.code === ERROR)).toBe(true);
    expect(spans.some((s) => s.service === 'recommendations')).toBe(false);
    // …while its instrumented caller records the calls it makes to it.
    expect(clientsTo('recommendations').length).toBe(1000);
  });

  it('show the requests that bypass the mesh as server spans without a caller, in their share of the traffic', () => {
    const search = serverSpans('search');
    const roots = search.filter((s) => !s.parentSpanId);
    // search takes 20 requests/s through the mesh, all from web, and 40 around it.
    expect(roots.length / search.length).toBeGreaterThan(0.6);
    expect(roots.length / search.length).toBeLessThan(0.74);
  });

  it('are deterministic per window and carry hex trace and span ids', () => {
    const again = otlpTraceSource(scenario, { semconv, tracesPerService: 25 }).spansIn(windows[3]);
    expect(otlpTracesRequest(again)).toBe(otlpTracesRequest(traces.spansIn(windows[3])));
    expect(spans.every((s) => /^[0-9a-f]{32}$/.test(s.traceId) && /^[0-9a-f]{16}$/.test(s.spanId))).toBe(true);
  });
});
