import { seededRandom } from '../random';
import type { CallerSpec, Scenario, ServiceSpec } from '../scenario';

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
const GRPC_FAILURES = ['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'RESOURCE_EXHAUSTED', 'PERMISSION_DENIED'];
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
}

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

  for (let i = 0; i < options.services; i++) {
    const archetype: Archetype =
      i < ARCHETYPES.length ? ARCHETYPES[i] : random() < anomalyShare ? pick(ARCHETYPES) : 'healthy';
    const protocol = archetype === 'grpc-trap' || random() < 0.3 ? 'grpc' : 'http';
    const median = between(2, 30);
    const rps = Math.round(between(1, 100) * 100) / 100;
    const namespace = `team-${Math.floor(i / perNamespace)}`;
    const sameNamespace = services.filter((s) => s.namespace === namespace && s.layers.includes('mesh'));
    const callers: CallerSpec[] = [];
    if (archetype !== 'app-only' && sameNamespace.length > 0) {
      const first = pick(sameNamespace);
      callers.push({ workload: first.name, share: Math.round(between(0.3, 0.7) * 100) / 100 });
      const second = pick(sameNamespace);
      if (second !== first && random() < 0.5) {
        callers.push({ workload: second.name, share: Math.round(between(0.1, 0.25) * 100) / 100 });
      }
    }
    const service: ServiceSpec = {
      namespace,
      name: `${pick(WORDS)}-${i}`,
      protocol,
      rps,
      appLatencyMs: { median, p95: median * between(2, 3) },
      boundaryLatencyMs: archetype === 'slow-boundary' ? between(80, 300) : between(0.2, 3),
      httpErrorRate: protocol === 'http' ? between(0, 0.005) : 0,
      boundaryFailureRate: archetype === 'boundary-failures' ? between(0.04, 0.12) : 0,
      unmeshedRps: archetype === 'unmeshed-traffic' ? rps * between(1, 3) : 0,
      layers: archetype === 'mesh-only' ? ['mesh'] : archetype === 'app-only' ? ['app'] : ['mesh', 'app'],
      callers,
      kind: random() < 0.85 ? 'deployment' : 'statefulset',
      pods: options.pods ?? 1 + Math.floor(random() * 2),
    };
    if (protocol === 'grpc') {
      service.grpcFailures =
        archetype === 'grpc-trap'
          ? { rate: between(0.03, 0.15), codes: { [pick(GRPC_FAILURES)]: 3, [pick(GRPC_FAILURES)]: 1 } }
          : { rate: between(0, 0.004), codes: { [pick(GRPC_FAILURES)]: 1 } };
    }
    services.push(service);
  }
  return {
    name: `random-${options.seed}-${options.services}`,
    seed: options.seed,
    scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 15,
    services,
  };
}
