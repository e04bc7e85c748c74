/**
 * The series a meshed workload's Linkerd proxies expose, as linkerd2-proxy writes them (docs/scenarios.md lists
 * each behaviour and the source file it follows): the callee's inbound HTTP families, its admin server's own
 * traffic, both sides of its TCP connections, its callers' outbound families, and the newer route families where
 * the proxy generation has them.
 */
import { GRPC_STATUS_NAMES } from '../../src/query/grpcStatus';
import type { LabelSchema } from '../../src/settings/types';
import { LINKERD_BUCKETS_MS, type Latency, type Mixture } from '../distribution';
import type { CallerSpec, ServiceSpec } from '../scenario';
import { histogram, type Labels, type PodTarget, type SeriesDef } from '../series';
import type { ProxyGeneration } from './generations';
import {
  ADMIN_ADDR,
  APP_PORT,
  identity,
  INBOUND_TCP_TO_APP,
  inboundLabels,
  inboundRouteLabels,
  inboundTcpLabels,
  outboundLabels,
  outboundRouteLabels,
  outboundTcpFromAppLabels,
  outboundTcpLabels,
  serviceAuthority,
  type DestinationPod,
  type TlsAccept,
} from './labels';
import { connectFailure, outcomeLabels, type Outcome } from './outcomes';

export interface ProxyPods {
  of(namespace: string, workload: string): PodTarget[];
}

export interface MeshContext {
  generation: ProxyGeneration;
  pods: ProxyPods;
  specs: Map<string, ServiceSpec>;
  scrapeIntervalSeconds: number;
  /**
   * Who scrapes the proxies' admin port: the Collector (not meshed, so `no_tls_from_remote`) or linkerd-viz's
   * Prometheus (meshed, so its mTLS identity).
   */
  world: LabelSchema;
}

/** The app's latency plus the time the callee's side of the boundary adds. */
export function calleeLatency(service: ServiceSpec): Latency {
  return { medianMs: service.appLatencyMs.median, p95Ms: service.appLatencyMs.p95, shiftMs: service.boundaryLatencyMs };
}

/** What the callee's proxy sees happen to the requests it receives. */
export function calleeOutcomes(service: ServiceSpec): Outcome[] {
  const handled = 1 - service.boundaryFailureRate;
  const latency = calleeLatency(service);
  const outcomes: Outcome[] = [];
  if (service.protocol === 'grpc') {
    const failures = service.grpcFailures;
    const failRate = failures?.rate ?? 0;
    outcomes.push({ share: handled * (1 - failRate), httpStatus: 200, grpcCode: 0, madeBy: 'app', latency });
    const codes = Object.entries(failures?.codes ?? {});
    const total = codes.reduce((sum, [, s]) => sum + s, 0);
    for (const [name, share] of codes) {
      const grpcCode = (GRPC_STATUS_NAMES as readonly string[]).indexOf(name);
      outcomes.push({ share: handled * failRate * (share / total), httpStatus: 200, grpcCode, madeBy: 'app', latency });
    }
  } else {
    outcomes.push({ share: handled * (1 - service.httpErrorRate), httpStatus: 200, madeBy: 'app', latency });
    outcomes.push({ share: handled * service.httpErrorRate, httpStatus: 500, madeBy: 'app', latency });
  }
  outcomes.push(connectFailure(service.protocol, service.boundaryFailureRate, 'callee-proxy'));
  return outcomes.filter((o) => o.share > 0);
}

/**
 * What a caller's proxy sees of its requests to the service: the callee's outcomes, each the caller's extra
 * time later, and the requests its own proxy failed before they left (`failureRate`, of everything it sent).
 */
export function callerOutcomes(service: ServiceSpec, caller: Pick<CallerSpec, 'latencyMs' | 'failureRate'>): Outcome[] {
  const delivered = 1 - caller.failureRate;
  const outcomes = calleeOutcomes(service).map((o) => ({
    ...o,
    share: o.share * delivered,
    latency: { ...o.latency, shiftMs: o.latency.shiftMs + caller.latencyMs },
  }));
  outcomes.push(connectFailure(service.protocol, caller.failureRate, 'caller-proxy'));
  return outcomes.filter((o) => o.share > 0);
}

/** Outcomes grouped by the `status_code` the latency histogram is split by (it has no classification). */
function latencyByStatus(outcomes: Outcome[]): Map<string, { share: number; mixture: Mixture }> {
  const groups = new Map<string, { share: number; mixture: Mixture }>();
  for (const o of outcomes) {
    const group = groups.get(String(o.httpStatus)) ?? { share: 0, mixture: [] };
    group.share += o.share;
    group.mixture.push({ weight: o.share, latency: o.latency });
    groups.set(String(o.httpStatus), group);
  }
  return groups;
}

interface HttpFamiliesOptions {
  target: PodTarget;
  labels: Labels;
  rate: number;
  outcomes: Outcome[];
  side: 'inbound' | 'outbound';
  generation: ProxyGeneration;
}

/** `request_total`, `response_total` per outcome and `response_latency_ms` per status, for one label set. */
function httpFamilies(o: HttpFamiliesOptions): SeriesDef[] {
  const series: SeriesDef[] = [
    { target: o.target, name: 'request_total', labels: o.labels, rate: o.rate, whole: true },
  ];
  const byOutcome = new Map<string, SeriesDef>();
  for (const outcome of o.outcomes) {
    const labels = { ...o.labels, ...outcomeLabels(outcome, o.side, o.generation) };
    const key = JSON.stringify(labels);
    const existing = byOutcome.get(key);
    if (existing) {
      existing.rate += o.rate * outcome.share;
    } else {
      byOutcome.set(key, {
        target: o.target,
        name: 'response_total',
        labels,
        rate: o.rate * outcome.share,
        whole: true,
      });
    }
  }
  series.push(...byOutcome.values());
  for (const [status, group] of latencyByStatus(o.outcomes)) {
    series.push(
      ...histogram({
        target: o.target,
        base: 'response_latency_ms',
        labels: { ...o.labels, status_code: status },
        rate: o.rate * group.share,
        latency: group.mixture,
        bounds: LINKERD_BUCKETS_MS,
        unitMs: 1,
        sum: 'whole-ms',
      })
    );
  }
  return series;
}

interface Peer {
  share: number;
  tls: TlsAccept;
  caller?: CallerSpec & { namespace: string; pods: PodTarget[] };
}

/** Callers with an identity send over mTLS; what the callers leave comes from outside the mesh. */
function peersOf(service: ServiceSpec, ctx: MeshContext): Peer[] {
  const peers: Peer[] = service.callers.map((caller) => {
    const namespace = caller.namespace ?? service.namespace;
    const spec = ctx.specs.get(`${namespace}/${caller.workload}`);
    return {
      share: caller.share,
      tls: { identity: identity(namespace, spec?.serviceAccount ?? caller.workload) },
      caller: { ...caller, namespace, pods: ctx.pods.of(namespace, caller.workload) },
    };
  });
  const identified = peers.reduce((sum, p) => sum + p.share, 0);
  if (identified < 1 - 1e-9) {
    peers.push({ share: 1 - identified, tls: 'no_tls_from_remote' });
  }
  return peers;
}

const VIZ_PROMETHEUS = identity('linkerd-viz', 'prometheus');
/** Kubelet liveness and readiness probes of the proxy, each every 10 s (Kubernetes' default period). */
const PROBES_PER_SECOND = 0.2;
const ADMIN_PROBE_LATENCY: Latency = { medianMs: 0.4, p95Ms: 1.5, shiftMs: 0 };
const ADMIN_SCRAPE_LATENCY: Latency = { medianMs: 3, p95Ms: 9, shiftMs: 0 };

/** The admin server's own requests per pod: one scrape per scrape interval, and the kubelet's probes. */
export function adminTraffic(scrapeIntervalSeconds: number): Array<{ rps: number; latency: Latency }> {
  return [
    { rps: 1 / scrapeIntervalSeconds, latency: ADMIN_SCRAPE_LATENCY },
    { rps: PROBES_PER_SECOND, latency: ADMIN_PROBE_LATENCY },
  ];
}
/** Connections are long-lived: each is replaced about every ten minutes. */
const RECONNECTS_PER_SECOND = 1 / 600;

/** The admin server's own requests: Prometheus scrapes and kubelet probes, counted as inbound traffic. */
function adminSeries(pod: PodTarget, ctx: MeshContext): SeriesDef[] {
  const { generation } = ctx;
  const scraper: TlsAccept = ctx.world === 'linkerd' ? { identity: VIZ_PROMETHEUS } : 'no_tls_from_remote';
  const endpoint = { ip: ADMIN_ADDR.ip, port: ADMIN_ADDR.port };
  const ok = (latency: Latency): Outcome[] => [{ share: 1, httpStatus: 200, madeBy: 'app', latency }];
  const [scrape, probe] = adminTraffic(ctx.scrapeIntervalSeconds);
  const scrapes = httpFamilies({
    target: pod,
    labels: inboundLabels(generation, { ...endpoint, tls: scraper, route: 'default' }),
    rate: scrape.rps,
    outcomes: ok(scrape.latency),
    side: 'inbound',
    generation,
  });
  const probes = httpFamilies({
    target: pod,
    labels: inboundLabels(generation, { ...endpoint, tls: 'no_tls_from_remote', route: 'probe' }),
    rate: probe.rps,
    outcomes: ok(probe.latency),
    side: 'inbound',
    generation,
  });
  // Admin connections have a caller side only ("peer=dst metrics don't make sense for the admin server").
  const scraperTcp = inboundTcpLabels(generation, endpoint.ip, endpoint.port, scraper);
  const kubeletTcp = inboundTcpLabels(generation, endpoint.ip, endpoint.port, 'no_tls_from_remote');
  return [
    ...scrapes,
    ...probes,
    ...tcpSeries(pod, scraperTcp, {
      connections: 1,
      opensPerSecond: RECONNECTS_PER_SECOND,
      readPerSecond: 40 / ctx.scrapeIntervalSeconds,
      writePerSecond: 60_000 / ctx.scrapeIntervalSeconds,
    }),
    // Each probe opens its own connection.
    ...tcpSeries(pod, kubeletTcp, {
      connections: 0,
      opensPerSecond: PROBES_PER_SECOND,
      readPerSecond: PROBES_PER_SECOND * 120,
      writePerSecond: PROBES_PER_SECOND * 100,
    }),
  ];
}

interface TcpTraffic {
  connections: number;
  opensPerSecond: number;
  readPerSecond: number;
  writePerSecond: number;
  /** Closes with an errno (ECONNRESET) per second; the rest close cleanly (`errno=""`). */
  resetsPerSecond?: number;
}

/** The five TCP families for one connection key (linkerd2-proxy `linkerd/transport-metrics/src/lib.rs`). */
function tcpSeries(target: PodTarget, labels: Labels, traffic: TcpTraffic): SeriesDef[] {
  const resets = traffic.resetsPerSecond ?? 0;
  const series: SeriesDef[] = [
    { target, name: 'tcp_open_total', labels, rate: traffic.opensPerSecond, whole: true },
    { target, name: 'tcp_open_connections', labels, rate: 0, gauge: traffic.connections, whole: true },
    { target, name: 'tcp_read_bytes_total', labels, rate: traffic.readPerSecond, whole: true },
    { target, name: 'tcp_write_bytes_total', labels, rate: traffic.writePerSecond, whole: true },
    {
      target,
      name: 'tcp_close_total',
      labels: { ...labels, errno: '' },
      rate: Math.max(0, traffic.opensPerSecond - resets),
      whole: true,
    },
  ];
  if (resets > 0) {
    series.push({
      target,
      name: 'tcp_close_total',
      labels: { ...labels, errno: 'ECONNRESET' },
      rate: resets,
      whole: true,
    });
  }
  return series;
}

const REQUEST_BYTES = 512;
const RESPONSE_BYTES = 2048;

/**
 * Every proxy also exports process and control-plane client metrics; the Collector's keep rule drops them. The
 * control-plane client's labels are `ControlLabels` (`addr`, then the TLS labels: no `direction`), and its stack
 * got a gRPC classifier in the same fix as the inbound one (cbf226e8e adds `NewClassify::layer_default()` to
 * `linkerd/app/core/src/control.rs`): before it, its gRPC responses were written as plain HTTP too.
 */
function otherFamilies(pod: PodTarget, generation: ProxyGeneration): SeriesDef[] {
  return [
    { target: pod, name: 'process_cpu_seconds_total', labels: {}, rate: 0.01, whole: false },
    {
      target: pod,
      name: 'control_response_total',
      labels: {
        addr: 'linkerd-dst-headless.linkerd.svc.cluster.local:8086',
        tls: 'true',
        server_id: identity('linkerd', 'linkerd-destination'),
        status_code: '200',
        classification: 'success',
        grpc_status: generation.inboundGrpcClassified ? '0' : '',
        error: '',
      },
      rate: 0.2,
      whole: true,
    },
  ];
}

/** The Kubernetes Service in front of a workload: the generator gives each its workload's name. */
function destinationPod(service: ServiceSpec, pod: PodTarget): DestinationPod {
  return {
    namespace: service.namespace,
    workload: service.name,
    kind: service.kind,
    pod: pod.pod,
    ip: pod.ip,
    podTemplateHash: pod.podTemplateHash,
    service: service.name,
    serviceAccount: service.serviceAccount,
  };
}

/** Every series of one meshed workload: on its own proxies, and on its callers' proxies towards it. */
export function meshSeries(service: ServiceSpec, ctx: MeshContext): SeriesDef[] {
  const { generation } = ctx;
  const calleePods = ctx.pods.of(service.namespace, service.name);
  const outcomes = calleeOutcomes(service);
  const peers = peersOf(service, ctx);
  const authority = serviceAuthority(service.namespace, service.name);
  const series: SeriesDef[] = [];

  calleePods.forEach((pod) => {
    const podRps = service.rps / calleePods.length;
    for (const peer of peers) {
      const rate = podRps * peer.share;
      series.push(
        ...httpFamilies({
          target: pod,
          labels: inboundLabels(generation, { ip: pod.ip, port: APP_PORT, tls: peer.tls, route: 'default', authority }),
          rate,
          outcomes,
          side: 'inbound',
          generation,
        }),
        ...tcpSeries(pod, inboundTcpLabels(generation, pod.ip, APP_PORT, peer.tls), {
          connections: peer.caller ? peer.caller.pods.length : 2,
          opensPerSecond: (peer.caller ? peer.caller.pods.length : 2) * RECONNECTS_PER_SECOND,
          readPerSecond: rate * REQUEST_BYTES,
          writePerSecond: rate * RESPONSE_BYTES,
          // An app that refuses connections makes callers' proxies reset theirs now and then.
          resetsPerSecond: rate * service.boundaryFailureRate * 0.01,
        })
      );
    }
    const handled = podRps * (1 - service.boundaryFailureRate);
    series.push(
      ...tcpSeries(pod, INBOUND_TCP_TO_APP, {
        connections: 2,
        opensPerSecond: 2 * RECONNECTS_PER_SECOND,
        readPerSecond: handled * RESPONSE_BYTES,
        writePerSecond: handled * REQUEST_BYTES,
      }),
      ...adminSeries(pod, ctx),
      ...otherFamilies(pod, generation)
    );
    if (generation.inboundRouteFamilies) {
      series.push(...inboundRouteSeries(service, pod, podRps, outcomes));
    }
  });

  for (const peer of peers) {
    const caller = peer.caller;
    if (!caller) {
      continue;
    }
    const seen = callerOutcomes(service, caller);
    // The callee counts what arrives; the caller also sent what its own proxy failed.
    const sentPerSecond = (service.rps * caller.share) / (1 - caller.failureRate);
    for (const callerPod of caller.pods) {
      const podSent = sentPerSecond / caller.pods.length;
      for (const calleePod of calleePods) {
        const destination = destinationPod(service, calleePod);
        const rate = podSent / calleePods.length;
        series.push(
          ...httpFamilies({
            target: callerPod,
            labels: outboundLabels(generation, destination),
            rate,
            outcomes: seen,
            side: 'outbound',
            generation,
          }),
          ...tcpSeries(callerPod, outboundTcpFromAppLabels(calleePod.ip), {
            connections: 1,
            opensPerSecond: RECONNECTS_PER_SECOND,
            readPerSecond: rate * REQUEST_BYTES,
            writePerSecond: rate * RESPONSE_BYTES,
          }),
          ...tcpSeries(callerPod, outboundTcpLabels(generation, destination), {
            connections: 1,
            opensPerSecond: RECONNECTS_PER_SECOND,
            readPerSecond: rate * RESPONSE_BYTES,
            writePerSecond: rate * REQUEST_BYTES,
          })
        );
      }
      if (generation.outboundRouteFamilies) {
        series.push(...outboundRouteSeries(service, callerPod, podSent, seen));
      }
    }
  }
  return series;
}

const OUTBOUND_ROUTE_BUCKETS_S = [0.05, 0.5, 1, 10];
const INBOUND_REQUEST_BUCKETS_S = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 10];
/** prometheus-client writes `le` with dtoa: `0.05`, `1.0`, `10.0`. */
const promClientBound = (bound: number) => (Number.isInteger(bound) ? bound.toFixed(1) : String(bound));

/**
 * The route a gRPC call is recorded on decides what its status label says: a GRPCRoute reads the `grpc-status`
 * (a name, `linkerd/app/outbound/src/http/logical/policy/route/metrics/labels.rs`), the default HTTP route only
 * `:status` (`linkerd/http/prom/src/stream_label/status.rs`), so a failed gRPC call is `http_status="200"` there.
 */
function outboundRouteSeries(service: ServiceSpec, pod: PodTarget, rate: number, outcomes: Outcome[]): SeriesDef[] {
  const grpcRoute = service.protocol === 'grpc' && service.grpcRoute;
  const family = grpcRoute ? 'outbound_grpc_route' : 'outbound_http_route';
  const route = outboundRouteLabels(service.namespace, service.name, grpcRoute);
  const statuses = new Map<string, number>();
  for (const o of outcomes) {
    const status = grpcRoute ? GRPC_STATUS_NAMES[o.grpcCode ?? 2] : String(o.httpStatus);
    statuses.set(status, (statuses.get(status) ?? 0) + o.share);
  }
  return [
    ...[...statuses].map(([status, share]) => ({
      target: pod,
      name: `${family}_request_statuses_total`,
      labels: { ...route, [grpcRoute ? 'grpc_status' : 'http_status']: status, error: '' },
      rate: rate * share,
      whole: true,
    })),
    ...histogram({
      target: pod,
      base: `${family}_request_duration_seconds`,
      labels: route,
      rate,
      latency: outcomes.map((o) => ({ weight: o.share, latency: o.latency })),
      bounds: OUTBOUND_ROUTE_BUCKETS_S,
      unitMs: 1000,
      sum: 'exact',
      formatBound: promClientBound,
    }),
  ];
}

/** Linkerd 2.20's inbound route families: a numeric `status`, no admin traffic, no caller identity. */
function inboundRouteSeries(service: ServiceSpec, pod: PodTarget, rate: number, outcomes: Outcome[]): SeriesDef[] {
  const grpcRoute = service.protocol === 'grpc' && service.grpcRoute;
  const family = grpcRoute ? 'inbound_grpc' : 'inbound_http';
  const route = inboundRouteLabels(grpcRoute, service.name);
  const statuses = new Map<string, number>();
  for (const o of outcomes) {
    const status = String(grpcRoute ? (o.grpcCode ?? 2) : o.httpStatus);
    statuses.set(status, (statuses.get(status) ?? 0) + o.share);
  }
  return [
    { target: pod, name: `${family}_requests_total`, labels: route, rate, whole: true },
    ...[...statuses].map(([status, share]) => ({
      target: pod,
      name: `${family}_statuses_total`,
      labels: { ...route, status },
      rate: rate * share,
      whole: true,
    })),
    ...histogram({
      target: pod,
      base: `${family}_request_duration_seconds`,
      labels: route,
      rate,
      latency: outcomes.map((o) => ({ weight: o.share, latency: o.latency })),
      bounds: INBOUND_REQUEST_BUCKETS_S,
      unitMs: 1000,
      sum: 'exact',
      formatBound: promClientBound,
    }),
  ];
}
