import { APP_FAMILIES, appLabels, MESH_LABELS } from '../query/schema';
import type { AppSettings } from '../settings/types';
import { grpcStatusName, isGrpcError } from './grpc';
import { toMilliseconds } from './units';
import {
  serviceKey,
  type AppFigures,
  type AppProtocol,
  type LatencyFigures,
  type MeshFigures,
  type Sample,
} from './types';

export interface MeshService {
  namespace: string;
  workload: string;
  figures: MeshFigures;
}

export interface AppService {
  /** Namespace from the app's labels; empty when the app does not report one. */
  namespace: string;
  service: string;
  figures: AppFigures;
}

function meshIdentity(labels: Record<string, string>, settings: AppSettings): { namespace: string; workload: string } {
  const schema = MESH_LABELS[settings.labelSchema];
  const workload = schema.workloads.map((name) => labels[name]).find(Boolean) ?? '';
  return { namespace: labels[schema.namespace] ?? '', workload };
}

function appIdentity(labels: Record<string, string>, settings: AppSettings): { namespace: string; service: string } {
  const schema = appLabels(settings.appServiceLabel);
  const raw = labels[schema.service] ?? '';
  if (settings.appServiceLabel === 'job') {
    // OTel sets job to `service.namespace/service.name`.
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

/** Reads `quantile`-tagged samples into per-key latency figures, converted to milliseconds. */
function readQuantiles(
  samples: Sample[],
  keyOf: (labels: Record<string, string>) => string | undefined,
  unit: 's' | 'ms'
): Map<string, LatencyFigures> {
  const byKey = new Map<string, LatencyFigures>();
  for (const { labels, value } of samples) {
    const key = keyOf(labels);
    if (!key || !Number.isFinite(value)) {
      continue;
    }
    const figures = byKey.get(key) ?? {};
    const ms = toMilliseconds(value, unit);
    switch (labels.quantile) {
      case '0.5':
        figures.p50 = ms;
        break;
      case '0.95':
        figures.p95 = ms;
        break;
      case '0.99':
        figures.p99 = ms;
        break;
    }
    byKey.set(key, figures);
  }
  return byKey;
}

interface MeshCounts {
  namespace: string;
  workload: string;
  total: number;
  success: number;
  httpErrors: number;
  trap: Map<string, number>;
}

export function aggregateMesh(responses: Sample[], latency: Sample[], settings: AppSettings): Map<string, MeshService> {
  const counts = new Map<string, MeshCounts>();
  for (const { labels, value } of responses) {
    const { namespace, workload } = meshIdentity(labels, settings);
    if (!workload || !usable(value)) {
      continue;
    }
    const key = serviceKey(namespace, workload);
    const entry = counts.get(key) ?? { namespace, workload, total: 0, success: 0, httpErrors: 0, trap: new Map() };
    entry.total += value;
    if (labels.classification === 'success') {
      entry.success += value;
    }
    const status = Number(labels.status_code);
    if (status >= 500) {
      entry.httpErrors += value;
    }
    if (labels.classification === 'failure' && labels.status_code === '200') {
      const code = grpcStatusName(labels.grpc_status ?? labels.error ?? '');
      entry.trap.set(code, (entry.trap.get(code) ?? 0) + value);
    }
    counts.set(key, entry);
  }

  const latencies = readQuantiles(
    latency,
    (labels) => {
      const { namespace, workload } = meshIdentity(labels, settings);
      return workload ? serviceKey(namespace, workload) : undefined;
    },
    'ms'
  );

  const services = new Map<string, MeshService>();
  for (const [key, entry] of counts) {
    const trapTotal = [...entry.trap.values()].reduce((sum, v) => sum + v, 0);
    const trapCodes = [...entry.trap.entries()]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([code, v]) => ({ code, share: v / entry.total }));
    services.set(key, {
      namespace: entry.namespace,
      workload: entry.workload,
      figures: {
        rps: entry.total,
        successRate: ratio(entry.success, entry.total),
        latency: entry.total > 0 ? (latencies.get(key) ?? {}) : {},
        grpcTrapShare: ratio(trapTotal, entry.total),
        grpcTrapCodes: entry.total > 0 ? trapCodes : [],
        httpErrorShare: ratio(entry.httpErrors, entry.total),
      },
    });
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
      if (isGrpcError(rpcStatus)) {
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

  const latencies = readQuantiles(
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
