/**
 * What Mesh Lens must show for a scenario, computed from the scenario's model and the proxy generation's rules,
 * never from the plugin's own code: the tests compare the plugin's figures with these.
 */
import type { FlagId } from '../src/constants';
import { FLOAT_SLACK } from '../src/boundary/detect';
import { identityNodeId, UNIDENTIFIED_NODE } from '../src/boundary/serviceMap';
import { GRPC_STATUS_NAMES } from '../src/query/grpcStatus';
import { LINKERD_GRPC_FAILURE_CODES, type SemconvVersion, type Thresholds } from '../src/settings/types';
import { appLatency, appRps } from './app';
import {
  LINKERD_BUCKETS_MS,
  OTEL_LEGACY_BUCKETS_MS,
  OTEL_STABLE_BUCKETS_S,
  QUANTILES,
  meanMs,
  meanWholeMs,
  mixtureHistogramQuantile,
  mixtureQuantileMs,
  type Mixture,
  type Quantile,
} from './distribution';
import { proxyGeneration, type ProxyGeneration } from './linkerd/generations';
import { linkerdFails, type Outcome } from './linkerd/outcomes';
import { identity } from './linkerd/labels';
import { adminTraffic, calleeOutcomes, callerOutcomes } from './linkerd/proxy';
import type { Scenario, ServiceSpec, WorkloadKind } from './scenario';
import { phasesIn } from './timeline';

/** A quantile as the model has it, and what histogram_quantile must return from the buckets. */
export interface QuantileTruth {
  exact: number;
  expected: number;
  /** The bucket containing the quantile: the measured value must lie inside it. */
  lower: number;
  upper: number;
}

export interface LatencyTruth {
  p50: QuantileTruth;
  p95: QuantileTruth;
  p99: QuantileTruth;
  /** `_sum` / `_count`: the mesh's is truncated to whole milliseconds per request, as Linkerd adds it. */
  mean: number;
}

/** Where the trap is visible: the callee's proxy, or only its callers' proxies (stable-2.13 to 2.14.3). */
export type TrapEvidenceTruth = 'callee' | 'callers';

export interface OutcomeTruth {
  rps: number;
  successRate?: number;
  grpcTrapShare?: number;
  /** gRPC status names behind the trap, most frequent first. */
  grpcTrapCodes: string[];
  httpErrorShare?: number;
}

export interface MeshTruth extends OutcomeTruth {
  latency?: LatencyTruth;
  trapEvidence?: TrapEvidenceTruth;
  /** The callers' proxies' view (meshed callers only), when the service has any. */
  callers?: OutcomeTruth;
  /** What Linkerd Viz shows for the same traffic (inbound, admin traffic included, the proxy's classification). */
  linkerdViz: LinkerdVizTruth;
}

export interface LinkerdVizTruth {
  rps: number;
  successRate?: number;
  /** p95 of every inbound response, the admin server's scrapes and probes among them. */
  p95?: QuantileTruth;
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
  kind: WorkloadKind;
  appService: string;
  coverage: 'both' | 'mesh-only' | 'app-only';
  mesh?: MeshTruth;
  app?: AppTruth;
  /** Time outside the app, present when both layers have latency. */
  outsideApp?: OutsideAppTruth;
  flags: FlagId[];
  /**
   * A layer exists in only part of the window: its rates are over the whole window (the gap counting as no
   * requests); Prometheus' extrapolation at the gap's edge may add up to half a scrape interval's worth.
   */
  partial?: boolean;
}

/**
 * Mesh − app. The mean is exact arithmetic on both layers' means (the mesh's in whole milliseconds); the p95
 * difference is expected where the two interpolations put it, and lies for sure between the bounds of the two
 * buckets that hold the true p95s.
 */
export interface OutsideAppTruth {
  mean: number;
  p95: QuantileTruth;
}

export interface TruthOptions {
  semconv: SemconvVersion;
  thresholds: Thresholds;
  /** The gRPC codes the plugin counts as failures (settings.grpcFailureCodes); Linkerd's six by default. */
  grpcFailureCodes?: number[];
}

const KEYS: Record<Quantile, 'p50' | 'p95' | 'p99'> = { 0.5: 'p50', 0.95: 'p95', 0.99: 'p99' };

function latencyTruth(mixture: Mixture, bounds: number[], unitMs: number, mean: number): LatencyTruth {
  const result = { mean } as LatencyTruth;
  for (const q of QUANTILES) {
    const estimate = mixtureHistogramQuantile(mixture, q, bounds, unitMs);
    result[KEYS[q]] = {
      exact: mixtureQuantileMs(mixture, q),
      expected: estimate.interpolated,
      lower: estimate.lower,
      upper: estimate.upper,
    };
  }
  return result;
}

/** Sums of shares over outcomes that match. */
function shareOf(outcomes: Outcome[], match: (o: Outcome) => boolean): number {
  return outcomes.filter(match).reduce((sum, o) => sum + o.share, 0);
}

/**
 * The figures of a set of outcomes as Mesh Lens reads them: where the proxy wrote a gRPC status the configured
 * codes decide, otherwise the proxy's classification as written (HTTP 5xx).
 */
function outcomeTruth(outcomes: Outcome[], rps: number, grpcVisible: boolean, failureCodes: Set<number>): OutcomeTruth {
  const grpcOf = (o: Outcome) => (grpcVisible ? o.grpcCode : undefined);
  const failed = (o: Outcome) => {
    const code = grpcOf(o);
    return code !== undefined ? failureCodes.has(code) : o.httpStatus >= 500;
  };
  const trap = (o: Outcome) => failed(o) && grpcOf(o) !== undefined && o.httpStatus === 200;
  const codeShares = new Map<string, number>();
  for (const o of outcomes.filter(trap)) {
    const name = GRPC_STATUS_NAMES[o.grpcCode ?? 2];
    codeShares.set(name, (codeShares.get(name) ?? 0) + o.share);
  }
  const traffic = rps > 0;
  return {
    rps,
    successRate: traffic ? 1 - shareOf(outcomes, failed) : undefined,
    grpcTrapShare: traffic ? shareOf(outcomes, trap) : undefined,
    grpcTrapCodes: traffic ? [...codeShares].sort((a, b) => b[1] - a[1]).map(([name]) => name) : [],
    httpErrorShare: traffic ? shareOf(outcomes, (o) => o.httpStatus >= 500) : undefined,
  };
}

/** Every caller's outcomes weighted by what it sent, and the total it sent per second. */
function callersView(service: ServiceSpec): { outcomes: Outcome[]; rps: number } | undefined {
  if (service.callers.length === 0) {
    return undefined;
  }
  const sent = service.callers.map((c) => (service.rps * c.share) / (1 - c.failureRate));
  const rps = sent.reduce((sum, r) => sum + r, 0);
  if (rps === 0) {
    return undefined;
  }
  const outcomes = service.callers.flatMap((caller, i) =>
    callerOutcomes(service, caller).map((o) => ({ ...o, share: (o.share * sent[i]) / rps }))
  );
  return { outcomes, rps };
}

/** A service as it stood during part of a window (a phase of its scenario), and for how many seconds. */
export interface Stretch {
  service: ServiceSpec;
  seconds: number;
}

/**
 * The outcomes of several stretches as one set, each stretch weighted by the requests it carried, and their mean
 * rate over the whole window (`windowSeconds`; a stretch the layer was not there counts as no requests), as the
 * plugin's `increase(…[window]) / window` reads it on either store.
 */
function mixed(
  stretches: Stretch[],
  view: (service: ServiceSpec) => { outcomes: Outcome[]; rps: number } | undefined,
  windowSeconds: number
): { outcomes: Outcome[]; rps: number } | undefined {
  const views = stretches.map((s) => view(s.service));
  if ((stretches.length === 1 && stretches[0].seconds === windowSeconds) || views.every((v) => v === undefined)) {
    return views[0];
  }
  const requests = views.map((v, i) => (v?.rps ?? 0) * stretches[i].seconds);
  const total = requests.reduce((sum, r) => sum + r, 0);
  return {
    rps: total / windowSeconds,
    outcomes: views.flatMap((v, i) =>
      total > 0 && v ? v.outcomes.map((o) => ({ ...o, share: (o.share * requests[i]) / total })) : []
    ),
  };
}

function meshTruth(
  stretches: Stretch[],
  windowSeconds: number,
  scenario: Scenario,
  generation: ProxyGeneration,
  failureCodes: Set<number>
): MeshTruth {
  const service = stretches[0].service;
  const { outcomes, rps } = mixed(stretches, (s) => ({ outcomes: calleeOutcomes(s), rps: s.rps }), windowSeconds)!;
  const grpc = service.protocol === 'grpc';
  const calleeSeesGrpc = grpc && generation.inboundGrpcClassified;
  const callee = outcomeTruth(outcomes, rps, calleeSeesGrpc, failureCodes);
  const callerOutcomeSet = mixed(stretches, callersView, windowSeconds);
  const callers = callerOutcomeSet && outcomeTruth(callerOutcomeSet.outcomes, callerOutcomeSet.rps, true, failureCodes);
  const mixture = outcomes.map((o) => ({ weight: o.share, latency: o.latency }));
  const traffic = rps > 0;
  const truth: MeshTruth = {
    ...callee,
    callers,
    latency: traffic
      ? latencyTruth(
          mixture,
          LINKERD_BUCKETS_MS,
          1,
          outcomes.reduce((sum, o) => sum + o.share * meanWholeMs(o.latency), 0)
        )
      : undefined,
    linkerdViz: linkerdVizTruth(rps, service.pods, scenario, outcomes, calleeSeesGrpc),
  };
  if (calleeSeesGrpc && traffic) {
    truth.trapEvidence = 'callee';
  } else if (grpc && callers) {
    truth.trapEvidence = 'callers';
    truth.grpcTrapShare = callers.grpcTrapShare;
    truth.grpcTrapCodes = callers.grpcTrapCodes;
  }
  return truth;
}

/**
 * Linkerd Viz's success rate and request rate (linkerd2 `grafana/dashboards/deployment.json`,
 * `viz/metrics-api/stat_summary.go`): every inbound response of the workload, the admin server's included, by the
 * proxy's own `classification`.
 */
function linkerdVizTruth(
  serviceRps: number,
  pods: number,
  scenario: Scenario,
  outcomes: Outcome[],
  classified: boolean
): LinkerdVizTruth {
  // Scrapes and probes, per pod: all answered 200, all successes.
  const admin = adminTraffic(scenario.scrapeIntervalSeconds).map((a) => ({ ...a, rps: a.rps * pods }));
  const adminRps = admin.reduce((sum, a) => sum + a.rps, 0);
  const rps = serviceRps + adminRps;
  const failed = (o: Outcome) => (classified ? linkerdFails(o) : o.httpStatus >= 500);
  const mixture = [
    ...outcomes.map((o) => ({ weight: serviceRps * o.share, latency: o.latency })),
    ...admin.map((a) => ({ weight: a.rps, latency: a.latency })),
  ];
  const estimate = mixtureHistogramQuantile(mixture, 0.95, LINKERD_BUCKETS_MS, 1);
  return {
    rps,
    successRate: rps > 0 ? 1 - (serviceRps * shareOf(outcomes, failed)) / rps : undefined,
    p95: {
      exact: mixtureQuantileMs(mixture, 0.95),
      expected: estimate.interpolated,
      lower: estimate.lower,
      upper: estimate.upper,
    },
  };
}

/** The app's own figures of one stretch: requests per second, failed and HTTP 5xx shares, latency. */
function appFacts(service: ServiceSpec, failureCodes: Set<number>) {
  const failures = service.grpcFailures;
  const total = Object.values(failures?.codes ?? {}).reduce((sum, s) => sum + s, 0);
  const grpcErrorRate = Object.entries(failures?.codes ?? {}).reduce((sum, [name, share]) => {
    const code = (GRPC_STATUS_NAMES as readonly string[]).indexOf(name);
    return failureCodes.has(code) ? sum + (failures?.rate ?? 0) * (share / total) : sum;
  }, 0);
  return {
    rps: appRps(service),
    errorRate: service.protocol === 'grpc' ? grpcErrorRate : service.httpErrorRate,
    latency: appLatency(service),
  };
}

function appTruth(
  stretches: Stretch[],
  windowSeconds: number,
  semconv: SemconvVersion,
  failureCodes: Set<number>
): AppTruth {
  const facts = stretches.map((s) => ({ ...appFacts(s.service, failureCodes), seconds: s.seconds }));
  const requests = facts.map((f) => f.rps * f.seconds);
  const total = requests.reduce((sum, r) => sum + r, 0);
  const whole = stretches.length === 1 && stretches[0].seconds === windowSeconds;
  const rps = whole ? facts[0].rps : total / windowSeconds;
  const weighted = (value: (i: number) => number) =>
    stretches.length === 1 ? value(0) : requests.reduce((sum, r, i) => sum + (r / total) * value(i), 0);
  const errorRate = weighted((i) => facts[i].errorRate);
  const http = stretches[0].service.protocol === 'http';
  const stable = semconv === 'stable';
  const mixture = facts.map((f, i) => ({ weight: stretches.length === 1 ? 1 : requests[i], latency: f.latency }));
  return {
    rps,
    successRate: rps > 0 ? 1 - errorRate : undefined,
    httpErrorShare: rps > 0 && http ? weighted((i) => stretches[i].service.httpErrorRate) : undefined,
    latency:
      rps > 0
        ? latencyTruth(
            mixture,
            stable ? OTEL_STABLE_BUCKETS_S : OTEL_LEGACY_BUCKETS_MS,
            stable ? 1000 : 1,
            weighted((i) => meanMs(facts[i].latency))
          )
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
  // DESIGN §2: evidence the buckets cannot blur: the exact mean difference, or a p95 difference whose lowest
  // possible value is over the limits.
  const appLatency = app?.latency;
  if (t.outsideApp && appLatency) {
    const limit = (appFigure: number) =>
      Math.max(thresholds.boundaryLatencyMs, (thresholds.boundaryLatencyPercent / 100) * appFigure);
    if (t.outsideApp.mean > limit(appLatency.mean) || t.outsideApp.p95.lower > limit(appLatency.p95.expected)) {
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

/** A window of a generated range, in unix ms: its scenario's changes are placed back from `rangeEndMs`. */
export interface TruthWindow {
  rangeEndMs: number;
  fromMs: number;
  toMs: number;
}

/**
 * What the plugin must show for every service of the scenario. Without a window, for any window inside the
 * generated range of a scenario that holds all along (one with changes: before its first change); with a window,
 * the figures over that window, each phase weighted by the time and requests it covers; a layer that exists in only
 * part of the window (`partial`) counts no requests for the rest.
 */
export function computeTruth(scenario: Scenario, options: TruthOptions & { window?: TruthWindow }): ServiceTruth[] {
  const generation = proxyGeneration(scenario.proxy);
  const failureCodes = new Set(options.grpcFailureCodes ?? LINKERD_GRPC_FAILURE_CODES);
  const window = options.window;
  const phases = window
    ? phasesIn(scenario, window.rangeEndMs, window)
    : [{ scenario, seconds: 1, fromMs: Number.NEGATIVE_INFINITY }];
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  return scenario.services.flatMap((base, index): ServiceTruth[] => {
    const stretches = phases.map((p) => ({ service: p.scenario.services[index], seconds: p.seconds }));
    const meshStretches = stretches.filter((s) => s.service.layers.includes('mesh'));
    const appStretches = stretches.filter((s) => s.service.layers.includes('app'));
    const hasMesh = meshStretches.length > 0;
    // An SDK exports nothing until it records a request: an idle app is not seen.
    const hasApp = appStretches.some((s) => appRps(s.service) > 0);
    if (!hasMesh && !hasApp) {
      return [];
    }
    const truth: ServiceTruth = {
      key: `${base.namespace}/${base.name}`,
      namespace: base.namespace,
      service: base.name,
      kind: base.kind,
      appService: base.appServiceName ?? base.name,
      coverage: hasMesh && hasApp ? 'both' : hasMesh ? 'mesh-only' : 'app-only',
      mesh: hasMesh ? meshTruth(meshStretches, seconds, scenario, generation, failureCodes) : undefined,
      app: hasApp ? appTruth(appStretches, seconds, options.semconv, failureCodes) : undefined,
      flags: [],
    };
    if ((hasMesh && meshStretches.length < stretches.length) || (hasApp && appStretches.length < stretches.length)) {
      truth.partial = true;
    }
    const meshLatency = truth.mesh?.latency;
    const appLatency = truth.app?.latency;
    if (meshLatency && appLatency) {
      truth.outsideApp = {
        mean: meshLatency.mean - appLatency.mean,
        p95: {
          expected: meshLatency.p95.expected - appLatency.p95.expected,
          exact: meshLatency.p95.exact - appLatency.p95.exact,
          lower: meshLatency.p95.lower - appLatency.p95.upper,
          upper: meshLatency.p95.upper - appLatency.p95.lower,
        },
      };
    }
    truth.flags = truthFlags(truth, options.thresholds);
    return [truth];
  });
}

/** One end's count of an edge's requests. */
export interface SideTruth {
  rps: number;
  successRate?: number;
  /** Undefined where several callers' histograms are summed (no quantile of the sum is shown). */
  p95?: QuantileTruth;
  mean?: number;
  mtlsShare?: number;
}

/** How the plugin can tie a caller workload to the identity the callee saw (boundary/edges.ts `CallerMatch`). */
export type CallerMatchTruth = 'service-account' | 'only-identity' | 'only-candidate' | 'unpaired';

/** A caller identity (or an unpaired side) at one callee, with both ends' counts as the metrics allow them. */
export interface EdgeGroupTruth {
  target: string;
  /** Caller workload keys, as their outbound series name them. */
  callers: Array<{ key: string; side: SideTruth }>;
  /** '' for requests without identity; undefined for a caller whose identity cannot be told. */
  identity?: string;
  match: CallerMatchTruth;
  callerSide?: SideTruth;
  calleeSide?: SideTruth;
}

/** One map edge: a caller workload (or an identity, or outside the mesh) to a callee. */
export interface EdgeTruth {
  source: string;
  target: string;
  callerSide?: SideTruth;
  calleeSide?: SideTruth;
  sharedWith: string[];
  match: CallerMatchTruth;
}

interface CallerFacts {
  key: string;
  namespace: string;
  identity: string;
  /** Share of the callee's arriving requests this caller sends. */
  share: number;
  side: SideTruth;
  /** Failed requests per second, as the caller's proxy counts them. */
  failed: number;
}

function sideOf(outcomes: Outcome[], rps: number, grpcVisible: boolean, failureCodes: Set<number>): SideTruth {
  const figures = outcomeTruth(outcomes, rps, grpcVisible, failureCodes);
  const mixture = outcomes.map((o) => ({ weight: o.share, latency: o.latency }));
  const mean = outcomes.reduce((sum, o) => sum + o.share * meanWholeMs(o.latency), 0);
  return {
    rps,
    successRate: figures.successRate,
    p95: rps > 0 ? latencyTruth(mixture, LINKERD_BUCKETS_MS, 1, mean).p95 : undefined,
    mean: rps > 0 ? mean : undefined,
  };
}

function combineSides(sides: CallerFacts[]): SideTruth {
  if (sides.length === 1) {
    return sides[0].side;
  }
  const rps = sides.reduce((sum, c) => sum + c.side.rps, 0);
  const failed = sides.reduce((sum, c) => sum + c.failed, 0);
  return {
    rps,
    successRate: rps > 0 ? 1 - failed / rps : undefined,
    mean: rps > 0 ? sides.reduce((sum, c) => sum + c.side.rps * (c.side.mean ?? 0), 0) / rps : undefined,
  };
}

/**
 * The pairing rules of DESIGN's caller/callee decomposition, applied to what the scenario puts in the metrics:
 * a workload's service account is known where it is a destination with traffic; within one namespace the only
 * identity takes every caller, and the last identity the last caller of unknown account; otherwise no pairing.
 */
function pairCallers(
  identities: string[],
  callers: CallerFacts[],
  known: (key: string) => boolean
): Array<{ identity?: string; callers: CallerFacts[]; match: CallerMatchTruth }> {
  if (identities.length === 1 && callers.length > 0) {
    const mismatched = callers.filter((c) => known(c.key) && c.identity !== identities[0]);
    const paired = callers.filter((c) => !mismatched.includes(c));
    const allKnown = paired.every((c) => known(c.key));
    return [
      paired.length > 0
        ? { identity: identities[0], callers: paired, match: allKnown ? 'service-account' : 'only-identity' }
        : { identity: identities[0], callers: [], match: 'unpaired' },
      ...mismatched.map((c) => ({ callers: [c], match: 'unpaired' as const })),
    ];
  }
  const unknown = callers.filter((c) => !known(c.key));
  const byAccount = (identity: string) => callers.filter((c) => known(c.key) && c.identity === identity);
  const unpairedIdentities = identities.filter((id) => byAccount(id).length === 0);
  if (unknown.length === 1 && unpairedIdentities.length === 1) {
    return identities.map((identity) =>
      identity === unpairedIdentities[0]
        ? { identity, callers: unknown, match: 'only-candidate' as const }
        : { identity, callers: byAccount(identity), match: 'service-account' as const }
    );
  }
  if (unknown.length > 0) {
    return [
      ...identities.map((identity) => ({ identity, callers: [], match: 'unpaired' as const })),
      ...callers.map((c) => ({ callers: [c], match: 'unpaired' as const })),
    ];
  }
  const paired = new Set(identities.flatMap(byAccount));
  return [
    ...identities.map((identity) => {
      const group = byAccount(identity);
      return {
        identity,
        callers: group,
        match: group.length > 0 ? ('service-account' as const) : ('unpaired' as const),
      };
    }),
    ...callers.filter((c) => !paired.has(c)).map((c) => ({ callers: [c], match: 'unpaired' as const })),
  ];
}

/** Every callee's callers as both ends count them, grouped as the metrics allow. */
export function computeEdgeGroupTruth(scenario: Scenario, options: TruthOptions): EdgeGroupTruth[] {
  const generation = proxyGeneration(scenario.proxy);
  const failureCodes = new Set(options.grpcFailureCodes ?? LINKERD_GRPC_FAILURE_CODES);
  const specs = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const meshed = scenario.services.filter((s) => s.layers.includes('mesh') && s.rps > 0);
  // `dst_serviceaccount` is on the callers' outbound series: a workload's account is known where it is called.
  const knownAccounts = new Set(
    meshed.filter((s) => s.callers.some((c) => c.share > 0)).map((s) => `${s.namespace}/${s.name}`)
  );
  const groups: EdgeGroupTruth[] = [];
  for (const service of meshed) {
    const target = `${service.namespace}/${service.name}`;
    const calleeSeesGrpc = service.protocol !== 'grpc' || generation.inboundGrpcClassified;
    const arriving = calleeOutcomes(service);
    const calleeSide = (share: number, mtlsShare: number): SideTruth => ({
      ...sideOf(arriving, service.rps * share, calleeSeesGrpc, failureCodes),
      mtlsShare,
    });
    const callers: CallerFacts[] = service.callers
      .filter((c) => c.share > 0)
      .map((c) => {
        const namespace = c.namespace ?? service.namespace;
        const key = `${namespace}/${c.workload}`;
        const rps = (service.rps * c.share) / (1 - c.failureRate);
        const side = sideOf(callerOutcomes(service, c), rps, true, failureCodes);
        return {
          key,
          namespace,
          identity: identity(namespace, specs.get(key)?.serviceAccount ?? c.workload),
          share: c.share,
          side,
          failed: rps * (1 - (side.successRate ?? 1)),
        };
      });
    const identified = service.callers.reduce((sum, c) => sum + c.share, 0);
    if (identified < 1 - 1e-9) {
      groups.push({ target, callers: [], identity: '', match: 'unpaired', calleeSide: calleeSide(1 - identified, 0) });
    }
    for (const namespace of new Set(callers.map((c) => c.namespace))) {
      const inNamespace = callers.filter((c) => c.namespace === namespace);
      const identities = [...new Set(inNamespace.map((c) => c.identity))];
      for (const pair of pairCallers(identities, inNamespace, (key) => knownAccounts.has(key))) {
        // What arrives from an identity: the share of every caller running as it (their proxies' failures never do).
        const arrived = callers.filter((c) => c.identity === pair.identity).reduce((sum, c) => sum + c.share, 0);
        groups.push({
          target,
          callers: pair.callers.map((c) => ({ key: c.key, side: c.side })),
          identity: pair.identity,
          match: pair.match,
          callerSide: pair.callers.length > 0 ? combineSides(pair.callers) : undefined,
          calleeSide: pair.identity !== undefined ? calleeSide(arrived, 1) : undefined,
        });
      }
    }
  }
  return groups;
}

/** The map's edges: one per caller workload, identity-only caller, or the outside of the mesh, per callee. */
export function computeEdgeTruth(scenario: Scenario, options: TruthOptions): EdgeTruth[] {
  return computeEdgeGroupTruth(scenario, options).flatMap((group): EdgeTruth[] => {
    if (group.callers.length > 0) {
      return group.callers.map((caller) => ({
        source: caller.key,
        target: group.target,
        callerSide: caller.side,
        calleeSide: group.calleeSide,
        sharedWith: group.callers.filter((c) => c !== caller).map((c) => c.key),
        match: group.match,
      }));
    }
    const source = group.identity === '' ? UNIDENTIFIED_NODE : identityNodeId(group.identity!);
    return [{ source, target: group.target, calleeSide: group.calleeSide, sharedWith: [], match: group.match }];
  });
}

/** Where a service's time went and its failures were made (boundary/breakdown.ts), from the model. */
export interface BreakdownTruth {
  key: string;
  callersWaited?: number;
  callerSide?: number;
  calleeSide?: number;
  app?: number;
  failedByCallers?: number;
  failedByProxy?: number;
  failedByApp?: number;
}

export function computeBreakdownTruth(scenario: Scenario, options: TruthOptions): BreakdownTruth[] {
  const generation = proxyGeneration(scenario.proxy);
  const groups = computeEdgeGroupTruth(scenario, options);
  const specs = new Map(scenario.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  return computeTruth(scenario, options).map((t): BreakdownTruth => {
    const spec = specs.get(t.key)!;
    const paired = groups.filter((g) => g.target === t.key && g.match !== 'unpaired' && g.callerSide && g.calleeSide);
    const pairedRps = paired.reduce((sum, g) => sum + g.callerSide!.rps, 0);
    const callersWaited =
      pairedRps > 0
        ? paired.reduce((sum, g) => sum + g.callerSide!.rps * g.callerSide!.mean!, 0) / pairedRps
        : undefined;
    const meshMean = t.mesh?.latency?.mean;
    const appMean = t.app?.latency?.mean;
    // The service's proxy sees no gRPC status (Linkerd stable-2.14), which the page can tell from its callers or app.
    const missesGrpc =
      spec.protocol === 'grpc' &&
      !generation.inboundGrpcClassified &&
      (spec.callers.some((c) => c.share > 0) || !!t.app);
    const failed = (side: { rps: number; successRate?: number } | undefined) =>
      side && side.successRate !== undefined ? side.rps * (1 - side.successRate) : undefined;
    const meshFailed = failed(t.mesh);
    const appFailed = failed(t.app);
    return {
      key: t.key,
      callersWaited,
      callerSide: callersWaited !== undefined && meshMean !== undefined ? callersWaited - meshMean : undefined,
      calleeSide: meshMean !== undefined && appMean !== undefined ? meshMean - appMean : undefined,
      app: appMean,
      failedByCallers:
        paired.length > 0 && !missesGrpc
          ? paired.reduce((sum, g) => sum + failed(g.callerSide)! - failed(g.calleeSide)!, 0)
          : undefined,
      failedByProxy:
        meshFailed !== undefined && appFailed !== undefined && !missesGrpc && t.app!.rps <= t.mesh!.rps * 1.01
          ? meshFailed - appFailed
          : undefined,
      failedByApp: appFailed,
    };
  });
}
