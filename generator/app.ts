/**
 * The app layer: each service's server-duration histograms as its OpenTelemetry SDK records them, and as the
 * Collector's `prometheusremotewrite` exporter names them in the store (DESIGN §1, semantic conventions).
 */
import { grpcStatusNumber } from '../src/query/grpcStatus';
import type { SemconvVersion } from '../src/settings/types';
import { OTEL_LEGACY_BUCKETS_MS, OTEL_STABLE_BUCKETS_S, type Latency } from './distribution';
import type { ServiceSpec } from './scenario';
import { histogram, type Labels, type PodTarget, type SeriesDef } from './series';

/** The app's own latency: what its server spans and histograms measure. */
export function appLatency(service: ServiceSpec): Latency {
  return { medianMs: service.appLatencyMs.median, p95Ms: service.appLatencyMs.p95, shiftMs: 0 };
}

/** Requests per second the app handles: the meshed requests its proxy delivered, and any that bypass the mesh. */
export function appRps(service: ServiceSpec): number {
  const handled = service.layers.includes('mesh') ? service.rps * (1 - service.boundaryFailureRate) : service.rps;
  return handled + service.unmeshedRps;
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

export function prometheusLabels(attributes: Record<string, AttributeValue>): Labels {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [prometheusLabelName(key), String(value)])
  );
}

/** The app's server-duration histograms, per pod and status. */
export function appHistograms(
  service: ServiceSpec,
  semconv: SemconvVersion,
  pods: { of(namespace: string, workload: string): PodTarget[] }
): AppHistogram[] {
  if (!service.layers.includes('app')) {
    return [];
  }
  const appService = service.appServiceName ?? service.name;
  const appPods = pods.of(service.namespace, service.name).map((pod): PodTarget => ({
    ...pod,
    layer: 'app',
    appService,
  }));
  const rate = appRps(service) / appPods.length;
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
          latency: [{ weight: 1, latency: appLatency(service) }],
          bounds: instrument.bounds,
          unitMs,
          sum: 'exact',
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
