import type { ProxyGenerationId } from '../linkerd/generations';
import { seededRandom } from '../random';
import type { CallerSpec, Scenario, ScenarioChange, ServiceChange, ServiceSpec, WorkloadKind } from '../scenario';

/** What a generated service is made to show. */
export type Archetype =
  'healthy' | 'grpc-trap' | 'slow-boundary' | 'boundary-failures' | 'unmeshed-traffic' | 'mesh-only' | 'app-only';

const ARCHETYPES: Archetype[] = [
  'grpc-trap',
  'slow-boundary',
  'boundary-failures',
  'unmeshed-traffic',
  'mesh-only',
  'app-only',
];
/** Codes Linkerd counts as failures, and codes it counts as successes although they are not OK. */
const GRPC_FAILURES = ['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'PERMISSION_DENIED', 'UNKNOWN'];
const GRPC_NON_FAILURES = ['NOT_FOUND', 'RESOURCE_EXHAUSTED', 'ALREADY_EXISTS', 'INVALID_ARGUMENT'];
const WORDS = [
  'orders',
  'billing',
  'ledger',
  'auth',
  'profile',
  'media',
  'quotes',
  'fraud',
  'tax',
  'stock',
  'pricing',
  'reviews',
];

export interface RandomScenarioOptions {
  seed: number;
  services: number;
  /** Services per namespace. */
  perNamespace?: number;
  pods?: number;
  scrapeIntervalSeconds?: number;
  /** Share of services that are not healthy (after the first of each archetype). */
  anomalyShare?: number;
  /** The Linkerd proxy release the pods run. */
  proxy?: ProxyGenerationId;
  /** Adds changes over time to healthy services (`incidents`): the services themselves stay the same. */
  incidents?: boolean;
}

/** Mostly Deployments, as in most clusters, and every other kind Linkerd labels now and then. */
const KINDS: Array<[WorkloadKind, number]> = [
  ['deployment', 0.75],
  ['statefulset', 0.1],
  ['daemonset', 0.05],
  ['cronjob', 0.03],
  ['job', 0.03],
  ['replicaset', 0.02],
  ['replicationcontroller', 0.02],
];

/**
 * A scenario nobody tuned the tests to: random rates, latencies and anomalies from a seed, with every
 * parameter kept clear of the default thresholds so each flag is decided by the model, not by noise.
 */
export function randomScenario(options: RandomScenarioOptions): Scenario {
  const random = seededRandom(options.seed);
  const between = (min: number, max: number) => min + random() * (max - min);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const perNamespace = options.perNamespace ?? 50;
  const anomalyShare = options.anomalyShare ?? 0.3;
  const services: ServiceSpec[] = [];
  const healthy = new Set<ServiceSpec>();

  for (let i = 0; i < options.services; i++) {
    // Service 0 is healthy, so the first of each archetype has a meshed caller in its namespace: a trap behind a
    // proxy that does not classify inbound gRPC is then still seen by that caller's proxy.
    const archetype: Archetype =
      i === 0
        ? 'healthy'
        : i <= ARCHETYPES.length
          ? ARCHETYPES[i - 1]
          : random() < anomalyShare
            ? pick(ARCHETYPES)
            : 'healthy';
    const protocol = archetype === 'grpc-trap' || random() < 0.3 ? 'grpc' : 'http';
    const median = between(2, 30);
    const rps = Math.round(between(1, 100) * 100) / 100;
    const namespace = `team-${Math.floor(i / perNamespace)}`;
    const sameNamespace = services.filter((s) => s.namespace === namespace && s.layers.includes('mesh'));
    const callers: CallerSpec[] = [];
    const caller = (workload: string, share: number): CallerSpec => ({
      workload,
      share: Math.round(share * 100) / 100,
      latencyMs: between(0.1, 1),
      failureRate: 0,
    });
    if (archetype !== 'app-only' && sameNamespace.length > 0) {
      const first = pick(sameNamespace);
      callers.push(caller(first.name, between(0.3, 0.7)));
      const second = pick(sameNamespace);
      if (second !== first && random() < 0.5) {
        callers.push(caller(second.name, between(0.1, 0.25)));
      }
    }
    let kindDraw = random();
    const kind = KINDS.find(([, share]) => (kindDraw -= share) < 0)?.[0] ?? 'deployment';
    const name = `${pick(WORDS)}-${i}`;
    const service: ServiceSpec = {
      namespace,
      name,
      protocol,
      rps,
      appLatencyMs: { median, p95: median * between(2, 3) },
      boundaryLatencyMs: archetype === 'slow-boundary' ? between(80, 300) : between(0.2, 3),
      httpErrorRate: protocol === 'http' ? between(0, 0.005) : 0,
      boundaryFailureRate: archetype === 'boundary-failures' ? between(0.04, 0.12) : 0,
      unmeshedRps: archetype === 'unmeshed-traffic' ? rps * between(1, 3) : 0,
      layers: archetype === 'mesh-only' ? ['mesh'] : archetype === 'app-only' ? ['app'] : ['mesh', 'app'],
      callers,
      kind,
      pods: options.pods ?? 1 + Math.floor(random() * 2),
      serviceAccount: random() < 0.1 ? 'default' : name,
      grpcRoute: random() < 0.3,
    };
    if (protocol === 'grpc') {
      // A trap service fails mostly with a code Linkerd counts as a failure; other services now and then return
      // codes Linkerd counts as successes (NOT_FOUND …), which neither layer may count as errors.
      service.grpcFailures =
        archetype === 'grpc-trap'
          ? {
              rate: between(0.03, 0.15),
              codes: { [pick(GRPC_FAILURES)]: 3, [pick([...GRPC_FAILURES, ...GRPC_NON_FAILURES])]: 1 },
            }
          : { rate: between(0, 0.004), codes: { [pick([...GRPC_FAILURES, ...GRPC_NON_FAILURES])]: 1 } };
    }
    services.push(service);
    if (archetype === 'healthy') {
      healthy.add(service);
    }
  }
  const scenario: Scenario = {
    name: `random-${options.seed}-${options.services}`,
    seed: options.seed,
    scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 15,
    proxy: options.proxy ?? '2.20',
    services,
  };
  if (options.incidents) {
    // Drawn after the services, so a seed's services are the same with and without incidents.
    scenario.name = `random-incident-${options.seed}-${options.services}`;
    scenario.changes = incidents(services, healthy, random);
  }
  return scenario;
}

/**
 * One of each change over time, each on a healthy service of its own, at a time between 8 and 40 minutes before the
 * range's end (clear of a five-minute recent window), with figures clear of the default thresholds once in effect:
 * a gRPC trap begins, a deploy adds time at the boundary, a workload that calls nobody stops being meshed, traffic
 * doubles. Earliest first, as parseScenario orders them.
 */
function incidents(services: ServiceSpec[], healthy: Set<ServiceSpec>, random: () => number): ScenarioChange[] {
  const between = (min: number, max: number) => min + random() * (max - min);
  const free = services.filter((s) => healthy.has(s) && s.rps > 0 && s.layers.length === 2);
  const take = (eligible: (s: ServiceSpec) => boolean): ServiceSpec | undefined => {
    const candidates = free.filter(eligible);
    if (candidates.length === 0) {
      return undefined;
    }
    const chosen = candidates[Math.floor(random() * candidates.length)];
    free.splice(free.indexOf(chosen), 1);
    return chosen;
  };
  const callers = new Set(services.flatMap((s) => s.callers.map((c) => `${c.namespace ?? s.namespace}/${c.workload}`)));
  const changes: Array<{ service?: ServiceSpec; set: ServiceChange }> = [
    { service: take((s) => s.protocol === 'grpc'), set: {} },
    { service: take(() => true), set: { boundaryLatencyMs: Math.round(between(80, 200)) } },
    { service: take((s) => !callers.has(`${s.namespace}/${s.name}`)), set: { layers: ['app'] } },
    { service: take(() => true), set: {} },
  ];
  changes[0].set = {
    grpcFailures: { rate: Math.round(between(0.04, 0.12) * 1000) / 1000, codes: { [GRPC_FAILURES[0]]: 1 } },
  };
  if (changes[3].service) {
    changes[3].set = { rps: changes[3].service.rps * 2 };
  }
  return changes
    .filter((c): c is { service: ServiceSpec; set: ServiceChange } => c.service !== undefined)
    .map((c) => ({
      minutesBeforeEnd: Math.round(between(8, 40)),
      service: `${c.service.namespace}/${c.service.name}`,
      set: c.set,
    }))
    .sort((a, b) => b.minutesBeforeEnd - a.minutesBeforeEnd);
}
