import type { Sample } from '../query/sample';
import { DESTINATION_LABELS, workloadOf, type WorkloadKind } from '../query/schema';
import { responseOutcome } from './aggregate';

/** One peer of a service: a caller (by mTLS identity) or a callee (by destination workload). */
export interface PeerRow {
  /** What the mesh calls the peer: the caller's identity, or `namespace/workload` of the callee. */
  label: string;
  /** The peer's workload, when the mesh names one: the target of its drill-down link. */
  peer?: { namespace: string; workload: string; kind?: WorkloadKind };
  rps: number;
  successRate?: number;
  /** Share of the traffic with mTLS (tls="true"), 0–1. */
  mtlsShare?: number;
}

const IDENTITY = /^([^.]+)\.([^.]+)\.serviceaccount\.identity\./;

/** `web.shop.serviceaccount.identity.linkerd.cluster.local` → service account `web` in `shop`. */
export function parseIdentity(identity: string): { namespace: string; workload: string } | undefined {
  const match = IDENTITY.exec(identity);
  return match ? { namespace: match[2], workload: match[1] } : undefined;
}

interface Tally {
  row: PeerRow;
  total: number;
  success: number;
  tls: number;
}

function summarise(
  samples: Sample[],
  failureCodes: number[],
  keyOf: (labels: Record<string, string>) => Omit<PeerRow, 'rps'>
): PeerRow[] {
  const codes = new Set(failureCodes);
  const tallies = new Map<string, Tally>();
  for (const { labels, value } of samples) {
    if (!Number.isFinite(value) || value < 0) {
      continue;
    }
    const base = keyOf(labels);
    const tally = tallies.get(base.label) ?? { row: { ...base, rps: 0 }, total: 0, success: 0, tls: 0 };
    tally.total += value;
    tally.success += responseOutcome(labels, codes).failed ? 0 : value;
    tally.tls += labels.tls === 'true' ? value : 0;
    tallies.set(base.label, tally);
  }
  return [...tallies.values()]
    .map(({ row, total, success, tls }) => ({
      ...row,
      rps: total,
      successRate: total > 0 ? success / total : undefined,
      mtlsShare: total > 0 ? tls / total : undefined,
    }))
    .sort((a, b) => b.rps - a.rps || a.label.localeCompare(b.label));
}

/** Inbound traffic by caller identity; traffic without identity is one row of its own. */
export function summariseCallers(samples: Sample[], failureCodes: number[]): PeerRow[] {
  return summarise(samples, failureCodes, (labels) => {
    const identity = labels.client_id;
    if (!identity) {
      return { label: 'no mTLS identity' };
    }
    return { label: identity, peer: parseIdentity(identity) };
  });
}

/** Outbound traffic by destination workload. */
export function summariseCallees(samples: Sample[], failureCodes: number[]): PeerRow[] {
  return summarise(samples, failureCodes, (labels) => {
    const { namespace, workload, kind } = workloadOf(labels, DESTINATION_LABELS);
    if (!workload) {
      return { label: 'unknown destination' };
    }
    return { label: `${namespace}/${workload}`, peer: { namespace, workload, kind } };
  });
}
