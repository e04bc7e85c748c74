import {
  callerSideAddsMs,
  identityLabel,
  type CallerMatch,
  type Edge,
  type SideFigures,
  type WorkloadRef,
} from '../../../boundary/edges';
import { serviceKey } from '../../../boundary/types';
import type { ServiceRef } from '../../../query/serviceQueries';

/** One row of the callers or callees table: a peer with both proxies' counts of the requests between them. */
export interface PeerRow {
  key: string;
  /** Workloads where the outbound series name them, the identity otherwise. */
  label: string;
  /** The peer workloads, each with a drill-down. */
  workloads: WorkloadRef[];
  /** The callers' proxies' count. */
  callerSide?: SideFigures;
  /** The callee's proxy's count. */
  calleeSide?: SideFigures;
  /** Time the callers' side adds on average (callers' mean − callee's), when both counts cover the same requests. */
  callerSideAddsMs?: number;
  /** How the two counts were tied together, or why they could not be. */
  pairing: string;
}

const PAIRING: Record<CallerMatch, string> = {
  'service-account': 'by service account',
  'only-identity': 'the only identity from its namespace',
  'only-candidate': 'the only caller left unpaired in its namespace',
  unpaired: '',
};

const sameWorkload = (a: WorkloadRef, b: ServiceRef) => a.namespace === b.namespace && a.workload === b.workload;

function unpairedReason(edge: Edge): string {
  if (edge.identity === '') {
    return 'no identity: from outside the mesh';
  }
  return edge.callers.length > 0
    ? 'its identity cannot be told from the metrics'
    : 'its workload cannot be told from the metrics';
}

const busiestFirst = (a: PeerRow, b: PeerRow) =>
  (b.calleeSide?.rps ?? b.callerSide?.rps ?? 0) - (a.calleeSide?.rps ?? a.callerSide?.rps ?? 0) ||
  a.label.localeCompare(b.label);

/** Who calls the service: one row per caller identity (its workloads where known), and one per unpaired side. */
export function callerRows(edges: Edge[], service: ServiceRef): PeerRow[] {
  return edges
    .filter((edge) => sameWorkload(edge.callee, service))
    .map((edge): PeerRow => {
      const workloads = edge.callers.map((c) => c.ref);
      return {
        key: edge.id,
        label:
          workloads.length > 0
            ? workloads.map((w) => serviceKey(w.namespace, w.workload)).join(', ')
            : identityLabel(edge.identity),
        workloads,
        callerSide: edge.callerSide,
        calleeSide: edge.calleeSide,
        callerSideAddsMs: edge.match === 'unpaired' ? undefined : callerSideAddsMs(edge.callerSide, edge.calleeSide),
        pairing: edge.match === 'unpaired' ? unpairedReason(edge) : PAIRING[edge.match],
      };
    })
    .sort(busiestFirst);
}

/**
 * Whom the service calls: its own proxy's count per destination, beside the destination's count of the
 * service's identity. Where workloads share that identity the destination counted them together, so its count is
 * left out rather than set against this service's alone.
 */
export function calleeRows(edges: Edge[], service: ServiceRef): PeerRow[] {
  return edges
    .flatMap((edge) => {
      const own = edge.callers.find((c) => sameWorkload(c.ref, service));
      return own ? [{ edge, own }] : [];
    })
    .map(({ edge, own }): PeerRow => {
      const shared = edge.callers.length > 1;
      const calleeSide = shared ? undefined : edge.calleeSide;
      const others = edge.callers.filter((c) => c !== own).map((c) => serviceKey(c.ref.namespace, c.ref.workload));
      return {
        key: edge.id,
        label: serviceKey(edge.callee.namespace, edge.callee.workload),
        workloads: [edge.callee],
        callerSide: own.side,
        calleeSide,
        callerSideAddsMs: edge.match === 'unpaired' ? undefined : callerSideAddsMs(own.side, calleeSide),
        pairing: shared
          ? `its identity is shared with ${others.join(', ')}: the destination counted them together`
          : edge.match === 'unpaired'
            ? unpairedReason(edge)
            : PAIRING[edge.match],
      };
    })
    .sort(busiestFirst);
}
