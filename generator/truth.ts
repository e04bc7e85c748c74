import type { FlagId } from '../src/constants';
import { FLOAT_SLACK } from '../src/boundary/detect';
import { UNIDENTIFIED_NODE } from '../src/boundary/serviceMap';
import type { SemconvVersion, Thresholds } from '../src/settings/types';
import {
  LINKERD_BUCKETS_MS,
  OTEL_LEGACY_BUCKETS_MS,
  OTEL_STABLE_BUCKETS_S,
  QUANTILES,
  histogramQuantile,
  quantileMs,
  type Latency,
  type Quantile,
} from './distribution';
import type { Scenario, ServiceSpec } from './scenario';
import { appLatency, meshLatency, meshOutcomes } from './series';

/** A quantile as the model has it, and what histogram_quantile must return from the buckets. */
export interface QuantileTruth {
  exact: number;
  expected: number;
  /** The bucket containing the quantile: the measured value must lie inside it. */
  lower: number;
  upper: number;
}

export type LatencyTruth = Record<'p50' | 'p95' | 'p99', QuantileTruth>;

export interface MeshTruth {
  rps: number;
  successRate?: number;
  grpcTrapShare?: number;
  /** gRPC status names behind the trap, most frequent first. */
  grpcTrapCodes: string[];
  httpErrorShare?: number;
  latency?: LatencyTruth;
}

export interface AppTruth {
  rps: number;
  successRate?: number;
  httpErrorShare?: number;
  latency?: LatencyTruth;
}

export interface ServiceTruth {
  key: string;
  namespace: string;
  service: string;
  appService: string;
  coverage: 'both' | 'mesh-only' | 'app-only';
  mesh?: MeshTruth;
  app?: AppTruth;
  /** Expected mesh p95 − app p95 (from the expected quantiles) and the error the two interpolations allow. */
  outsideAppP95?: { expected: number; exact: number; tolerance: number };
  flags: FlagId[];
}

export interface TruthOptions {
  semconv: SemconvVersion;
  thresholds: Thresholds;
}

const KEYS: Record<Quantile, keyof LatencyTruth> = { 0.5: 'p50', 0.95: 'p95', 0.99: 'p99' };

function latencyTruth(latency: Latency, bounds: number[], unitMs: number): LatencyTruth {
  const result = {} as LatencyTruth;
  for (const q of QUANTILES) {
    const estimate = histogramQuantile(latency, q, bounds, unitMs);
    result[KEYS[q]] = {
      exact: quantileMs(latency, q),
      expected: estimate.interpolated,
      lower: estimate.lower,
      upper: estimate.upper,
    };
  }
  return result;
}

function meshTruth(service: ServiceSpec): MeshTruth {
  const outcomes = meshOutcomes(service);
  const share = (match: (o: (typeof outcomes)[number]) => boolean) =>
    outcomes.filter(match).reduce((sum, o) => sum + o.share, 0);
  const traffic = service.rps > 0;
  const codes = Object.entries(service.grpcFailures?.codes ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name);
  return {
    rps: service.rps,
    successRate: traffic ? share((o) => o.classification === 'success') : undefined,
    grpcTrapShare: traffic ? share((o) => o.classification === 'failure' && o.statusCode === '200') : undefined,
    grpcTrapCodes: traffic && (service.grpcFailures?.rate ?? 0) > 0 ? codes : [],
    httpErrorShare: traffic ? share((o) => Number(o.statusCode) >= 500) : undefined,
    latency: traffic ? latencyTruth(meshLatency(service), LINKERD_BUCKETS_MS, 1) : undefined,
  };
}

function appTruth(service: ServiceSpec, semconv: SemconvVersion): AppTruth {
  const meshed = service.layers.includes('mesh');
  const rps = (meshed ? service.rps * (1 - service.boundaryFailureRate) : service.rps) + service.unmeshedRps;
  const errorRate = service.httpErrorRate + (service.grpcFailures?.rate ?? 0);
  const stable = semconv === 'stable';
  return {
    rps,
    successRate: rps > 0 ? 1 - errorRate : undefined,
    httpErrorShare: rps > 0 && service.protocol === 'http' ? service.httpErrorRate : undefined,
    latency:
      rps > 0
        ? latencyTruth(appLatency(service), stable ? OTEL_STABLE_BUCKETS_S : OTEL_LEGACY_BUCKETS_MS, stable ? 1000 : 1)
        : undefined,
  };
}

/** The flags of DESIGN §2, decided from the truth itself. */
function truthFlags(t: ServiceTruth, thresholds: Thresholds): FlagId[] {
  const flags: FlagId[] = [];
  const { mesh, app } = t;
  const trapLimit = thresholds.grpcTrapPercent / 100;
  if (mesh?.grpcTrapShare !== undefined && mesh.grpcTrapShare >= trapLimit) {
    const httpView = Math.max(mesh.httpErrorShare ?? 0, app?.httpErrorShare ?? 0);
    if (httpView < trapLimit) {
      flags.push('grpc-trap');
    }
  }
  const appP95 = app?.latency?.p95.expected;
  if (t.outsideAppP95 && appP95 !== undefined) {
    const outside = t.outsideAppP95.expected;
    if (outside > thresholds.boundaryLatencyMs && outside > (thresholds.boundaryLatencyPercent / 100) * appP95) {
      flags.push('boundary-latency');
    }
  }
  if (mesh && app) {
    const successApart =
      mesh.successRate !== undefined &&
      app.successRate !== undefined &&
      Math.abs(mesh.successRate - app.successRate) * 100 > thresholds.disagreementPoints + FLOAT_SLACK;
    const rateApart =
      mesh.rps > 0 && app.rps > 0
        ? Math.max(mesh.rps / app.rps, app.rps / mesh.rps) > thresholds.disagreementRateFactor + FLOAT_SLACK
        : mesh.rps > 0 !== app.rps > 0;
    if (successApart || rateApart) {
      flags.push('disagreement');
    }
  }
  if (t.coverage !== 'both') {
    flags.push('coverage');
  }
  return flags;
}

/** What the plugin must show for every service of the scenario, for any window inside the generated range. */
export function computeTruth(scenario: Scenario, options: TruthOptions): ServiceTruth[] {
  return scenario.services.map((service) => {
    const hasMesh = service.layers.includes('mesh');
    const hasApp = service.layers.includes('app');
    const truth: ServiceTruth = {
      key: `${service.namespace}/${service.name}`,
      namespace: service.namespace,
      service: service.name,
      appService: service.appServiceName ?? service.name,
      coverage: hasMesh && hasApp ? 'both' : hasMesh ? 'mesh-only' : 'app-only',
      mesh: hasMesh ? meshTruth(service) : undefined,
      app: hasApp ? appTruth(service, options.semconv) : undefined,
      flags: [],
    };
    const meshP95 = truth.mesh?.latency?.p95;
    const appP95 = truth.app?.latency?.p95;
    if (meshP95 && appP95) {
      truth.outsideAppP95 = {
        expected: meshP95.expected - appP95.expected,
        exact: meshP95.exact - appP95.exact,
        tolerance: meshP95.upper - meshP95.lower + (appP95.upper - appP95.lower),
      };
    }
    truth.flags = truthFlags(truth, options.thresholds);
    return truth;
  });
}

export interface EdgeTruth {
  /** `namespace/workload` of the caller (its identity), or "no mTLS identity". */
  source: string;
  target: string;
  rps: number;
  successRate?: number;
  p95?: QuantileTruth;
  mtlsShare: number;
}

/** The mesh edges of the scenario as the callee's proxy counts them: one per caller identity, one for the rest. */
export function computeEdgeTruth(scenario: Scenario): EdgeTruth[] {
  const edges: EdgeTruth[] = [];
  for (const service of scenario.services.filter((s) => s.layers.includes('mesh'))) {
    const mesh = meshTruth(service);
    const target = `${service.namespace}/${service.name}`;
    const identified = service.callers.reduce((sum, c) => sum + c.share, 0);
    const sources: Array<[string, number, number]> = service.callers.map((c) => [
      `${c.namespace ?? service.namespace}/${c.workload}`,
      c.share,
      1,
    ]);
    if (identified < 1 - 1e-9) {
      sources.push([UNIDENTIFIED_NODE, 1 - identified, 0]);
    }
    for (const [source, share, mtlsShare] of sources) {
      edges.push({
        source,
        target,
        rps: service.rps * share,
        successRate: mesh.successRate,
        p95: mesh.latency?.p95,
        mtlsShare,
      });
    }
  }
  return edges;
}
