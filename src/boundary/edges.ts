/**
 * Every mesh edge seen from both ends. The callee's proxy counts a request when it arrives and names the caller by
 * its mTLS identity (`client_id`, a service account); the caller's proxy counts it when it leaves and names both
 * workloads. What lies between the two counts is the caller's side of the boundary: network, the caller's proxy,
 * its retries, and the requests the caller's proxy failed before they left.
 *
 * Identities name service accounts, not workloads, and the metrics name a workload's service account only where
 * the workload is a destination (`dst_serviceaccount` on its callers' outbound series). Linkerd Viz asks the
 * Kubernetes API instead (linkerd2 `viz/metrics-api/edges.go`, `getPodIdentity`); Mesh Lens has only the metrics,
 * so it pairs an identity with caller workloads only where the metrics prove it, and otherwise shows each side on
 * its own row.
 */
import type { Sample } from '../query/sample';
import { MEAN } from '../query/overviewQueries';
import { EDGE_QUANTILE, type EdgeRefId } from '../query/edgeQueries';
import { DESTINATION_LABELS, MESH_LABELS, workloadOf, type WorkloadKind } from '../query/schema';
import type { AppSettings } from '../settings/types';
import { responseOutcome } from './aggregate';
import { serviceKey } from './types';

export type EdgeResults = Record<EdgeRefId, Sample[]>;

export interface WorkloadRef {
  namespace: string;
  workload: string;
  kind?: WorkloadKind;
}

/** What one end of an edge counted. */
export interface SideFigures {
  rps: number;
  failedRps: number;
  successRate?: number;
  /** ms, interpolated inside a bucket. */
  p95?: number;
  /** ms, from `_sum` / `_count` (whole milliseconds per request, as the proxy adds them). */
  mean?: number;
  /** At the callee's proxy only: share of requests that came over mTLS, 0–1. */
  mtlsShare?: number;
}

/**
 * How the caller workloads of an edge were tied to the identity the callee's proxy saw:
 * - `service-account`: each workload's service account is in the metrics and is the identity's;
 * - `only-identity`: the identity is the only one from the workloads' namespace, so every caller there used it;
 * - `only-candidate`: one identity and one workload of unknown service account are left in the namespace;
 * - `unpaired`: the metrics cannot tell; the edge shows one side only.
 */
export type CallerMatch = 'service-account' | 'only-identity' | 'only-candidate' | 'unpaired';

/** One caller workload's own count of its requests to the callee. */
export interface CallerCount {
  ref: WorkloadRef;
  side: SideFigures;
}

export interface Edge {
  id: string;
  callee: WorkloadRef;
  /** The caller workloads, as their own proxies name them, each with its count; empty when only the identity is known. */
  callers: CallerCount[];
  /** The identity the callee's proxy saw; '' for requests without one; undefined when unknown (caller side only). */
  identity?: string;
  match: CallerMatch;
  /** The callers' proxies' count (outbound), summed over `callers`. */
  callerSide?: SideFigures;
  /** The callee's proxy's count (inbound) for `identity`. */
  calleeSide?: SideFigures;
}

/** The identity's service account and namespace (`<sa>.<ns>.serviceaccount.identity.<…>`). */
export function parseIdentity(identity: string): { namespace: string; serviceAccount: string } | undefined {
  // A service account may have dots (a DNS subdomain); a namespace has none (a DNS label): the namespace is the last
  // label before `.serviceaccount.identity.`, the service account everything before it.
  const match = /^(.+)\.([^.]+)\.serviceaccount\.identity\./.exec(identity);
  return match ? { namespace: match[2], serviceAccount: match[1] } : undefined;
}

/** How an identity reads on a page: its service account and namespace, or what is missing. */
export function identityLabel(identity: string | undefined): string {
  if (identity === '') {
    return 'no mTLS identity';
  }
  const parsed = identity ? parseIdentity(identity) : undefined;
  return parsed ? `service account ${parsed.serviceAccount} in ${parsed.namespace}` : (identity ?? 'unknown identity');
}

interface Tally {
  total: number;
  failed: number;
  tls: number;
}

function refKey(ref: WorkloadRef): string {
  return serviceKey(ref.namespace, ref.workload);
}

function figures(tally: Tally | undefined, latency: { p95?: number; mean?: number } | undefined): SideFigures {
  const total = tally?.total ?? 0;
  return {
    rps: total,
    failedRps: tally?.failed ?? 0,
    successRate: total > 0 ? 1 - (tally?.failed ?? 0) / total : undefined,
    p95: total > 0 ? latency?.p95 : undefined,
    mean: total > 0 ? latency?.mean : undefined,
  };
}

/** Adds counts per key; non-finite or negative values (a broken series) count as nothing. */
function tallyBy(samples: Sample[], keyOf: (labels: Record<string, string>) => string | undefined, codes: Set<number>) {
  const tallies = new Map<string, Tally>();
  for (const { labels, value } of samples) {
    const key = keyOf(labels);
    if (key === undefined || !Number.isFinite(value) || value < 0) {
      continue;
    }
    const tally = tallies.get(key) ?? { total: 0, failed: 0, tls: 0 };
    tally.total += value;
    tally.failed += responseOutcome(labels, codes).failed ? value : 0;
    tally.tls += labels.tls === 'true' ? value : 0;
    tallies.set(key, tally);
  }
  return tallies;
}

function latencyBy(samples: Sample[], keyOf: (labels: Record<string, string>) => string | undefined) {
  const byKey = new Map<string, { p95?: number; mean?: number }>();
  for (const { labels, value } of samples) {
    const key = keyOf(labels);
    if (key === undefined || !Number.isFinite(value)) {
      continue;
    }
    const entry = byKey.get(key) ?? {};
    if (labels.quantile === String(EDGE_QUANTILE)) {
      entry.p95 = value;
    } else if (labels.quantile === MEAN) {
      entry.mean = value;
    }
    byKey.set(key, entry);
  }
  return byKey;
}

/** Sums the sides of several caller workloads; latency weighted by request rate (exact for means). */
function combine(sides: SideFigures[]): SideFigures {
  if (sides.length === 1) {
    return sides[0];
  }
  const rps = sides.reduce((sum, s) => sum + s.rps, 0);
  const failedRps = sides.reduce((sum, s) => sum + s.failedRps, 0);
  const withMean = sides.filter((s) => s.mean !== undefined && s.rps > 0);
  const meanWeight = withMean.reduce((sum, s) => sum + s.rps, 0);
  return {
    rps,
    failedRps,
    successRate: rps > 0 ? 1 - failedRps / rps : undefined,
    // Quantiles of several histograms do not combine; the busiest caller's p95 would be a guess.
    p95: undefined,
    mean:
      withMean.length === sides.filter((s) => s.rps > 0).length && meanWeight > 0
        ? withMean.reduce((sum, s) => sum + s.rps * s.mean!, 0) / meanWeight
        : undefined,
  };
}

/**
 * Pairs the identities one callee saw from one namespace with the caller workloads of that namespace:
 * by service account where the metrics name it, else by elimination where only one pairing is possible.
 */
function pairNamespace(
  identities: string[],
  callers: CallerCount[],
  accountOf: (ref: WorkloadRef) => string | undefined
): Array<{ identity?: string; callers: CallerCount[]; match: CallerMatch }> {
  if (identities.length === 1 && callers.length > 0) {
    const account = parseIdentity(identities[0])?.serviceAccount;
    const mismatched = callers.filter((c) => {
      const known = accountOf(c.ref);
      return known !== undefined && known !== account;
    });
    const paired = callers.filter((c) => !mismatched.includes(c));
    const allKnown = paired.every((c) => accountOf(c.ref) === account);
    return [
      ...(paired.length > 0
        ? [{ identity: identities[0], callers: paired, match: allKnown ? 'service-account' : 'only-identity' } as const]
        : [{ identity: identities[0], callers: [], match: 'unpaired' as const }]),
      ...mismatched.map((c) => ({ callers: [c], match: 'unpaired' as const })),
    ];
  }
  const unknown = callers.filter((c) => accountOf(c.ref) === undefined);
  const groups = new Map<string, CallerCount[]>();
  for (const identity of identities) {
    const account = parseIdentity(identity)?.serviceAccount;
    groups.set(
      identity,
      callers.filter((c) => account !== undefined && accountOf(c.ref) === account)
    );
  }
  const unpairedIdentities = identities.filter((id) => groups.get(id)!.length === 0);
  if (unknown.length === 1 && unpairedIdentities.length === 1) {
    groups.set(unpairedIdentities[0], unknown);
    return [
      ...identities.map((identity) => ({
        identity,
        callers: groups.get(identity)!,
        match: identity === unpairedIdentities[0] ? ('only-candidate' as const) : ('service-account' as const),
      })),
    ];
  }
  if (unknown.length > 0) {
    // A caller of unknown account may belong to any identity here: no pairing in this namespace is proven.
    return [
      ...identities.map((identity) => ({ identity, callers: [], match: 'unpaired' as const })),
      ...callers.map((c) => ({ callers: [c], match: 'unpaired' as const })),
    ];
  }
  const paired = new Set(identities.flatMap((id) => groups.get(id)!));
  return [
    ...identities.map((identity) => {
      const group = groups.get(identity)!;
      return {
        identity,
        callers: group,
        match: group.length > 0 ? ('service-account' as const) : ('unpaired' as const),
      };
    }),
    ...callers.filter((c) => !paired.has(c)).map((c) => ({ callers: [c], match: 'unpaired' as const })),
  ];
}

/** Builds the edges of the edge queries' results: one per caller identity and callee, or per unpaired side. */
export function buildEdges(results: EdgeResults, settings: AppSettings): Edge[] {
  const own = MESH_LABELS[settings.labelSchema];
  const codes = new Set(settings.grpcFailureCodes);
  const calleeOf = (labels: Record<string, string>) => {
    const ref = workloadOf(labels, own);
    return ref.workload ? ref : undefined;
  };
  const destinationOf = (labels: Record<string, string>) => {
    const ref = workloadOf(labels, DESTINATION_LABELS);
    return ref.workload ? ref : undefined;
  };
  const refs = new Map<string, WorkloadRef>();
  const remember = (ref: WorkloadRef | undefined) => {
    if (ref) {
      refs.set(refKey(ref), refs.get(refKey(ref)) ?? ref);
    }
    return ref;
  };
  const SEP = '\u0000';
  const inboundKey = (labels: Record<string, string>) => {
    const ref = remember(calleeOf(labels));
    return ref ? `${refKey(ref)}${SEP}${labels.client_id ?? ''}` : undefined;
  };
  const outboundKey = (labels: Record<string, string>) => {
    const from = remember(calleeOf(labels));
    const to = remember(destinationOf(labels));
    return from && to ? `${refKey(from)}${SEP}${refKey(to)}` : undefined;
  };

  const inbound = tallyBy(results.calleeResponses, inboundKey, codes);
  const inboundLatency = latencyBy(results.calleeLatency, inboundKey);
  const outbound = tallyBy(results.callerResponses, outboundKey, codes);
  const outboundLatency = latencyBy(results.callerLatency, outboundKey);

  // A workload's service account, where it is a destination and all its pods run as one.
  const accounts = new Map<string, Set<string>>();
  for (const { labels } of results.serviceAccounts) {
    const ref = destinationOf(labels);
    if (ref && labels.dst_serviceaccount) {
      const set = accounts.get(refKey(ref)) ?? new Set<string>();
      set.add(labels.dst_serviceaccount);
      accounts.set(refKey(ref), set);
    }
  }
  const accountOf = (ref: WorkloadRef) => {
    const set = accounts.get(refKey(ref));
    return set && set.size === 1 ? [...set][0] : undefined;
  };

  // Per callee: its identities (inbound) and its caller workloads (outbound).
  const callees = new Map<string, { identities: string[]; callers: CallerCount[] }>();
  const calleeEntry = (key: string) => {
    const entry = callees.get(key) ?? { identities: [], callers: [] };
    callees.set(key, entry);
    return entry;
  };
  for (const key of inbound.keys()) {
    const [callee, identity] = key.split(SEP);
    calleeEntry(callee).identities.push(identity);
  }
  for (const [key, tally] of outbound) {
    const [caller, callee] = key.split(SEP);
    calleeEntry(callee).callers.push({ ref: refs.get(caller)!, side: figures(tally, outboundLatency.get(key)) });
  }

  const edges: Edge[] = [];
  for (const [calleeKey, { identities, callers }] of callees) {
    const callee = refs.get(calleeKey)!;
    const calleeSide = (identity: string): SideFigures => {
      const key = `${calleeKey}${SEP}${identity}`;
      const tally = inbound.get(key);
      const side = figures(tally, inboundLatency.get(key));
      return { ...side, mtlsShare: tally && tally.total > 0 ? tally.tls / tally.total : undefined };
    };
    if (identities.includes('')) {
      edges.push({
        id: `${identityLabel('')}->${calleeKey}`,
        callee,
        callers: [],
        identity: '',
        match: 'unpaired',
        calleeSide: calleeSide(''),
      });
    }
    const namespaces = new Set([
      ...identities.filter(Boolean).map((id) => parseIdentity(id)?.namespace ?? id),
      ...callers.map((c) => c.ref.namespace),
    ]);
    for (const namespace of namespaces) {
      const ids = identities.filter((id) => id && (parseIdentity(id)?.namespace ?? id) === namespace);
      const group = callers.filter((c) => c.ref.namespace === namespace);
      for (const pair of pairNamespace(ids, group, accountOf)) {
        const names = pair.callers.map((c) => refKey(c.ref)).sort();
        edges.push({
          id: `${names.length > 0 ? names.join('+') : identityLabel(pair.identity)}->${calleeKey}`,
          callee,
          callers: [...pair.callers].sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref))),
          identity: pair.identity,
          match: pair.match,
          callerSide: pair.callers.length > 0 ? combine(pair.callers.map((c) => c.side)) : undefined,
          calleeSide: pair.identity !== undefined ? calleeSide(pair.identity) : undefined,
        });
      }
    }
  }
  return edges.sort((a, b) => a.id.localeCompare(b.id));
}

/** Both ends counted the same requests: the difference between them is the caller's side of the boundary. */
export function isPaired(edge: Edge): boolean {
  return edge.callerSide !== undefined && edge.calleeSide !== undefined;
}

/**
 * Time the caller's side adds on average (callers' mean − callee's): network, the caller's proxy and its
 * retries. Only where both counts cover the same requests.
 */
export function callerSideAddsMs(callerSide?: SideFigures, calleeSide?: SideFigures): number | undefined {
  return callerSide?.mean !== undefined && calleeSide?.mean !== undefined && callerSide.rps > 0 && calleeSide.rps > 0
    ? callerSide.mean - calleeSide.mean
    : undefined;
}
