import type { LabelSchema, SemconvVersion } from '../src/settings/types';
import {
  LINKERD_BUCKETS_MS,
  OTEL_LEGACY_BUCKETS_MS,
  OTEL_STABLE_BUCKETS_S,
  cdf,
  logSigma,
  type Latency,
} from './distribution';
import { grpcStatusNumber } from '../src/boundary/grpc';
import { hexId, seededRandom } from './random';
import type { Scenario, ServiceSpec, WorkloadKind } from './scenario';

export type Labels = Record<string, string>;

/** A pod the generator pretends to run: what Kubernetes discovery would say about it. */
export interface PodTarget {
  namespace: string;
  workload: string;
  kind: WorkloadKind;
  pod: string;
  podTemplateHash: string;
  ip: string;
  /** `mesh`: the linkerd-proxy container's metrics; `app`: the app's OTel SDK metrics. */
  layer: 'mesh' | 'app';
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
  /** A family the proxy exposes and the Collector's keep rule drops: served on /metrics, never stored. */
  droppedByPipeline?: boolean;
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

export function identity(namespace: string, workload: string): string {
  return `${workload}.${namespace}.serviceaccount.identity.linkerd.cluster.local`;
}

/** The node a fake pod runs on, as pod discovery reports it. */
export function nodeName(target: PodTarget): string {
  return `node-${target.ip.split('.')[3] ?? '0'}`;
}

/** Labels that discovery and enrichment add to every series of a target, in the chosen schema. */
export function targetLabels(target: PodTarget, schema: LabelSchema): Labels {
  if (target.layer === 'app') {
    // What prometheusremotewrite makes of the SDK's resource: every attribute as a label
    // (resource_to_telemetry_conversion), job = service.namespace/service.name, instance = service.instance.id.
    const resource = appResourceAttributes(target);
    return {
      ...prometheusLabels(resource),
      job: `${resource['service.namespace']}/${resource['service.name']}`,
      instance: resource['service.instance.id'],
    };
  }
  const instance = `${target.ip}:4191`;
  if (schema === 'linkerd') {
    return {
      layer: 'mesh',
      job: 'linkerd-proxy',
      instance,
      namespace: target.namespace,
      [target.kind]: target.workload,
      pod: target.pod,
      pod_template_hash: target.podTemplateHash,
      control_plane_ns: 'linkerd',
    };
  }
  return {
    layer: 'mesh',
    job: 'linkerd-proxy',
    instance,
    k8s_namespace_name: target.namespace,
    [`k8s_${target.kind}_name`]: target.workload,
    k8s_pod_name: target.pod,
    k8s_node_name: nodeName(target),
  };
}

/** A response outcome and its share of the callee's meshed requests. */
interface Outcome {
  share: number;
  statusCode: string;
  classification: 'success' | 'failure';
  grpcStatus?: string;
  /** False for failures the proxy returns itself: the app never sees those requests. */
  reachesApp: boolean;
}

export function meshOutcomes(service: ServiceSpec): Outcome[] {
  const boundary = service.boundaryFailureRate;
  const handled = 1 - boundary;
  const outcomes: Outcome[] = [];
  const grpc = service.protocol === 'grpc';
  const grpcFailRate = service.grpcFailures?.rate ?? 0;
  const okShare = handled * (1 - service.httpErrorRate - grpcFailRate);
  outcomes.push({
    share: okShare,
    statusCode: '200',
    classification: 'success',
    grpcStatus: grpc ? '0' : undefined,
    reachesApp: true,
  });
  if (service.httpErrorRate > 0) {
    outcomes.push({
      share: handled * service.httpErrorRate,
      statusCode: '500',
      classification: 'failure',
      reachesApp: true,
    });
  }
  if (service.grpcFailures && grpcFailRate > 0) {
    const codes = Object.entries(service.grpcFailures.codes);
    const total = codes.reduce((sum, [, s]) => sum + s, 0);
    for (const [name, share] of codes) {
      outcomes.push({
        share: handled * grpcFailRate * (share / total),
        statusCode: '200',
        classification: 'failure',
        grpcStatus: String(grpcStatusNumber(name) ?? 2),
        reachesApp: true,
      });
    }
  }
  if (boundary > 0) {
    outcomes.push({ share: boundary, statusCode: '503', classification: 'failure', reachesApp: false });
  }
  return outcomes.filter((o) => o.share > 0);
}

export function appLatency(service: ServiceSpec): Latency {
  return { medianMs: service.appLatencyMs.median, p95Ms: service.appLatencyMs.p95, shiftMs: 0 };
}

export function meshLatency(service: ServiceSpec): Latency {
  return { ...appLatency(service), shiftMs: service.boundaryLatencyMs };
}

/** Mean of the shifted log-normal, for `_sum` series. */
function meanMs(latency: Latency): number {
  const sigma = logSigma(latency);
  return latency.shiftMs + latency.medianMs * Math.exp((sigma * sigma) / 2);
}

interface HistogramOptions {
  target: PodTarget;
  base: string;
  labels: Labels;
  rate: number;
  latency: Latency;
  /** Bucket bounds in the histogram's unit, and that unit in ms. */
  bounds: number[];
  unitMs: number;
}

function histogram(o: HistogramOptions): SeriesDef[] {
  const common = { target: o.target };
  const buckets: SeriesDef[] = [...o.bounds, Number.POSITIVE_INFINITY].map((bound) => ({
    ...common,
    name: `${o.base}_bucket`,
    labels: { ...o.labels, le: Number.isFinite(bound) ? String(bound) : '+Inf' },
    rate: o.rate * (Number.isFinite(bound) ? cdf(o.latency, bound * o.unitMs) : 1),
    whole: true,
  }));
  return [
    ...buckets,
    { ...common, name: `${o.base}_count`, labels: o.labels, rate: o.rate, whole: true },
    { ...common, name: `${o.base}_sum`, labels: o.labels, rate: (o.rate * meanMs(o.latency)) / o.unitMs, whole: false },
  ];
}

export interface GenerateOptions {
  semconv: SemconvVersion;
}

interface Peer {
  namespace: string;
  workload: string;
  kind: WorkloadKind;
  share: number;
  pods: PodTarget[];
  /** Undefined for traffic without mTLS identity. */
  identity?: string;
}

/** Expands a scenario into every series the proxies and apps expose (without the target labels). */
export function buildSeries(scenario: Scenario, options: GenerateOptions): SeriesDef[] {
  return expandScenario(scenario, options).series;
}

/** The app layer as OTel instruments: what the generator sends over OTLP. */
export function buildAppHistograms(scenario: Scenario, options: GenerateOptions): AppHistogram[] {
  return expandScenario(scenario, options).appHistograms;
}

function expandScenario(
  scenario: Scenario,
  options: GenerateOptions
): { series: SeriesDef[]; appHistograms: AppHistogram[] } {
  const random = seededRandom(scenario.seed);
  const pods = new Map<string, PodTarget[]>();
  let ipCounter = 0;
  const specByKey = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  // The proxy and the app share a pod: one set of pods per workload, whichever layer asks first.
  const podsOf = (namespace: string, workload: string, kind: WorkloadKind, count: number): PodTarget[] => {
    const key = `${namespace}/${workload}`;
    let list = pods.get(key);
    if (!list) {
      const hash = hexId(random, 10);
      const restartMinute = specByKey.get(key)?.restartAtMinute;
      list = Array.from({ length: count }, (_, i) => {
        ipCounter++;
        return {
          namespace,
          workload,
          kind,
          pod: kind === 'deployment' ? `${workload}-${hash}-${hexId(random, 5)}` : `${workload}-${i}`,
          podTemplateHash: hash,
          ip: `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`,
          layer: 'mesh' as const,
          restartAtSeconds: i === 0 && restartMinute !== undefined ? restartMinute * 60 : undefined,
        };
      });
      pods.set(key, list);
    }
    return list;
  };
  const series: SeriesDef[] = [];
  const appHistogramList: AppHistogram[] = [];

  for (const service of scenario.services) {
    const outcomes = meshOutcomes(service);
    const mesh = meshLatency(service);
    const meshed = service.layers.includes('mesh');

    if (meshed) {
      const meshPods = podsOf(service.namespace, service.name, service.kind, service.pods);
      const peers: Peer[] = service.callers.map((caller) => {
        const namespace = caller.namespace ?? service.namespace;
        const spec = specByKey.get(`${namespace}/${caller.workload}`);
        const kind = spec?.kind ?? 'deployment';
        return {
          namespace,
          workload: caller.workload,
          kind,
          share: caller.share,
          pods: podsOf(namespace, caller.workload, kind, spec?.pods ?? 1),
          identity: identity(namespace, caller.workload),
        };
      });
      const identified = peers.reduce((sum, p) => sum + p.share, 0);
      if (identified < 1 - 1e-9) {
        peers.push({ namespace: '', workload: '', kind: 'deployment', share: 1 - identified, pods: [] });
      }

      meshPods.forEach((pod, podIndex) => {
        const podShare = 1 / meshPods.length;
        const targetAddr = `${pod.ip}:8080`;
        for (const peer of peers) {
          const tls: Labels = peer.identity
            ? { tls: 'true', client_id: peer.identity }
            : { tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' };
          const requestLabels: Labels = {
            direction: 'inbound',
            target_addr: targetAddr,
            ...tls,
            srv_kind: 'default',
            srv_name: 'all-unauthenticated',
          };
          const rate = service.rps * podShare * peer.share;
          series.push({ target: pod, name: 'request_total', labels: requestLabels, rate, whole: true });
          const byStatus = new Map<string, number>();
          for (const outcome of outcomes) {
            const labels: Labels = {
              ...requestLabels,
              status_code: outcome.statusCode,
              classification: outcome.classification,
            };
            if (outcome.grpcStatus !== undefined) {
              labels.grpc_status = outcome.grpcStatus;
            }
            series.push({ target: pod, name: 'response_total', labels, rate: rate * outcome.share, whole: true });
            byStatus.set(outcome.statusCode, (byStatus.get(outcome.statusCode) ?? 0) + outcome.share);
          }
          for (const [statusCode, share] of byStatus) {
            series.push(
              ...histogram({
                target: pod,
                base: 'response_latency_ms',
                labels: { ...requestLabels, status_code: statusCode },
                rate: rate * share,
                latency: mesh,
                bounds: LINKERD_BUCKETS_MS,
                unitMs: 1,
              })
            );
          }
        }
        // TCP: a few long-lived connections per pod, bytes proportional to requests.
        const tcp: Labels = { direction: 'inbound', peer: 'src', target_addr: targetAddr, tls: 'true' };
        series.push(
          { target: pod, name: 'tcp_open_total', labels: tcp, rate: 0.05, whole: true },
          { target: pod, name: 'tcp_open_connections', labels: tcp, rate: 0, gauge: 4 + podIndex, whole: true },
          { target: pod, name: 'tcp_read_bytes_total', labels: tcp, rate: service.rps * podShare * 512, whole: true },
          { target: pod, name: 'tcp_write_bytes_total', labels: tcp, rate: service.rps * podShare * 2048, whole: true },
          {
            target: pod,
            name: 'tcp_close_total',
            labels: { ...tcp, classification: 'success' },
            rate: 0.05,
            whole: true,
          }
        );
        // Families a proxy also exposes that the pipeline drops.
        series.push(
          {
            target: pod,
            name: 'process_cpu_seconds_total',
            labels: {},
            rate: 0.01,
            whole: false,
            droppedByPipeline: true,
          },
          {
            target: pod,
            name: 'control_response_total',
            labels: {
              direction: 'outbound',
              addr: 'linkerd-dst-headless.linkerd.svc.cluster.local:8086',
              classification: 'success',
              status_code: '200',
            },
            rate: 0.2,
            whole: true,
            droppedByPipeline: true,
          }
        );
      });

      // The callers' side of the same traffic: outbound series on each caller pod.
      for (const peer of peers.filter((p) => p.identity)) {
        peer.pods.forEach((callerPod) => {
          const outbound: Labels = {
            direction: 'outbound',
            authority: `${service.name}.${service.namespace}.svc.cluster.local:8080`,
            tls: 'true',
            server_id: identity(service.namespace, service.name),
            dst_namespace: service.namespace,
            [`dst_${service.kind}`]: service.name,
            dst_service: service.name,
            dst_serviceaccount: service.name,
          };
          const rate = (service.rps * peer.share) / peer.pods.length;
          series.push({ target: callerPod, name: 'request_total', labels: outbound, rate, whole: true });
          for (const outcome of outcomes) {
            const labels: Labels = {
              ...outbound,
              status_code: outcome.statusCode,
              classification: outcome.classification,
            };
            if (outcome.grpcStatus !== undefined) {
              labels.grpc_status = outcome.grpcStatus;
            }
            series.push({ target: callerPod, name: 'response_total', labels, rate: rate * outcome.share, whole: true });
          }
          series.push(
            ...histogram({
              target: callerPod,
              base: 'response_latency_ms',
              labels: outbound,
              rate,
              latency: mesh,
              bounds: LINKERD_BUCKETS_MS,
              unitMs: 1,
            })
          );
        });
      }
    }

    for (const appHistogram of appHistograms(service, options.semconv, podsOf)) {
      appHistogramList.push(appHistogram);
      series.push(...appHistogram.series);
    }
  }
  return { series, appHistograms: appHistogramList };
}

/** An OTel attribute value: semantic conventions type status codes as integers or as names. */
type AttributeValue = string | number;

/**
 * One app histogram as the OTel SDK records it (instrument, unit and attributes in OTel names) and as the
 * Collector's `prometheusremotewrite` exporter stores it (`series`, in Prometheus names): the OTLP emitter
 * and the store import share this one definition.
 */
export interface AppHistogram {
  target: PodTarget;
  instrument: string;
  unit: 's' | 'ms';
  attributes: Record<string, AttributeValue>;
  /** Explicit bucket bounds in `unit`. */
  bounds: number[];
  /** The Prometheus series: one `_bucket` per bound then `+Inf`, `_count`, `_sum`. */
  series: SeriesDef[];
}

/** Resource attributes of an app pod's SDK: what `resource_to_telemetry_conversion` turns into labels. */
export function appResourceAttributes(target: PodTarget): Record<string, string> {
  return {
    'service.name': target.appService ?? target.workload,
    'service.namespace': target.namespace,
    'service.instance.id': target.pod,
    'k8s.namespace.name': target.namespace,
    'k8s.pod.name': target.pod,
  };
}

/** The exporter's metric name: OTel name sanitised, unit suffix added unless already there. */
function prometheusMetricName(instrument: string, unit: 's' | 'ms'): string {
  const name = instrument.replace(/[^a-zA-Z0-9_:]/g, '_');
  const suffix = unit === 's' ? 'seconds' : 'milliseconds';
  return name.endsWith(`_${suffix}`) ? name : `${name}_${suffix}`;
}

/** The exporter's label name for an attribute key. */
function prometheusLabelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

function prometheusLabels(attributes: Record<string, AttributeValue>): Labels {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [prometheusLabelName(key), String(value)])
  );
}

type PodsOf = (namespace: string, workload: string, kind: WorkloadKind, count: number) => PodTarget[];

/** The app's server-duration histograms, per pod and status. */
function appHistograms(service: ServiceSpec, semconv: SemconvVersion, podsOf: PodsOf): AppHistogram[] {
  if (!service.layers.includes('app')) {
    return [];
  }
  const appService = service.appServiceName ?? service.name;
  const appPods = podsOf(service.namespace, service.name, service.kind, service.pods).map((pod): PodTarget => ({
    ...pod,
    layer: 'app',
    appService,
  }));
  const meshed = service.layers.includes('mesh');
  const handled = meshed ? service.rps * (1 - service.boundaryFailureRate) : service.rps;
  const rate = (handled + service.unmeshedRps) / appPods.length;
  const instrument = appInstrument(service, semconv);
  const unitMs = instrument.unit === 's' ? 1000 : 1;
  const base = prometheusMetricName(instrument.name, instrument.unit);
  return appPods.flatMap((target) =>
    appStatusSplit(service, semconv).map(([status, share]): AppHistogram => {
      const attributes = { ...instrument.attributes, ...status };
      return {
        target,
        instrument: instrument.name,
        unit: instrument.unit,
        attributes,
        bounds: instrument.bounds,
        series: histogram({
          target,
          base,
          labels: prometheusLabels(attributes),
          rate: rate * share,
          latency: appLatency(service),
          bounds: instrument.bounds,
          unitMs,
        }),
      };
    })
  );
}

interface AppInstrument {
  name: string;
  unit: 's' | 'ms';
  attributes: Record<string, AttributeValue>;
  bounds: number[];
}

/** The server-duration instrument of each semantic-convention version (DESIGN §1), with its default bounds. */
function appInstrument(service: ServiceSpec, semconv: SemconvVersion): AppInstrument {
  const stable = semconv === 'stable';
  const timing = stable
    ? { unit: 's' as const, bounds: OTEL_STABLE_BUCKETS_S }
    : { unit: 'ms' as const, bounds: OTEL_LEGACY_BUCKETS_MS };
  if (service.protocol === 'grpc') {
    return {
      name: stable ? 'rpc.server.call.duration' : 'rpc.server.duration',
      attributes: { 'rpc.system': 'grpc', 'rpc.service': `${service.namespace}.${service.name}`, 'rpc.method': 'Call' },
      ...timing,
    };
  }
  return {
    name: stable ? 'http.server.request.duration' : 'http.server.duration',
    attributes: stable
      ? { 'http.request.method': 'GET', 'http.route': '/api', 'url.scheme': 'http' }
      : { 'http.method': 'GET', 'http.route': '/api', 'http.scheme': 'http' },
    ...timing,
  };
}

/** Status attributes of the app's histograms and their share of the requests the app handles. */
function appStatusSplit(
  service: ServiceSpec,
  semconv: SemconvVersion
): Array<[Record<string, AttributeValue>, number]> {
  const stable = semconv === 'stable';
  if (service.protocol === 'grpc') {
    // Newer RPC conventions name the status (`OK`); older ones carry its number.
    const status = (name: string): Record<string, AttributeValue> =>
      stable ? { 'rpc.response.status_code': name } : { 'rpc.grpc.status_code': grpcStatusNumber(name) ?? 2 };
    const failures = service.grpcFailures;
    const rows: Array<[Record<string, AttributeValue>, number]> = [[status('OK'), 1 - (failures?.rate ?? 0)]];
    if (failures && failures.rate > 0) {
      const total = Object.values(failures.codes).reduce((sum, s) => sum + s, 0);
      for (const [name, share] of Object.entries(failures.codes)) {
        rows.push([status(name), failures.rate * (share / total)]);
      }
    }
    return rows.filter(([, share]) => share > 0);
  }
  const key = stable ? 'http.response.status_code' : 'http.status_code';
  return (
    [
      [{ [key]: 200 }, 1 - service.httpErrorRate],
      [{ [key]: 500 }, service.httpErrorRate],
    ] as Array<[Record<string, AttributeValue>, number]>
  ).filter(([, share]) => share > 0);
}
