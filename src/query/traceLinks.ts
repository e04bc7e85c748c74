/**
 * The traces behind an anomaly, as Tempo's TraceQL and Jaeger's search can ask for them. What each query selects,
 * why, and where it is only an approximation is written down in docs/trace-links.md.
 */
import type { SemconvVersion, TracesDatasourceType } from '../settings/types';
import { GRPC_STATUS_NAMES } from './grpcStatus';
import { exploreUrl } from './explore';
import { durationLiteral, equalsString, matchesRegex, quoteRegex } from './traceql';

/** The service whose traces are wanted. */
export interface TraceTarget {
  /** The app's `service.name` resource attribute. */
  appService: string;
  /** The Kubernetes workload and namespace: the host name its callers dial (`<name>.<namespace>.svc…`). */
  workload: string;
  namespace: string;
}

/** How the apps describe their spans: which semantic conventions, and which gRPC codes count as failures. */
export interface TraceConventions {
  semconv: SemconvVersion;
  grpcFailureCodes: number[];
}

/** What a trace must show to be evidence for an anomaly. */
export type TraceEvidence =
  /** Spans with a failing gRPC status: the service's server spans, or its callers' client spans (no SDK in it). */
  | { kind: 'grpc-failures'; side: 'server' | 'callers'; mostFrequentCode?: number }
  /** A caller's client span longer than `callerOverMs` whose child server span took less than `calleeUnderMs`. */
  | { kind: 'slow-boundary'; callerOverMs: number; calleeUnderMs: number }
  /** Callers' client spans to the service in error, with no server span of the service under them. */
  | { kind: 'proxy-failures' }
  /** Callers' client spans to the service, failed or not, with no server span of the service under them. */
  | { kind: 'unanswered' }
  /** The service's server spans with no client span above them. */
  | { kind: 'no-traced-caller' }
  /** The service's server spans in error. */
  | { kind: 'app-errors' }
  /** All the service's server spans. */
  | { kind: 'server-spans' }
  /** Callers' client spans to the service. */
  | { kind: 'caller-spans' };

export type TraceEvidenceKind = TraceEvidence['kind'];

/**
 * The span attributes of each generation of the semantic conventions (open-telemetry/semantic-conventions):
 * the host a client called is `server.address` in the stable HTTP and RPC conventions, `net.peer.name` up to
 * v1.20; the gRPC status is the name in `rpc.response.status_code` since the RPC conventions after v1.37
 * (`docs/non-normative/rpc-migration.md`), the number in `rpc.grpc.status_code` before.
 */
const ATTRIBUTES: Record<SemconvVersion, { calledHost: string; grpcStatus: string }> = {
  stable: { calledHost: 'server.address', grpcStatus: 'rpc.response.status_code' },
  legacy: { calledHost: 'net.peer.name', grpcStatus: 'rpc.grpc.status_code' },
};

function serverSpans(target: TraceTarget): string {
  return `${equalsString('resource.service.name', target.appService)} && kind = server`;
}

/**
 * The host a caller dials to reach the workload's Service, in any of the forms Kubernetes DNS resolves:
 * `name`, `name.namespace`, `name.namespace.svc`, `name.namespace.svc.<cluster domain>`.
 */
export function calledHostPattern(target: TraceTarget): string {
  return `${quoteRegex(target.workload)}(\\.${quoteRegex(target.namespace)}(\\.svc(\\..+)?)?)?`;
}

function callerSpansTo(target: TraceTarget, semconv: SemconvVersion): string {
  return `kind = client && ${matchesRegex(`span.${ATTRIBUTES[semconv].calledHost}`, calledHostPattern(target))}`;
}

/** The configured failure codes as a condition on the gRPC status attribute of the conventions. */
function failingGrpcStatus(conventions: TraceConventions): string {
  const field = `span.${ATTRIBUTES[conventions.semconv].grpcStatus}`;
  const codes = [...new Set(conventions.grpcFailureCodes)].sort((a, b) => a - b);
  if (conventions.semconv === 'stable') {
    const names = codes.map((code) => GRPC_STATUS_NAMES[code] ?? String(code));
    return names.length > 0 ? matchesRegex(field, names.map(quoteRegex).join('|')) : `${field} != "OK"`;
  }
  return codes.length > 0 ? `(${codes.map((code) => `${field} = ${code}`).join(' || ')})` : `${field} != 0`;
}

/** The TraceQL that selects the evidence's spans. */
export function buildTraceQL(target: TraceTarget, evidence: TraceEvidence, conventions: TraceConventions): string {
  const { semconv } = conventions;
  switch (evidence.kind) {
    case 'grpc-failures': {
      const spans = evidence.side === 'server' ? serverSpans(target) : callerSpansTo(target, semconv);
      return `{ ${spans} && ${failingGrpcStatus(conventions)} }`;
    }
    case 'slow-boundary':
      // Structural operators return the right-hand side: `<` keeps the callers' spans that are parents of a match.
      return (
        `{ ${serverSpans(target)} && duration < ${durationLiteral(evidence.calleeUnderMs, 'down')} } < ` +
        `{ kind = client && duration > ${durationLiteral(evidence.callerOverMs, 'up')} }`
      );
    case 'proxy-failures':
      return `{ ${serverSpans(target)} } !< { ${callerSpansTo(target, semconv)} && status = error }`;
    case 'unanswered':
      return `{ ${serverSpans(target)} } !< { ${callerSpansTo(target, semconv)} }`;
    case 'no-traced-caller':
      return `{ kind = client } !> { ${serverSpans(target)} }`;
    case 'app-errors':
      return `{ ${serverSpans(target)} && status = error }`;
    case 'server-spans':
      return `{ ${serverSpans(target)} }`;
    case 'caller-spans':
      return `{ ${callerSpansTo(target, semconv)} }`;
  }
}

/** A Jaeger search (Grafana's Jaeger datasource, `queryType: 'search'`): one service's spans with these tags. */
export interface JaegerSearch {
  service: string;
  /** logfmt, as Grafana's Jaeger query editor writes it; every tag must be on the same span. */
  tags: string;
}

/** Why Jaeger's search cannot ask for the evidence: shown instead of a link that would find nothing. */
export interface JaegerLimit {
  unsupported: string;
}

const ACROSS_SPANS =
  'Jaeger’s search matches one span at a time: it cannot ask for a span with, or without, a parent or child.';
const FROM_CALLERS =
  'Jaeger’s search starts from the service that sent the spans, and here the spans are the callers’: ' +
  'Jaeger cannot ask for them.';

/**
 * The Jaeger search for the evidence, where it has one. Jaeger's stored spans carry the span kind as the tag
 * `span.kind` and a failed status as `error=true` (open-telemetry/opentelemetry-collector-contrib
 * `pkg/translator/jaeger`), and tags hold one value each: the gRPC failures are searched by the most frequent code.
 */
export function buildJaegerSearch(
  target: TraceTarget,
  evidence: TraceEvidence,
  conventions: TraceConventions
): JaegerSearch | JaegerLimit {
  const service = target.appService;
  switch (evidence.kind) {
    case 'grpc-failures': {
      if (evidence.side === 'callers') {
        return { unsupported: FROM_CALLERS };
      }
      const code = evidence.mostFrequentCode;
      if (code === undefined) {
        return { service, tags: 'span.kind=server error=true' };
      }
      const value = conventions.semconv === 'stable' ? (GRPC_STATUS_NAMES[code] ?? String(code)) : String(code);
      return { service, tags: `span.kind=server ${ATTRIBUTES[conventions.semconv].grpcStatus}=${value}` };
    }
    case 'app-errors':
      return { service, tags: 'span.kind=server error=true' };
    case 'server-spans':
      return { service, tags: 'span.kind=server' };
    case 'slow-boundary':
      return {
        unsupported: 'Jaeger’s search matches one span at a time: it cannot compare a caller’s span with the callee’s.',
      };
    case 'proxy-failures':
    case 'unanswered':
    case 'no-traced-caller':
      return { unsupported: ACROSS_SPANS };
    case 'caller-spans':
      return { unsupported: FROM_CALLERS };
  }
}

export function isJaegerLimit<T extends object>(value: T | JaegerLimit): value is JaegerLimit {
  return typeof (value as Partial<JaegerLimit>).unsupported === 'string';
}

export interface TraceQuery {
  refId: string;
  datasource: { type: TracesDatasourceType; uid: string };
  [key: string]: unknown;
}

/** Traces listed per query: enough to pick from, few enough to read. */
const TRACE_LIMIT = 20;

/**
 * The query object the Tempo or Jaeger datasource takes for the evidence, or why Jaeger cannot express it.
 */
export function buildTraceQuery(
  datasource: { type: TracesDatasourceType; uid: string },
  target: TraceTarget,
  evidence: TraceEvidence,
  conventions: TraceConventions
): TraceQuery | JaegerLimit {
  if (datasource.type === 'tempo') {
    const query = buildTraceQL(target, evidence, conventions);
    return { refId: 'traces', datasource, queryType: 'traceql', query, limit: TRACE_LIMIT };
  }
  const search = buildJaegerSearch(target, evidence, conventions);
  if (isJaegerLimit(search)) {
    return search;
  }
  return { refId: 'traces', datasource, queryType: 'search', ...search, limit: TRACE_LIMIT };
}

/** An Explore URL opening the trace query over the anomaly's time range (see query/explore.ts). */
export function buildExploreUrl(
  appSubUrl: string,
  query: TraceQuery,
  range: { from: string; to: string },
  orgId?: number
): string {
  return exploreUrl(appSubUrl, query, range, orgId);
}
