/**
 * A TraceQL evaluator for tests: the subset Mesh Lens' trace links use, parsed with Grafana's grammar
 * (@grafana/lezer-traceql) and evaluated over spans the way Tempo documents it (grafana/tempo
 * `docs/sources/tempo/traceql/construct-traceql-queries.md`; `pkg/traceql/ast_execute.go` for the operators):
 *
 * - a query runs per trace; a spanset filter `{ … }` keeps the trace's spans for which the expression holds;
 * - a comparison with an attribute the span lacks, or of values of different types, is false;
 * - `=~` matches the whole value (Tempo anchors regexes as `^(?s:…)$`, Prometheus' `FastRegexMatcher`);
 * - `A && B` and `A || B` between spansets: both (either) non-empty, their union;
 * - structural operators return spans of the right-hand side: `A > B` children of an A span, `A < B` parents of
 *   one, `A >> B` descendants, and `!>`, `!<`, `!>>` the spans of B for which that relation holds with no A span.
 *
 * Anything else throws, so a link that starts using more of TraceQL fails its test until this learns it.
 */
import { SpanKind, SpanStatusCode, type AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { parser } from '@grafana/lezer-traceql';
import type { SyntaxNode } from '@lezer/common';
import { goUnquote } from './goString';

type Value =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'duration'; ns: number }
  | { type: 'bool'; value: boolean }
  | { type: 'status'; value: 'ok' | 'error' | 'unset' }
  | { type: 'kind'; value: string };

const KINDS: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};
const STATUSES: Record<number, 'ok' | 'error' | 'unset'> = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
};
const DURATION_UNITS_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

function spanId(span: ReadableSpan): string {
  return span.spanContext().spanId;
}

function durationNs(span: ReadableSpan): number {
  return span.duration[0] * 1e9 + span.duration[1];
}

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    list.push(child);
  }
  return list;
}

function attributeValue(value: AttributeValue | undefined): Value | undefined {
  if (typeof value === 'string') {
    return { type: 'string', value };
  }
  if (typeof value === 'number') {
    return { type: 'number', value };
  }
  if (typeof value === 'boolean') {
    return { type: 'bool', value };
  }
  return undefined;
}

function compare(op: string, left: Value | undefined, right: Value | undefined): boolean {
  if (!left || !right) {
    return false;
  }
  if (op === '=~' || op === '!~') {
    if (left.type !== 'string' || right.type !== 'string') {
      return false;
    }
    const matches = new RegExp(`^(?:${right.value})$`, 's').test(left.value);
    return op === '=~' ? matches : !matches;
  }
  if (left.type !== right.type) {
    return false;
  }
  const scalar = (v: Value): number | string | boolean => (v.type === 'duration' ? v.ns : v.value);
  const a = scalar(left);
  const b = scalar(right);
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw new Error(`operator ${op} is not in the evaluated subset`);
  }
}

class Evaluator {
  constructor(private readonly query: string) {}

  private text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  spanset(node: SyntaxNode, trace: ReadableSpan[]): ReadableSpan[] {
    const parts = children(node);
    switch (node.name) {
      case 'TraceQL':
      case 'WrappedSpansetPipeline':
      case 'SpansetPipeline':
        return this.spanset(parts[0], trace);
      case 'SpansetFilter':
        return parts.length === 0 ? trace : trace.filter((span) => this.holds(parts[0], span));
      case 'SpansetPipelineExpression':
      case 'SpansetExpression':
        if (parts.length === 1) {
          return this.spanset(parts[0], trace);
        }
        if (parts.length === 3) {
          return this.combine(this.text(parts[1]), this.spanset(parts[0], trace), this.spanset(parts[2], trace), trace);
        }
    }
    throw new Error(`${node.name} "${this.text(node)}" is not in the evaluated subset`);
  }

  private combine(op: string, left: ReadableSpan[], right: ReadableSpan[], trace: ReadableSpan[]): ReadableSpan[] {
    const byId = new Map(trace.map((span) => [spanId(span), span]));
    const leftIds = new Set(left.map(spanId));
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const isChildOfLeft = (span: ReadableSpan) => leftIds.has(parentOf(span) ?? '');
    const isParentOfLeft = (span: ReadableSpan) => left.some((l) => parentOf(l) === spanId(span));
    const hasLeftAncestor = (span: ReadableSpan) => {
      for (let id = parentOf(span); id; id = byId.get(id)?.parentSpanContext?.spanId) {
        if (leftIds.has(id)) {
          return true;
        }
      }
      return false;
    };
    switch (op) {
      case '&&':
        return left.length > 0 && right.length > 0 ? [...new Set([...left, ...right])] : [];
      case '||':
        return [...new Set([...left, ...right])];
      case '>':
        return right.filter(isChildOfLeft);
      case '<':
        return right.filter(isParentOfLeft);
      case '>>':
        return right.filter(hasLeftAncestor);
      case '!>':
        return right.filter((span) => !isChildOfLeft(span));
      case '!<':
        return right.filter((span) => !isParentOfLeft(span));
      case '!>>':
        return right.filter((span) => !hasLeftAncestor(span));
      default:
        throw new Error(`spanset operator ${op} is not in the evaluated subset`);
    }
  }

  private holds(node: SyntaxNode, span: ReadableSpan): boolean {
    const value = this.value(node, span);
    return value?.type === 'bool' && value.value;
  }

  private value(node: SyntaxNode, span: ReadableSpan): Value | undefined {
    const parts = children(node);
    const text = this.text(node);
    switch (node.name) {
      case 'FieldExpression':
        if (parts.length === 1 && /^[!-]/.test(text)) {
          throw new Error(`prefix operators ("${text}") are not in the evaluated subset`);
        }
        if (parts.length === 1) {
          return this.value(parts[0], span);
        }
        if (parts.length === 3) {
          const op = this.text(parts[1]);
          if (parts[1].name === 'And' || parts[1].name === 'Or') {
            const left = this.holds(parts[0], span);
            const right = this.holds(parts[2], span);
            return { type: 'bool', value: op === '&&' ? left && right : left || right };
          }
          return { type: 'bool', value: compare(op, this.value(parts[0], span), this.value(parts[2], span)) };
        }
        break;
      case 'Static':
        return this.static(parts[0], text);
      case 'IntrinsicField':
        return this.intrinsic(text, span);
      case 'AttributeField':
        return this.attribute(text, span);
    }
    throw new Error(`${node.name} "${text}" is not in the evaluated subset`);
  }

  private static(literal: SyntaxNode | undefined, text: string): Value {
    switch (literal?.name) {
      case 'String':
        return { type: 'string', value: goUnquote(text) };
      case 'Integer':
      case 'Float':
        return { type: 'number', value: Number(text) };
      case 'Duration': {
        const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(text);
        if (!match) {
          throw new Error(`duration ${text} is not in the evaluated subset`);
        }
        return { type: 'duration', ns: Number(match[1]) * DURATION_UNITS_NS[match[2]] };
      }
    }
    if (text === 'true' || text === 'false') {
      return { type: 'bool', value: text === 'true' };
    }
    if (text === 'ok' || text === 'error' || text === 'unset') {
      return { type: 'status', value: text };
    }
    if (Object.values(KINDS).includes(text)) {
      return { type: 'kind', value: text };
    }
    throw new Error(`static ${text} is not in the evaluated subset`);
  }

  private intrinsic(text: string, span: ReadableSpan): Value {
    switch (text.replace(/^span:/, '')) {
      case 'duration':
        return { type: 'duration', ns: durationNs(span) };
      case 'kind':
        return { type: 'kind', value: KINDS[span.kind] };
      case 'status':
        return { type: 'status', value: STATUSES[span.status.code] };
      case 'name':
        return { type: 'string', value: span.name };
    }
    throw new Error(`intrinsic ${text} is not in the evaluated subset`);
  }

  private attribute(text: string, span: ReadableSpan): Value | undefined {
    const match = /^(resource|span)?\.(.+)$/.exec(text);
    if (!match) {
      throw new Error(`attribute ${text} is not in the evaluated subset`);
    }
    const [, scope, name] = match;
    const fromSpan = attributeValue(span.attributes[name]);
    const fromResource = attributeValue(span.resource.attributes[name] as AttributeValue | undefined);
    return scope === 'span' ? fromSpan : scope === 'resource' ? fromResource : (fromSpan ?? fromResource);
  }
}

/** Throws when Grafana's grammar finds a syntax error in the query. */
export function assertParses(query: string): void {
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        throw new Error(`TraceQL syntax error at ${node.from} in ${query}`);
      }
    },
  });
}

/** Spans grouped by trace, the unit a query runs on. */
export function groupTraces(spans: ReadableSpan[]): ReadableSpan[][] {
  const traces = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    const trace = traces.get(traceId) ?? [];
    trace.push(span);
    traces.set(traceId, trace);
  }
  return [...traces.values()];
}

/** The spans the query returns, trace by trace, as Tempo would. */
export function evaluateTraceQL(query: string, traces: ReadableSpan[][]): ReadableSpan[] {
  assertParses(query);
  const top = parser.parse(query).topNode;
  const evaluator = new Evaluator(query);
  return traces.flatMap((trace) => evaluator.spanset(top, trace));
}
