import { parser } from '@grafana/lezer-traceql';
import {
  buildExploreUrl,
  buildTraceQL,
  buildTraceQuery,
  escapeTraceQLString,
  focusForFlag,
  type TraceFocus,
} from './traceLinks';

function parses(query: string): boolean {
  let ok = true;
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        ok = false;
      }
    },
  });
  return ok;
}

function stringLiterals(query: string): string[] {
  const literals: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.name === 'String') {
        // Undo the two escapes TraceQL knows; everything else stands for itself.
        literals.push(query.slice(node.from + 1, node.to - 1).replace(/\\(["\\])/g, '$1'));
      }
    },
  });
  return literals;
}

describe('buildTraceQL', () => {
  test.each<[TraceFocus, string]>([
    [{ kind: 'grpc-failures' }, '{ resource.service.name = "payments" && span.rpc.grpc.status_code != 0 }'],
    [{ kind: 'errors' }, '{ resource.service.name = "payments" && kind = server && status = error }'],
    [
      { kind: 'slow', minDurationMs: 249.6 },
      '{ resource.service.name = "payments" && kind = server && duration > 250ms }',
    ],
    [{ kind: 'all' }, '{ resource.service.name = "payments" && kind = server }'],
  ])('%j → %s', (focus, expected) => {
    expect(buildTraceQL('payments', focus)).toBe(expected);
    expect(parses(expected)).toBe(true);
  });

  test.each(['pay"ments', 'a\\b', 'line\nbreak', 'zürich-東京', '" } || { true'])(
    'keeps the hostile service name %j one string literal',
    (service) => {
      const query = buildTraceQL(service, { kind: 'errors' });
      expect(parses(query)).toBe(true);
      expect(stringLiterals(query)).toEqual([service]);
    }
  );

  it('escapes quotes and backslashes', () => {
    expect(escapeTraceQLString('a"b\\c')).toBe('a\\"b\\\\c');
  });
});

describe('focusForFlag', () => {
  it('looks for the failures behind the trap and for requests slower than the app p95 behind boundary latency', () => {
    expect(focusForFlag('grpc-trap')).toEqual({ kind: 'grpc-failures' });
    expect(focusForFlag('boundary-latency', 45)).toEqual({ kind: 'slow', minDurationMs: 45 });
    expect(focusForFlag('boundary-latency')).toEqual({ kind: 'all' });
    expect(focusForFlag('disagreement')).toEqual({ kind: 'errors' });
  });
});

describe('buildTraceQuery and buildExploreUrl', () => {
  it('builds a Tempo TraceQL query and a Jaeger search', () => {
    expect(buildTraceQuery('tempo', 't1', 'payments', { kind: 'grpc-failures' })).toEqual({
      refId: 'traces',
      datasource: { type: 'tempo', uid: 't1' },
      queryType: 'traceql',
      query: '{ resource.service.name = "payments" && span.rpc.grpc.status_code != 0 }',
      limit: 20,
    });
    expect(buildTraceQuery('jaeger', 'j1', 'inventory', { kind: 'slow', minDurationMs: 45 })).toEqual({
      refId: 'traces',
      datasource: { type: 'jaeger', uid: 'j1' },
      queryType: 'search',
      service: 'inventory',
      minDuration: '45ms',
    });
    expect(buildTraceQuery('jaeger', 'j1', 'cart', { kind: 'errors' }).tags).toBe('error=true');
  });

  it('opens Explore on the anomaly’s range with the query intact', () => {
    const query = buildTraceQuery('tempo', 't1', 'pay"ments', { kind: 'grpc-failures' });
    const url = buildExploreUrl('/grafana', query, { from: '1700000000000', to: '1700003600000' });
    expect(url.startsWith('/grafana/explore?')).toBe(true);
    const panes = JSON.parse(new URL(url, 'http://x').searchParams.get('panes')!);
    expect(panes.mesh.range).toEqual({ from: '1700000000000', to: '1700003600000' });
    expect(panes.mesh.queries[0].query).toBe(query.query);
    expect(panes.mesh.datasource).toBe('t1');
  });

  it('names the org it is given, and none otherwise so Grafana keeps the current one', () => {
    const query = buildTraceQuery('tempo', 't1', 'payments', { kind: 'grpc-failures' });
    const range = { from: '1700000000000', to: '1700003600000' };
    const orgOf = (url: string) => new URL(url, 'http://x').searchParams.get('orgId');
    expect(orgOf(buildExploreUrl('', query, range, 3))).toBe('3');
    expect(orgOf(buildExploreUrl('', query, range))).toBeNull();
    // Grafana's middleware ignores an orgId that is not a positive integer; the URL does not carry one.
    expect(orgOf(buildExploreUrl('', query, range, 0))).toBeNull();
    expect(orgOf(buildExploreUrl('', query, range, Number.NaN))).toBeNull();
    // The org does not change the pane.
    const panesOf = (url: string) => new URL(url, 'http://x').searchParams.get('panes');
    expect(panesOf(buildExploreUrl('', query, range, 3))).toBe(panesOf(buildExploreUrl('', query, range)));
  });
});
