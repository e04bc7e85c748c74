/**
 * A scenario declares a mesh and its apps with known behaviour; the generator turns it into series and
 * into the truth the plugin must show. The file format is documented in docs/scenarios.md.
 */

import type { WorkloadKind } from '../src/query/schema';
import { PROXY_GENERATIONS, type ProxyGenerationId } from './linkerd/generations';

export type { WorkloadKind };
export type Protocol = 'http' | 'grpc';
export type Layer = 'mesh' | 'app';

export const WORKLOAD_KINDS: WorkloadKind[] = [
  'deployment',
  'statefulset',
  'daemonset',
  'cronjob',
  'job',
  'replicationcontroller',
  'replicaset',
];

export interface CallerSpec {
  /** Caller workload; its namespace defaults to the callee's. */
  workload: string;
  namespace?: string;
  /** Share of the callee's meshed traffic this caller sends, 0–1. What callers leave is sent without mTLS identity. */
  share: number;
  /** Time the caller's side adds (network, the caller's proxy, retries), seen by the caller's proxy only, in ms. */
  latencyMs: number;
  /**
   * Share of this caller's requests its own proxy fails before they reach the callee (connection refused or timed
   * out to the chosen pod): HTTP 502, or HTTP 200 with grpc-status UNAVAILABLE, on the caller's outbound series only.
   */
  failureRate: number;
}

export interface GrpcFailureSpec {
  /** Share of the requests the app handles that fail in gRPC trailers while HTTP status is 200, 0–1. */
  rate: number;
  /** gRPC status names and their share of those failures (normalised). */
  codes: Record<string, number>;
}

export interface ServiceSpec {
  namespace: string;
  name: string;
  protocol: Protocol;
  /** Inbound requests per second through the mesh (or into the app when it is not meshed). */
  rps: number;
  /** Latency inside the app. */
  appLatencyMs: { median: number; p95: number };
  /** Extra latency at the boundary, seen by the mesh and not by the app. */
  boundaryLatencyMs: number;
  /** HTTP services: share of app responses with status 500, 0–1. */
  httpErrorRate: number;
  grpcFailures?: GrpcFailureSpec;
  /**
   * Share of meshed requests the service's own proxy fails because the app cannot be reached (connection refused
   * on the loopback): HTTP 502, or HTTP 200 with grpc-status UNAVAILABLE for gRPC (linkerd2-proxy
   * `linkerd/app/core/src/errors/respond.rs`, `bad_gateway`), 0–1. The app never sees them.
   */
  boundaryFailureRate: number;
  /** Requests per second reaching the app without crossing the mesh. */
  unmeshedRps: number;
  layers: Layer[];
  callers: CallerSpec[];
  kind: WorkloadKind;
  pods: number;
  /** The app's `service.name` when it differs from the workload name (joined through an override). */
  appServiceName?: string;
  /** Minute (from the start of the range) at which pod 0 restarts and its counters reset. */
  restartAtMinute?: number;
  /** The pods' service account, whose name the mTLS identity carries; defaults to the workload's name. */
  serviceAccount: string;
  /**
   * gRPC services: whether a GRPCRoute covers the service. Without one Linkerd's route families record its calls on
   * HTTP routes, by `:status` alone (linkerd2-proxy `linkerd/http/prom/src/stream_label/status.rs`).
   */
  grpcRoute: boolean;
}

/** What a change may set on a service: what a deploy, an incident or a shift of traffic alters. */
export const CHANGEABLE_FIELDS = [
  'rps',
  'unmeshedRps',
  'appLatencyMs',
  'boundaryLatencyMs',
  'httpErrorRate',
  'grpcFailures',
  'boundaryFailureRate',
  'layers',
] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];
export type ServiceChange = Partial<Pick<ServiceSpec, ChangeableField>>;

/**
 * A change of one service in the middle of the generated range. Its time is counted back from the range's end, so
 * a test sees it at the same place in its window whatever the time it runs.
 */
export interface ScenarioChange {
  /** Minutes before the end of the generated range at which the change takes effect. */
  minutesBeforeEnd: number;
  /** `namespace/name` of the service it changes. */
  service: string;
  /** The fields it sets, validated as the service's own. */
  set: ServiceChange;
}

export interface Scenario {
  name: string;
  seed: number;
  scrapeIntervalSeconds: number;
  /** The Linkerd proxy release every meshed pod runs (generator/linkerd/generations.ts). */
  proxy: ProxyGenerationId;
  services: ServiceSpec[];
  /** Changes over time, earliest first; none: the scenario holds all along. */
  changes?: ScenarioChange[];
}

export class ScenarioError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Kubernetes name rules (apimachinery `validation.IsDNS1123Label` / `IsDNS1123Subdomain`). */
interface NameRule {
  pattern: RegExp;
  maxLength: number;
  what: string;
}
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** Namespaces: a DNS label. */
const NAMESPACE: NameRule = {
  pattern: new RegExp(`^${DNS_LABEL}$`),
  maxLength: 63,
  what: 'a Kubernetes namespace name (lowercase letters, digits and "-", at most 63)',
};
/**
 * Meshed workloads: a DNS subdomain (Deployments and their kin may have dots), at most 63 characters because
 * Linkerd's injector writes the name into the pod label `linkerd.io/proxy-<kind>`, and label values stop at 63.
 */
const WORKLOAD: NameRule = {
  pattern: new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`),
  maxLength: 63,
  what: 'a Kubernetes workload name (lowercase letters, digits, "-" and ".", at most 63)',
};
/** Service accounts: a DNS subdomain; the mTLS identity carries it whole. */
const SERVICE_ACCOUNT: NameRule = { ...WORKLOAD, maxLength: 253, what: 'a Kubernetes service account name' };
type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  constructor(
    private readonly problems: string[],
    private readonly path: string,
    private readonly raw: Raw
  ) {}

  number(key: string, options: { min?: number; max?: number; fallback?: number; integer?: boolean } = {}): number {
    const value = this.raw[key] ?? options.fallback;
    const where = `${this.path}.${key}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problems.push(
        `${where} must be a number${value === undefined ? ' (missing)' : `, got ${JSON.stringify(value)}`}`
      );
      return options.fallback ?? 0;
    }
    if (options.integer && !Number.isInteger(value)) {
      this.problems.push(`${where} must be a whole number, got ${value}`);
    }
    if (options.min !== undefined && value < options.min) {
      this.problems.push(`${where} must be at least ${options.min}, got ${value}`);
    }
    if (options.max !== undefined && value > options.max) {
      this.problems.push(`${where} must be at most ${options.max}, got ${value}`);
    }
    return value;
  }

  string(key: string, options: { fallback?: string; rule?: NameRule } = {}): string {
    const value = this.raw[key] ?? options.fallback;
    const where = `${this.path}.${key}`;
    if (typeof value !== 'string' || value === '') {
      this.problems.push(`${where} must be a non-empty string`);
      return '';
    }
    const { rule } = options;
    if (rule && (!rule.pattern.test(value) || value.length > rule.maxLength)) {
      this.problems.push(`${where} "${value}" must be ${rule.what}`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw[key] ?? fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${this.path}.${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value as T;
  }
}

function readGrpcFailures(raw: unknown, path: string, problems: string[]): GrpcFailureSpec {
  const g = isObject(raw) ? raw : {};
  const rate = new Reader(problems, path, g).number('rate', { min: 0, max: 1 });
  const entries = Object.entries(isObject(g.codes) ? g.codes : {});
  if (
    entries.length === 0 ||
    entries.some(([code, share]) => code === 'OK' || typeof share !== 'number' || share <= 0)
  ) {
    problems.push(`${path}.codes must map gRPC status names other than OK to positive shares`);
  }
  return {
    rate,
    codes: Object.fromEntries(entries.filter(([, s]) => typeof s === 'number')) as Record<string, number>,
  };
}

function readCallers(raw: unknown, path: string, problems: string[]): CallerSpec[] {
  if (!Array.isArray(raw)) {
    problems.push(`${path} must be a list`);
    return [];
  }
  const callers = raw.map((c, i) => {
    const cr = new Reader(problems, `${path}[${i}]`, isObject(c) ? c : {});
    const caller: CallerSpec = {
      workload: cr.string('workload', { rule: WORKLOAD }),
      share: cr.number('share', { min: 0, max: 1 }),
      latencyMs: cr.number('latencyMs', { min: 0, fallback: 0.3 }),
      failureRate: cr.number('failureRate', { min: 0, max: 1, fallback: 0 }),
    };
    if (caller.failureRate === 1) {
      // The callee's rps counts what gets through; the caller sends rps × share / (1 − failureRate).
      problems.push(`${path}[${i}].failureRate must be below 1: the callee's rps counts the requests that get through`);
    }
    if (isObject(c) && c.namespace !== undefined) {
      caller.namespace = cr.string('namespace', { rule: NAMESPACE });
    }
    return caller;
  });
  const total = callers.reduce((sum, c) => sum + c.share, 0);
  if (total > 1 + 1e-9) {
    problems.push(`${path} shares add up to ${total}, more than 1`);
  }
  return callers;
}

function readService(raw: unknown, path: string, problems: string[]): ServiceSpec | undefined {
  if (!isObject(raw)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const r = new Reader(problems, path, raw);
  const protocol = r.oneOf('protocol', ['http', 'grpc'] as const, 'http');
  const latency = isObject(raw.appLatencyMs) ? raw.appLatencyMs : {};
  const lr = new Reader(problems, `${path}.appLatencyMs`, latency);
  const median = lr.number('median', { min: 0.001 });
  const p95 = lr.number('p95', { min: 0.001 });
  if (isObject(raw.appLatencyMs) && p95 <= median) {
    problems.push(`${path}.appLatencyMs.p95 (${p95}) must be greater than its median (${median})`);
  }
  const layersRaw = raw.layers ?? ['mesh', 'app'];
  const layers = Array.isArray(layersRaw) ? layersRaw.filter((l): l is Layer => l === 'mesh' || l === 'app') : [];
  if (!Array.isArray(layersRaw) || layers.length === 0 || layers.length !== layersRaw.length) {
    problems.push(`${path}.layers must list "mesh", "app" or both`);
  }
  const service: ServiceSpec = {
    namespace: r.string('namespace', { rule: NAMESPACE }),
    // A service the app reports alone is named by its service.name, which may be any text; meshed ones are workloads.
    name: r.string('name', { rule: layers.includes('mesh') ? WORKLOAD : undefined }),
    protocol,
    rps: r.number('rps', { min: 0 }),
    appLatencyMs: { median, p95 },
    boundaryLatencyMs: r.number('boundaryLatencyMs', { min: 0, fallback: 0.5 }),
    httpErrorRate: r.number('httpErrorRate', { min: 0, max: 1, fallback: 0 }),
    boundaryFailureRate: r.number('boundaryFailureRate', { min: 0, max: 1, fallback: 0 }),
    unmeshedRps: r.number('unmeshedRps', { min: 0, fallback: 0 }),
    layers,
    callers: [],
    kind: r.oneOf('kind', WORKLOAD_KINDS, 'deployment'),
    pods: r.number('pods', { min: 1, max: 50, fallback: 2, integer: true }),
    serviceAccount: '',
    grpcRoute: raw.grpcRoute === true,
  };
  service.serviceAccount =
    raw.serviceAccount === undefined ? service.name : r.string('serviceAccount', { rule: SERVICE_ACCOUNT });
  if (raw.grpcRoute !== undefined && typeof raw.grpcRoute !== 'boolean') {
    problems.push(`${path}.grpcRoute must be true or false`);
  }
  if (raw.appServiceName !== undefined) {
    service.appServiceName = r.string('appServiceName');
  }
  if (raw.restartAtMinute !== undefined) {
    service.restartAtMinute = r.number('restartAtMinute', { min: 0 });
  }
  if (raw.grpcFailures !== undefined) {
    if (protocol !== 'grpc') {
      problems.push(`${path}.grpcFailures applies to gRPC services only (protocol is "${protocol}")`);
    }
    service.grpcFailures = readGrpcFailures(raw.grpcFailures, `${path}.grpcFailures`, problems);
  }
  if (protocol === 'grpc' && service.httpErrorRate > 0) {
    problems.push(`${path}.httpErrorRate applies to HTTP services; describe gRPC failures with grpcFailures`);
  }
  if (service.httpErrorRate + (service.grpcFailures?.rate ?? 0) > 1) {
    problems.push(`${path}: error rates add up to more than 1`);
  }
  service.callers = readCallers(raw.callers ?? [], `${path}.callers`, problems);
  return service;
}

/** Validates a parsed scenario file and returns it with defaults filled, or throws a ScenarioError listing every problem. */
export function parseScenario(input: unknown): Scenario {
  const problems: string[] = [];
  if (!isObject(input)) {
    throw new ScenarioError(['the scenario must be a JSON object']);
  }
  const r = new Reader(problems, 'scenario', input);
  const scenario: Scenario = {
    name: r.string('name'),
    seed: r.number('seed', { integer: true, min: 0 }),
    scrapeIntervalSeconds: r.number('scrapeIntervalSeconds', { min: 1, max: 300, fallback: 15 }),
    proxy: r.oneOf('proxy', Object.keys(PROXY_GENERATIONS) as ProxyGenerationId[], '2.20'),
    services: [],
  };
  if (!Array.isArray(input.services) || input.services.length === 0) {
    problems.push('scenario.services must be a non-empty list');
  } else {
    scenario.services = input.services
      .map((s, i) => readService(s, `services[${i}]`, problems))
      .filter((s): s is ServiceSpec => s !== undefined);
  }
  const seen = new Set<string>();
  for (const s of scenario.services) {
    const key = `${s.namespace}/${s.name}`;
    if (seen.has(key)) {
      problems.push(`service ${key} is declared twice`);
    }
    seen.add(key);
  }
  if (input.changes !== undefined) {
    scenario.changes = readChanges(input.changes, input.services, scenario.services, problems);
  }
  if (problems.length > 0) {
    throw new ScenarioError(problems);
  }
  return scenario;
}

/**
 * Each change is checked as the service it makes: its fields on top of the service's (and of its earlier changes)
 * go through the same validation, so a change cannot make a service the file format would refuse.
 */
function readChanges(
  raw: unknown,
  rawServices: unknown,
  services: ServiceSpec[],
  problems: string[]
): ScenarioChange[] {
  if (!Array.isArray(raw)) {
    problems.push('scenario.changes must be a list');
    return [];
  }
  const rawByKey = new Map<string, Raw>();
  services.forEach((service, i) => {
    const rawService = Array.isArray(rawServices) ? rawServices[i] : undefined;
    if (isObject(rawService)) {
      rawByKey.set(`${service.namespace}/${service.name}`, rawService);
    }
  });
  const read = raw.map((c, i) => ({ index: i, raw: isObject(c) ? c : {} }));
  const minutes = (c: Raw) => (typeof c.minutesBeforeEnd === 'number' ? c.minutesBeforeEnd : 0);
  // Applied in time order: a later change builds on an earlier one of the same service.
  read.sort((a, b) => minutes(b.raw) - minutes(a.raw) || a.index - b.index);
  const changes: ScenarioChange[] = [];
  for (const { index, raw: change } of read) {
    const path = `changes[${index}]`;
    const r = new Reader(problems, path, change);
    const minutesBeforeEnd = r.number('minutesBeforeEnd', { min: 0 });
    if (minutesBeforeEnd === 0) {
      problems.push(`${path}.minutesBeforeEnd must be more than 0: a change at the end of the range is never seen`);
    }
    const key = r.string('service');
    const rawService = rawByKey.get(key);
    if (key && !rawService) {
      problems.push(`${path}.service "${key}" is not a service of the scenario (namespace/name)`);
    }
    const set = isObject(change.set) ? change.set : undefined;
    const unknown = Object.keys(set ?? {}).filter((field) => !(CHANGEABLE_FIELDS as readonly string[]).includes(field));
    if (!set || Object.keys(set).length === 0 || unknown.length > 0) {
      problems.push(
        `${path}.set must set some of ${CHANGEABLE_FIELDS.join(', ')}${unknown.length > 0 ? `, not ${unknown.join(', ')}` : ''}`
      );
      continue;
    }
    if (!rawService) {
      continue;
    }
    const merged = { ...rawService, ...set };
    const changed = readService(merged, `${path}.set`, problems);
    rawByKey.set(key, merged);
    if (changed) {
      const fields = Object.keys(set) as ChangeableField[];
      changes.push({
        minutesBeforeEnd,
        service: key,
        set: Object.fromEntries(fields.map((field) => [field, changed[field]])) as ServiceChange,
      });
    }
  }
  return changes;
}
