import type { FlagId } from '../constants';
import type { Sample } from '../query/sample';
import { MESH_LABELS, workloadOf } from '../query/schema';
import type { AppSettings } from '../settings/types';
import { responseOutcome } from './aggregate';
import { parseIdentity } from './peers';
import { serviceKey, type ServiceRow } from './types';

/** Traffic without an mTLS identity comes from outside the mesh: one node stands for all of it. */
export const UNIDENTIFIED_NODE = 'no mTLS identity';

export interface MapNode {
  id: string;
  namespace: string;
  name: string;
  /** Inbound requests/s and success as the mesh saw them; undefined for callers without inbound traffic. */
  rps?: number;
  successRate?: number;
  flags: FlagId[];
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  rps: number;
  successRate?: number;
  p95?: number;
  /** Share of the edge's requests with mTLS, 0–1. */
  mtlsShare?: number;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

function callee(labels: Record<string, string>, settings: AppSettings): string | undefined {
  const { namespace, workload } = workloadOf(labels, MESH_LABELS[settings.labelSchema]);
  return workload ? serviceKey(namespace, workload) : undefined;
}

/** The caller's node id: its identity's service account and namespace (Linkerd names identities that way). */
function caller(labels: Record<string, string>): string {
  const identity = labels.client_id ? parseIdentity(labels.client_id) : undefined;
  if (identity) {
    return serviceKey(identity.namespace, identity.workload);
  }
  return labels.client_id || UNIDENTIFIED_NODE;
}

interface EdgeTally {
  total: number;
  success: number;
  tls: number;
}

/** Builds the map from the overview's rows (nodes and their flags) and the two edge queries. */
export function buildServiceMap(
  rows: ServiceRow[],
  responses: Sample[],
  latency: Sample[],
  settings: AppSettings
): ServiceMap {
  const nodes = new Map<string, MapNode>();
  for (const row of rows.filter((r) => r.mesh)) {
    nodes.set(row.key, {
      id: row.key,
      namespace: row.namespace,
      name: row.service,
      rps: row.mesh?.rps,
      successRate: row.mesh?.successRate,
      flags: row.flags.map((f) => f.id),
    });
  }
  const failureCodes = new Set(settings.grpcFailureCodes);
  const tallies = new Map<string, EdgeTally & { source: string; target: string }>();
  for (const { labels, value } of responses) {
    const target = callee(labels, settings);
    if (!target || !Number.isFinite(value) || value < 0) {
      continue;
    }
    const source = caller(labels);
    const id = `${source}->${target}`;
    const tally = tallies.get(id) ?? { source, target, total: 0, success: 0, tls: 0 };
    tally.total += value;
    tally.success += responseOutcome(labels, failureCodes).failed ? 0 : value;
    tally.tls += labels.tls === 'true' ? value : 0;
    tallies.set(id, tally);
  }
  const p95 = new Map<string, number>();
  for (const { labels, value } of latency) {
    const target = callee(labels, settings);
    if (target && Number.isFinite(value)) {
      p95.set(`${caller(labels)}->${target}`, value);
    }
  }
  const edges: MapEdge[] = [];
  for (const [id, t] of tallies) {
    for (const end of [t.source, t.target]) {
      if (!nodes.has(end)) {
        const [namespace, name] = end.includes('/') ? end.split('/', 2) : ['', end];
        nodes.set(end, { id: end, namespace, name, flags: [] });
      }
    }
    edges.push({
      id,
      source: t.source,
      target: t.target,
      rps: t.total,
      successRate: t.total > 0 ? t.success / t.total : undefined,
      p95: t.total > 0 ? p95.get(id) : undefined,
      mtlsShare: t.total > 0 ? t.tls / t.total : undefined,
    });
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: edges.sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/** Which nodes a focused map keeps: every flagged service, or those with one flag kind, and their direct peers. */
export type MapFocus = 'flagged' | FlagId;

export interface MapFilter {
  namespace?: string;
  focus?: MapFocus;
}

/**
 * Keeps a large mesh readable: a namespace (and its peers), or the focused services and their direct peers: the
 * nodes one edge away, never peers of peers.
 */
export function filterServiceMap(map: ServiceMap, filter: MapFilter): ServiceMap {
  let edges = map.edges;
  let keep: Set<string> | undefined;
  if (filter.namespace) {
    const inNamespace = new Set(map.nodes.filter((n) => n.namespace === filter.namespace).map((n) => n.id));
    edges = edges.filter((e) => inNamespace.has(e.source) || inNamespace.has(e.target));
    keep = new Set([...inNamespace, ...edges.flatMap((e) => [e.source, e.target])]);
  }
  const focus = filter.focus;
  if (focus) {
    const focused = new Set(
      map.nodes
        .filter((n) => (focus === 'flagged' ? n.flags.length > 0 : n.flags.includes(focus)))
        .filter((n) => !keep || keep.has(n.id))
        .map((n) => n.id)
    );
    edges = edges.filter((e) => focused.has(e.source) || focused.has(e.target));
    keep = new Set([...focused, ...edges.flatMap((e) => [e.source, e.target])]);
  }
  return keep ? { nodes: map.nodes.filter((n) => keep!.has(n.id)), edges } : map;
}
