/**
 * Which traces explain each flag of a service, and how to say so: the evidence a trace link asks for, decided
 * from the same figures the flag was raised on, with a title and an explanation a user can read.
 */
import type { FlagId } from '../constants';
import type { Thresholds } from '../settings/types';
import { GRPC_STATUS_NAMES, parseGrpcStatus } from '../query/grpcStatus';
import type { TraceConventions, TraceEvidence, TraceTarget } from '../query/traceLinks';
import { roundDurationMs } from '../query/traceql';
import type { ServiceRow } from './types';
import { formatMs } from './format';
import { FLOAT_SLACK } from './detect';

export interface TraceLinkSpec {
  /** The flag it explains; undefined for a service without flags. */
  flag?: FlagId;
  evidence: TraceEvidence;
  /** What the traces show, in the user's words. */
  title: string;
  /** Which spans the query selects, and what it cannot tell. */
  explanation: string;
}

export function traceTargetOf(row: Pick<ServiceRow, 'namespace' | 'service' | 'appService'>): TraceTarget {
  return { appService: row.appService ?? row.service, workload: row.service, namespace: row.namespace };
}

/**
 * The trace links of a service: one per flag, two where the layers disagree on both success and request rate,
 * and one for its requests when nothing is flagged.
 */
export function traceLinksFor(row: ServiceRow, thresholds: Thresholds, conventions: TraceConventions): TraceLinkSpec[] {
  const name = row.appService ?? row.service;
  if (row.flags.length === 0) {
    return [
      {
        evidence: { kind: 'server-spans' },
        title: `Requests to ${name}`,
        explanation: `${possessive(name)} server spans, most recent first.`,
      },
    ];
  }
  return row.flags.flatMap(({ id }) => {
    switch (id) {
      case 'grpc-trap':
        return [trapLink(row, name, conventions)];
      case 'boundary-latency':
        return boundaryLink(row, name, thresholds);
      case 'disagreement':
        return disagreementLinks(row, name, thresholds);
      case 'coverage':
        return [coverageLink(row, name)];
    }
  });
}

/** “payments’ spans”, “cart’s spans”. */
function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`;
}

/**
 * What a Jaeger search of the evidence leaves out, where it finds less than the TraceQL would: Jaeger's tags hold
 * one value each, so the gRPC failures are searched by the most frequent code alone.
 */
export function jaegerNote(evidence: TraceEvidence, conventions: TraceConventions): string | undefined {
  if (evidence.kind !== 'grpc-failures' || evidence.side !== 'server') {
    return undefined;
  }
  if (evidence.mostFrequentCode === undefined) {
    return 'Jaeger searches the spans in error, the status the app’s SDK set, for want of a gRPC code to search.';
  }
  const name = GRPC_STATUS_NAMES[evidence.mostFrequentCode] ?? String(evidence.mostFrequentCode);
  const others = conventions.grpcFailureCodes.filter((code) => code !== evidence.mostFrequentCode);
  return (
    `Jaeger’s search takes one value per tag: it finds ${name}, the most frequent failing code` +
    `${others.length > 0 ? `, and not ${codeNames(others)}` : ''}.`
  );
}

function codeNames(codes: number[]): string {
  return codes.map((code) => GRPC_STATUS_NAMES[code] ?? String(code)).join(', ');
}

function trapLink(row: ServiceRow, name: string, conventions: TraceConventions): TraceLinkSpec {
  const mostFrequentCode = parseGrpcStatus(row.mesh?.grpcTrapCodes[0]?.code);
  const codes = codeNames([...new Set(conventions.grpcFailureCodes)].sort((a, b) => a - b));
  const attribute = conventions.semconv === 'stable' ? 'rpc.response.status_code' : 'rpc.grpc.status_code';
  // Without an SDK in the service, its callers' spans carry the status it answered.
  const side = row.coverage === 'mesh-only' ? 'callers' : 'server';
  return {
    flag: 'grpc-trap',
    evidence: { kind: 'grpc-failures', side, mostFrequentCode },
    title:
      side === 'server'
        ? `Calls ${name} answered with a failing gRPC status`
        : `Calls to ${name} that got a failing gRPC status`,
    explanation:
      `${side === 'server' ? `${possessive(name)} server spans` : `Its callers’ client spans to ${name}`} whose ` +
      `${attribute} is one of the configured failure codes (${codes}), whatever the HTTP status said.`,
  };
}

/**
 * Boundary latency: TraceQL cannot subtract one span's duration from another's, so the gap is bounded by two
 * limits whose difference is the flag's limit: a caller's span over `over` around a server span under `under`
 * spent at least `over − under` outside the app. `under` is placed so the window of app durations the query can
 * find, as wide as the measured gap allows beyond the limit, is centred on the app's median.
 */
function boundaryLink(row: ServiceRow, name: string, t: Thresholds): TraceLinkSpec[] {
  const app = row.app?.latency;
  const outside = row.outsideApp;
  const limit = (appFigure: number) => Math.max(t.boundaryLatencyMs, (t.boundaryLatencyPercent / 100) * appFigure);
  let limitMs: number;
  let gapMs: number;
  if (outside.mean !== undefined && app?.mean !== undefined && outside.mean > limit(app.mean)) {
    limitMs = limit(app.mean);
    gapMs = outside.mean;
  } else if (outside.p95Bounds !== undefined && app?.p95 !== undefined) {
    limitMs = limit(app.p95);
    gapMs = outside.p95Bounds.lower;
  } else {
    return [];
  }
  const centre = app.p50 ?? app.mean ?? app.p95 ?? 0;
  const under = roundDurationMs(centre + Math.max(0, gapMs - limitMs) / 2, 'down');
  const over = roundDurationMs(under + limitMs, 'up');
  return [
    {
      flag: 'boundary-latency',
      evidence: { kind: 'slow-boundary', callerOverMs: over, calleeUnderMs: under },
      title: `Calls to ${name} that spent over ${formatMs(over - under)} outside its app`,
      explanation:
        `Callers’ spans longer than ${formatMs(over)} whose child span in ${name} took less than ` +
        `${formatMs(under)}: each spent at least ${formatMs(over - under)} in the callers’ and ${possessive(name)} proxies ` +
        `and the network. TraceQL cannot subtract one span’s duration from another’s, so calls whose app took ` +
        `longer are not found, however long they waited outside it.`,
    },
  ];
}

/** Which way each reason for the disagreement points, from the figures the flag compared. */
function disagreementLinks(row: ServiceRow, name: string, t: Thresholds): TraceLinkSpec[] {
  const { mesh, app } = row;
  if (!mesh || !app) {
    return [];
  }
  const links: TraceLinkSpec[] = [];
  if (mesh.successRate !== undefined && app.successRate !== undefined) {
    const points = (app.successRate - mesh.successRate) * 100;
    if (points > t.disagreementPoints + FLOAT_SLACK) {
      links.push({
        flag: 'disagreement',
        evidence: { kind: 'proxy-failures' },
        title: `Failed calls to ${name} that never reached its app`,
        explanation:
          `The mesh fails more of ${possessive(name)} requests than the app does. These are callers’ spans to ${name} ` +
          `that ended in error with no ${name} span under them: answered by a proxy, ${possessive(name)} when it cannot ` +
          `reach the app, or the caller’s when it cannot reach ${name}. Tempo calls the “not parent of” operator ` +
          `experimental.`,
      });
    } else if (-points > t.disagreementPoints + FLOAT_SLACK) {
      links.push({
        flag: 'disagreement',
        evidence: { kind: 'app-errors' },
        title: `Requests ${possessive(name)} app failed`,
        explanation: `The app counts more failures than the mesh does. These are ${possessive(name)} server spans in error.`,
      });
    }
  }
  // A layer that saw nothing is infinitely apart, as the flag has it.
  const factor = (a: number, b: number) => (b === 0 ? Infinity : a / b);
  const apart = t.disagreementRateFactor + FLOAT_SLACK;
  if (app.rps > 0 && factor(app.rps, mesh.rps) > apart) {
    links.push(bypassLink(name));
  } else if (mesh.rps > 0 && factor(mesh.rps, app.rps) > apart) {
    links.push({
      flag: 'disagreement',
      evidence: { kind: 'unanswered' },
      title: `Calls to ${name} its app never saw`,
      explanation:
        `The mesh counts more requests than the app. These are callers’ spans to ${name} with no ${name} ` +
        `span under them. Tempo calls the “not parent of” operator experimental.`,
    });
  }
  return links;
}

function bypassLink(name: string): TraceLinkSpec {
  return {
    flag: 'disagreement',
    evidence: { kind: 'no-traced-caller' },
    title: `Requests to ${name} with no traced caller`,
    explanation:
      `The app counts more requests than the mesh: some reach it around the proxy. Proxies leave no span, so ` +
      `traces cannot tell those requests from the others; these are ${possessive(name)} server spans with no client span ` +
      `above them, where such traffic usually comes from (a node, a job or a client outside the cluster). ` +
      `Requests from callers that are meshed but send no spans are among them too.`,
  };
}

function coverageLink(row: ServiceRow, name: string): TraceLinkSpec {
  if (row.coverage === 'mesh-only') {
    return {
      flag: 'coverage',
      evidence: { kind: 'caller-spans' },
      title: `Calls to ${name} from its traced callers`,
      explanation:
        `${name} exports no telemetry of its own; its callers’ client spans show what it answered. Callers ` +
        `are matched by the host they called (${row.service}, ${row.service}.${row.namespace}, …).`,
    };
  }
  return {
    flag: 'coverage',
    evidence: { kind: 'server-spans' },
    title: `Requests to ${name}, none of them through the mesh`,
    explanation: `${name} is not meshed: every one of its server spans is a request the mesh did not see.`,
  };
}
