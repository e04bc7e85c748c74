/**
 * Where a service's requests spent their time and where its failures were made, from the three counts of the
 * same requests: the callers' proxies (outbound), the service's own proxy (inbound) and the app. Means, not
 * quantiles: a mean difference is exact (both sides' `_sum` / `_count`), a quantile difference is not.
 */
import { isPaired, type Edge } from './edges';
import type { ServiceRow } from './types';

/** Milliseconds per request, on average. */
export interface TimeBreakdown {
  /** What the callers waited, over the callers that could be paired with their identity. */
  callersWaited?: number;
  /** Network, the callers' proxies and their retries: callers' mean − this proxy's mean for the same callers. */
  callerSide?: number;
  /** This service's proxy and pod: this proxy's mean − the app's. */
  calleeSide?: number;
  /** The app's own mean. */
  app?: number;
  /** Share of this proxy's requests whose callers were paired, 0–1. */
  pairedShare?: number;
  /** What the figures cannot tell, in words. */
  notes: string[];
}

/** Failed requests per second, by who made them. */
export interface FailureBreakdown {
  /** Failures the callers' proxies made: they never reached this service (paired callers only). */
  callerProxies?: number;
  /** Failures this service's proxy made: the app never saw them. */
  calleeProxy?: number;
  app?: number;
  notes: string[];
}

/** Rate-weighted mean of one side over the edges that have it; undefined unless every busy edge has a mean. */
function weightedMean(sides: Array<{ rps: number; mean?: number }>): number | undefined {
  const busy = sides.filter((s) => s.rps > 0);
  const total = busy.reduce((sum, s) => sum + s.rps, 0);
  if (total === 0 || busy.some((s) => s.mean === undefined)) {
    return undefined;
  }
  return busy.reduce((sum, s) => sum + s.rps * s.mean!, 0) / total;
}

function paired(edges: Edge[]): Edge[] {
  return edges.filter((e) => isPaired(e) && e.match !== 'unpaired');
}

function callerNotes(edges: Edge[]): string[] {
  const notes: string[] = [];
  const meshed = edges.filter((e) => e.identity !== '');
  if (meshed.length === 0) {
    notes.push('No meshed caller in this range: the callers’ side cannot be measured.');
  }
  const unpaired = meshed.filter((e) => !isPaired(e) || e.match === 'unpaired');
  if (unpaired.length > 0 && meshed.length > 0) {
    notes.push(
      `${unpaired.length} caller row${unpaired.length > 1 ? 's' : ''} could not be tied to a workload (the metrics ` +
        'name a workload’s service account only where it is itself called): left out of the callers’ side.'
    );
  }
  return notes;
}

/** Where the time went: callers' side, this service's proxy and pod, the app. */
export function timeBreakdown(row: ServiceRow, callerEdges: Edge[]): TimeBreakdown {
  const notes = callerNotes(callerEdges);
  const meshMean = row.mesh?.latency.mean;
  const appMean = row.app?.latency.mean;
  if (meshMean === undefined) {
    notes.push('The mesh recorded no latency for this service in this range.');
  }
  if (appMean === undefined) {
    notes.push('The app reports no latency: its own time cannot be told from its proxy’s.');
  }
  const both = paired(callerEdges);
  const callersWaited = weightedMean(both.map((e) => e.callerSide!));
  const calleeForSameCallers = weightedMean(both.map((e) => e.calleeSide!));
  const pairedRps = both.reduce((sum, e) => sum + e.calleeSide!.rps, 0);
  return {
    callersWaited,
    callerSide:
      callersWaited !== undefined && calleeForSameCallers !== undefined
        ? callersWaited - calleeForSameCallers
        : undefined,
    calleeSide: meshMean !== undefined && appMean !== undefined ? meshMean - appMean : undefined,
    app: appMean,
    pairedShare: row.mesh && row.mesh.rps > 0 && both.length > 0 ? pairedRps / row.mesh.rps : undefined,
    notes,
  };
}

/** A figure's failed requests per second. */
function failedRps(figures: { rps: number; successRate?: number } | undefined): number | undefined {
  return figures && figures.successRate !== undefined ? figures.rps * (1 - figures.successRate) : undefined;
}

/**
 * Linkerd stable-2.13 to 2.14.3 record inbound gRPC as plain HTTP: the service's proxy saw no gRPC status while its
 * callers' proxies or the app did. Its failure count then misses the failures in the trailers.
 */
function proxyMissesGrpc(row: ServiceRow): boolean {
  return !row.mesh?.grpcShare && (!!row.mesh?.callers?.grpcShare || !!row.app?.protocols.includes('rpc'));
}

/**
 * A difference of two layers' failure counts, each scraped at its own moment: a few hundredths of a request per
 * second either way is counting jitter, and fewer than no failures is never what happened.
 */
function atLeastZero(failedRps: number): number {
  return Math.max(0, failedRps);
}

/** Where the failures were made: callers' proxies, this service's proxy, the app. */
export function failureBreakdown(row: ServiceRow, callerEdges: Edge[]): FailureBreakdown {
  const notes = callerNotes(callerEdges);
  const meshFailed = failedRps(row.mesh);
  const appFailed = failedRps(row.app);
  const unclassifiedGrpc = proxyMissesGrpc(row);
  if (unclassifiedGrpc) {
    notes.push(
      'This service’s proxy does not classify gRPC responses (Linkerd stable-2.13 to 2.14): failures in the trailers ' +
        'are counted by the callers’ proxies only, so who made them cannot be split.'
    );
  }
  let calleeProxy: number | undefined;
  if (meshFailed !== undefined && appFailed !== undefined && !unclassifiedGrpc) {
    // Requests that bypass the mesh reach the app too: then the app's failures are not all the mesh's.
    if (row.app!.rps <= row.mesh!.rps * 1.01) {
      calleeProxy = atLeastZero(meshFailed - appFailed);
    } else {
      notes.push(
        'The app serves more requests than its proxy passes on (traffic outside the mesh): failures its proxy made ' +
          'cannot be told from the app’s.'
      );
    }
  } else if (appFailed === undefined) {
    notes.push('The app reports no requests: failures its proxy made cannot be told from the app’s.');
  }
  const both = paired(callerEdges);
  const callerProxies =
    both.length > 0 && !unclassifiedGrpc
      ? atLeastZero(both.reduce((sum, e) => sum + e.callerSide!.failedRps - e.calleeSide!.failedRps, 0))
      : undefined;
  return { callerProxies, calleeProxy, app: appFailed, notes };
}
