import { MEAN, PRESENCE_LABEL } from '../query/overviewQueries';
import { grpcStatusName, parseGrpcStatus } from '../query/grpcStatus';
import type { Sample } from '../query/sample';
import {
  APP_FAMILIES,
  appLabels,
  DESTINATION_LABELS,
  MESH_LABELS,
  workloadOf,
  type WorkloadKind,
} from '../query/schema';
import type { AppSettings } from '../settings/types';
import { toMilliseconds } from './units';
import {
  serviceKey,
  type AppFigures,
  type AppProtocol,
  type LatencyFigures,
  type MeshFigures,
  type OutcomeFigures,
} from './types';

export interface MeshService {
  namespace: string;
  workload: string;
  kind?: WorkloadKind;
  figures: MeshFigures;
}

export interface AppService {
  /** Namespace from the app's labels; empty when the app does not report one. */
  namespace: string;
  service: string;
  figures: AppFigures;
}

function appIdentity(labels: Record<string, string>, settings: AppSettings): { namespace: string; service: string } {
  const schema = appLabels(settings.appServiceLabel);
  const raw = labels[schema.service] ?? '';
  if (settings.appServiceLabel === 'job') {
    // OTel sets job to `service.namespace/service.name`, or to the bare name without a namespace.
    const slash = raw.lastIndexOf('/');
    return slash >= 0
      ? { namespace: raw.slice(0, slash), service: raw.slice(slash + 1) }
      : { namespace: '', service: raw };
  }
  const namespace = schema.namespaces.map((name) => labels[name]).find(Boolean) ?? '';
  return { namespace, service: raw };
}

/** Only finite, non-negative rates count: NaN from zero traffic or a broken series is no data. */
function usable(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function ratio(part: number, total: number): number | undefined {
  return total > 0 ? part / total : undefined;
}

type LatencyFigure = 'p50' | 'p95' | 'p99' | 'mean';

const QUANTILE_KEYS: Record<string, LatencyFigure> = {
  '0.5': 'p50',
  '0.95': 'p95',
  '0.99': 'p99',
  [MEAN]: 'mean',
};

/** Reads `quantile`-tagged samples into per-key latency figures, converted to milliseconds. */
function readLatency(
  samples: Sample[],
  keyOf: (labels: Record<string, string>) => string | undefined,
  unit: 's' | 'ms'
): Map<string, LatencyFigures> {
  const byKey = new Map<string, LatencyFigures>();
  for (const { labels, value } of samples) {
    const key = keyOf(labels);
    const field = QUANTILE_KEYS[labels.quantile];
    if (!key || !field || !Number.isFinite(value)) {
      continue;
    }
    const figures = byKey.get(key) ?? {};
    figures[field] = toMilliseconds(value, unit);
    byKey.set(key, figures);
  }
  return byKey;
}

/** What one `response_total` series says about its responses, under the configured gRPC failure codes. */
export interface ResponseOutcome {
  failed: boolean;
  /** The response carried a gRPC status. */
  grpc: boolean;
  /** A configured gRPC failure behind HTTP 200: the code's name; undefined otherwise. */
  trapCode?: string;
  httpError: boolean;
}

/**
 * Linkerd writes `grpc_status` as a number (current proxies), as an English description (v2.194–v2.210) or
 * empty when it classified the response as HTTP. Where a gRPC status is present the configured codes decide,
 * so both layers count the same failures; otherwise the proxy's own `classification` does (HTTP 5xx, stream
 * errors with an `error` label).
 */
export function responseOutcome(labels: Record<string, string>, failureCodes: ReadonlySet<number>): ResponseOutcome {
  const raw = labels.grpc_status ?? '';
  const code = parseGrpcStatus(raw);
  const failed = code !== undefined ? failureCodes.has(code) : labels.classification === 'failure';
  const behind200 = labels.status_code === '200';
  let trapCode: string | undefined;
  if (failed && behind200 && raw !== '') {
    trapCode = code !== undefined ? grpcStatusName(code) : raw;
  }
  return { failed, grpc: raw !== '', trapCode, httpError: Number(labels.status_code) >= 500 };
}

class OutcomeTally {
  total = 0;
  success = 0;
  httpErrors = 0;
  grpc = 0;
  readonly trap = new Map<string, number>();

  add(outcome: ResponseOutcome, value: number) {
    this.total += value;
    this.success += outcome.failed ? 0 : value;
    this.httpErrors += outcome.httpError ? value : 0;
    this.grpc += outcome.grpc ? value : 0;
    if (outcome.trapCode !== undefined) {
      this.trap.set(outcome.trapCode, (this.trap.get(outcome.trapCode) ?? 0) + value);
    }
  }

  figures(): OutcomeFigures {
    const trapTotal = [...this.trap.values()].reduce((sum, v) => sum + v, 0);
    const hasTraffic = this.total > 0;
    return {
      rps: this.total,
      successRate: ratio(this.success, this.total),
      grpcTrapShare: ratio(trapTotal, this.total),
      grpcTrapCodes: hasTraffic
        ? [...this.trap.entries()]
            .filter(([, v]) => v > 0)
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([code, v]) => ({ code, share: v / this.total }))
        : [],
      httpErrorShare: ratio(this.httpErrors, this.total),
      grpcShare: ratio(this.grpc, this.total),
    };
  }
}

interface Workload {
  namespace: string;
  workload: string;
  kind?: WorkloadKind;
}

/** Sums outcome samples per workload, the workload read from `labels` by `identify`. */
function tallyOutcomes(
  samples: Sample[],
  identify: (labels: Record<string, string>) => Workload,
  failureCodes: ReadonlySet<number>
): Map<string, { workload: Workload; tally: OutcomeTally }> {
  const tallies = new Map<string, { workload: Workload; tally: OutcomeTally }>();
  for (const { labels, value } of samples) {
    const workload = identify(labels);
    if (!workload.workload || !usable(value)) {
      continue;
    }
    const key = serviceKey(workload.namespace, workload.workload);
    const entry = tallies.get(key) ?? { workload, tally: new OutcomeTally() };
    entry.tally.add(responseOutcome(labels, failureCodes), value);
    tallies.set(key, entry);
  }
  return tallies;
}

/**
 * The mesh layer per workload: the callee's proxy's inbound responses and latency, and the callers' proxies'
 * outbound responses to it. The trap is read from the callee's proxy where it recorded gRPC statuses, and from
 * the callers' proxies where only they did.
 */
export function aggregateMesh(
  responses: Sample[],
  latency: Sample[],
  callers: Sample[],
  settings: AppSettings
): Map<string, MeshService> {
  const schema = MESH_LABELS[settings.labelSchema];
  const failureCodes = new Set(settings.grpcFailureCodes);
  const traffic = responses.filter((s) => !s.labels[PRESENCE_LABEL]);
  const inbound = tallyOutcomes(traffic, (labels) => workloadOf(labels, schema), failureCodes);
  // A proxy that answered only its admin port: meshed, without service traffic in the window.
  for (const { labels } of responses.filter((s) => s.labels[PRESENCE_LABEL])) {
    const workload = workloadOf(labels, schema);
    const key = serviceKey(workload.namespace, workload.workload);
    if (workload.workload && !inbound.has(key)) {
      inbound.set(key, { workload, tally: new OutcomeTally() });
    }
  }
  const outbound = tallyOutcomes(callers, (labels) => workloadOf(labels, DESTINATION_LABELS), failureCodes);
  const latencies = readLatency(
    latency,
    (labels) => {
      const { namespace, workload } = workloadOf(labels, schema);
      return workload ? serviceKey(namespace, workload) : undefined;
    },
    'ms'
  );

  const services = new Map<string, MeshService>();
  for (const [key, { workload, tally }] of inbound) {
    const callee = tally.figures();
    const callerView = outbound.get(key)?.tally.figures();
    const figures: MeshFigures = {
      ...callee,
      latency: tally.total > 0 ? (latencies.get(key) ?? {}) : {},
      callers: callerView,
    };
    if (callee.grpcShare) {
      figures.trapEvidence = 'callee';
    } else if (callerView?.grpcShare) {
      figures.trapEvidence = 'callers';
      figures.grpcTrapShare = callerView.grpcTrapShare;
      figures.grpcTrapCodes = callerView.grpcTrapCodes;
    }
    services.set(key, { ...workload, figures });
  }
  return services;
}

interface AppCounts {
  namespace: string;
  service: string;
  total: number;
  errors: number;
  httpTotal: number;
  httpErrors: number;
  protocols: Set<AppProtocol>;
}

export function aggregateApp(requests: Sample[], latency: Sample[], settings: AppSettings): Map<string, AppService> {
  const { http, rpc } = APP_FAMILIES[settings.semconv];
  const failureCodes = new Set(settings.grpcFailureCodes);
  const counts = new Map<string, AppCounts>();
  for (const { labels, value } of requests) {
    const { namespace, service } = appIdentity(labels, settings);
    if (!service || !usable(value)) {
      continue;
    }
    const key = serviceKey(namespace, service);
    const entry = counts.get(key) ?? {
      namespace,
      service,
      total: 0,
      errors: 0,
      httpTotal: 0,
      httpErrors: 0,
      protocols: new Set<AppProtocol>(),
    };
    entry.total += value;
    const rpcStatus = labels[rpc.statusLabel];
    if (rpcStatus !== undefined) {
      entry.protocols.add('rpc');
      const code = parseGrpcStatus(rpcStatus);
      if (code !== undefined && failureCodes.has(code)) {
        entry.errors += value;
      }
    } else {
      entry.protocols.add('http');
      entry.httpTotal += value;
      if (Number(labels[http.statusLabel]) >= 500) {
        entry.errors += value;
        entry.httpErrors += value;
      }
    }
    counts.set(key, entry);
  }

  const latencies = readLatency(
    latency,
    (labels) => {
      const { namespace, service } = appIdentity(labels, settings);
      return service ? serviceKey(namespace, service) : undefined;
    },
    http.unit
  );

  const services = new Map<string, AppService>();
  for (const [key, entry] of counts) {
    services.set(key, {
      namespace: entry.namespace,
      service: entry.service,
      figures: {
        rps: entry.total,
        successRate: entry.total > 0 ? 1 - entry.errors / entry.total : undefined,
        latency: entry.total > 0 ? (latencies.get(key) ?? {}) : {},
        protocols: [...entry.protocols].sort(),
        httpErrorShare: ratio(entry.httpErrors, entry.httpTotal),
      },
    });
  }
  return services;
}
