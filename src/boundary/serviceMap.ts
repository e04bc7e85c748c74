import type { FlagId } from '../constants';
import { identityLabel, parseIdentity, type CallerMatch, type Edge, type SideFigures } from './edges';
import { serviceKey, type ServiceRow } from './types';

/** Traffic without an mTLS identity comes from outside the mesh: one node stands for all of it. */
export const UNIDENTIFIED_NODE = 'no mTLS identity';

/** A caller known only by its identity (its workload cannot be told from the metrics): one node per identity. */
export function identityNodeId(identity: string): string {
  return `identity:${identity}`;
}

export interface MapNode {
  id: string;
  namespace: string;
  name: string;
  /** A workload (with a drill-down), a caller known by identity only, or traffic from outside the mesh. */
  kind: 'workload' | 'identity' | 'outside';
  /** Inbound requests/s and success as the mesh saw them; undefined for callers without inbound traffic. */
  rps?: number;
  successRate?: number;
  flags: FlagId[];
}

/**
 * One caller workload's requests to one callee, as both proxies counted them. The headline figures are what the
 * caller experienced (its own proxy's count) where it is meshed, the callee's count otherwise.
 */
export interface MapEdge {
  id: string;
  source: string;
  target: string;
  rps: number;
  successRate?: number;
  p95?: number;
  /** Share of the requests the callee's proxy received over mTLS, 0–1. */
  mtlsShare?: number;
  callerSide?: SideFigures;
  calleeSide?: SideFigures;
  /** Other caller workloads counted with this one at the callee's proxy: they share its identity. */
  sharedWith: string[];
  match: CallerMatch;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

function mapEdge(source: string, target: string, edge: Edge, callerSide?: SideFigures, sharedWith: string[] = []) {
  const headline = callerSide ?? edge.calleeSide;
  return {
    id: `${source}->${target}`,
    source,
    target,
    rps: headline?.rps ?? 0,
    successRate: headline?.successRate,
    p95: headline?.p95,
    mtlsShare: edge.calleeSide?.mtlsShare,
    callerSide,
    calleeSide: edge.calleeSide,
    sharedWith,
    match: edge.match,
  };
}

/** Builds the map from the overview's rows (nodes and their flags) and the mesh's edges. */
export function buildServiceMap(rows: ServiceRow[], edges: Edge[]): ServiceMap {
  const nodes = new Map<string, MapNode>();
  for (const row of rows.filter((r) => r.mesh)) {
    nodes.set(row.key, {
      id: row.key,
      namespace: row.namespace,
      name: row.service,
      kind: 'workload',
      rps: row.mesh?.rps,
      successRate: row.mesh?.successRate,
      flags: row.flags.map((f) => f.id),
    });
  }
  const ensure = (node: MapNode) => {
    if (!nodes.has(node.id)) {
      nodes.set(node.id, node);
    }
    return node.id;
  };
  const mapEdges: MapEdge[] = [];
  for (const edge of edges) {
    const target = ensure({
      id: serviceKey(edge.callee.namespace, edge.callee.workload),
      namespace: edge.callee.namespace,
      name: edge.callee.workload,
      kind: 'workload',
      flags: [],
    });
    if (edge.callers.length > 0) {
      const keys = edge.callers.map((c) => serviceKey(c.ref.namespace, c.ref.workload));
      edge.callers.forEach((caller, i) => {
        const source = ensure({
          id: keys[i],
          namespace: caller.ref.namespace,
          name: caller.ref.workload,
          kind: 'workload',
          flags: [],
        });
        mapEdges.push(
          mapEdge(
            source,
            target,
            edge,
            caller.side,
            keys.filter((k) => k !== keys[i])
          )
        );
      });
    } else if (edge.identity === '') {
      const source = ensure({
        id: UNIDENTIFIED_NODE,
        namespace: '',
        name: UNIDENTIFIED_NODE,
        kind: 'outside',
        flags: [],
      });
      mapEdges.push(mapEdge(source, target, edge));
    } else if (edge.identity !== undefined) {
      const parsed = parseIdentity(edge.identity);
      const source = ensure({
        id: identityNodeId(edge.identity),
        namespace: parsed?.namespace ?? '',
        name: identityLabel(edge.identity),
        kind: 'identity',
        flags: [],
      });
      mapEdges.push(mapEdge(source, target, edge));
    }
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: mapEdges.sort((a, b) => a.id.localeCompare(b.id)),
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
