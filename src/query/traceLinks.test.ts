import { assertParses } from '../../tests/shared/traceqlEvaluator';
import { LINKERD_GRPC_FAILURE_CODES, type SemconvVersion } from '../settings/types';
import {
  buildExploreUrl,
  buildJaegerSearch,
  buildTraceQL,
  buildTraceQuery,
  calledHostPattern,
  isJaegerLimit,
  type TraceEvidence,
  type TraceQuery,
} from './traceLinks';

const CART = { appService: 'cart', workload: 'cart', namespace: 'shop' };
const STABLE = { semconv: 'stable' as const, grpcFailureCodes: LINKERD_GRPC_FAILURE_CODES };
const LEGACY = { semconv: 'legacy' as const, grpcFailureCodes: LINKERD_GRPC_FAILURE_CODES };
const CALLERS_TO_CART = 'kind = client && span.server.address =~ "cart(\\\\.shop(\\\\.svc(\\\\..+)?)?)?"';

const EVERY_EVIDENCE: TraceEvidence[] = [
  { kind: 'grpc-failures', side: 'server', mostFrequentCode: 14 },
  { kind: 'grpc-failures', side: 'callers' },
  { kind: 'slow-boundary', callerOverMs: 97, calleeUnderMs: 47 },
  { kind: 'proxy-failures' },
  { kind: 'unanswered' },
  { kind: 'no-traced-caller' },
  { kind: 'app-errors' },
  { kind: 'server-spans' },
  { kind: 'caller-spans' },
];

describe('buildTraceQL', () => {
  test.each<[TraceEvidence, string]>([
    [
      { kind: 'grpc-failures', side: 'server' },
      '{ resource.service.name = "cart" && kind = server && span.rpc.response.status_code =~ ' +
        '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" }',
    ],
    [
      { kind: 'slow-boundary', callerOverMs: 97, calleeUnderMs: 47.3 },
      '{ resource.service.name = "cart" && kind = server && duration < 47ms } < { kind = client && duration > 97ms }',
    ],
    [
      { kind: 'proxy-failures' },
      `{ resource.service.name = "cart" && kind = server } !< { ${CALLERS_TO_CART} && status = error }`,
    ],
    [{ kind: 'unanswered' }, `{ resource.service.name = "cart" && kind = server } !< { ${CALLERS_TO_CART} }`],
    [{ kind: 'no-traced-caller' }, '{ kind = client } !> { resource.service.name = "cart" && kind = server }'],
    [{ kind: 'app-errors' }, '{ resource.service.name = "cart" && kind = server && status = error }'],
    [{ kind: 'server-spans' }, '{ resource.service.name = "cart" && kind = server }'],
    [{ kind: 'caller-spans' }, `{ ${CALLERS_TO_CART} }`],
  ])('stable conventions: %j → %s', (evidence, expected) => {
    expect(buildTraceQL(CART, evidence, STABLE)).toBe(expected);
  });

  it('uses the older conventions’ attributes: the numeric gRPC status and the called host in net.peer.name', () => {
    expect(buildTraceQL(CART, { kind: 'grpc-failures', side: 'callers' }, LEGACY)).toBe(
      '{ kind = client && span.net.peer.name =~ "cart(\\\\.shop(\\\\.svc(\\\\..+)?)?)?" && ' +
        '(span.rpc.grpc.status_code = 2 || span.rpc.grpc.status_code = 4 || span.rpc.grpc.status_code = 7 || ' +
        'span.rpc.grpc.status_code = 13 || span.rpc.grpc.status_code = 14 || span.rpc.grpc.status_code = 15) }'
    );
  });

  it('asks for the configured gRPC failure codes, and for any failure when none is configured', () => {
    const codes = { grpcFailureCodes: [14, 2, 14] };
    const trap: TraceEvidence = { kind: 'grpc-failures', side: 'server' };
    expect(buildTraceQL(CART, trap, { ...STABLE, ...codes })).toContain(
      'span.rpc.response.status_code =~ "UNKNOWN|UNAVAILABLE"'
    );
    expect(buildTraceQL(CART, trap, { ...LEGACY, ...codes })).toContain(
      '(span.rpc.grpc.status_code = 2 || span.rpc.grpc.status_code = 14)'
    );
    expect(buildTraceQL(CART, trap, { ...STABLE, grpcFailureCodes: [] })).toContain(
      'span.rpc.response.status_code != "OK"'
    );
    expect(buildTraceQL(CART, trap, { ...LEGACY, grpcFailureCodes: [] })).toContain('span.rpc.grpc.status_code != 0');
  });

  const hostile = [
    { appService: 'pay"ments', workload: 'pay.ments', namespace: 'sh(op' },
    { appService: 'a\\b\nc', workload: 'x|y', namespace: '[ns]' },
    { appService: '" } || { true', workload: 'w', namespace: 'n' },
  ];
  test.each(hostile.flatMap((target) => EVERY_EVIDENCE.map((evidence) => [target, evidence] as const)))(
    'for %j, %j parses with Grafana’s grammar',
    (target, evidence) => {
      for (const conventions of [STABLE, LEGACY]) {
        expect(() => assertParses(buildTraceQL(target, evidence, conventions))).not.toThrow();
      }
    }
  );
});

describe('calledHostPattern', () => {
  test.each([
    ['cart', true],
    ['cart.shop', true],
    ['cart.shop.svc', true],
    ['cart.shop.svc.cluster.local', true],
    ['cart.shop.svc.example.org', true],
    ['cartx', false],
    ['cart.other', false],
    ['xcart.shop', false],
    ['10.0.0.7', false],
  ])('%s: %s', (host, matches) => {
    expect(new RegExp(`^(?:${calledHostPattern(CART)})$`, 's').test(host)).toBe(matches);
  });
});

describe('buildJaegerSearch', () => {
  test.each<[SemconvVersion, TraceEvidence, string]>([
    [
      'stable',
      { kind: 'grpc-failures', side: 'server', mostFrequentCode: 14 },
      'span.kind=server rpc.response.status_code=UNAVAILABLE',
    ],
    [
      'legacy',
      { kind: 'grpc-failures', side: 'server', mostFrequentCode: 14 },
      'span.kind=server rpc.grpc.status_code=14',
    ],
    ['stable', { kind: 'grpc-failures', side: 'server' }, 'span.kind=server error=true'],
    ['stable', { kind: 'app-errors' }, 'span.kind=server error=true'],
    ['legacy', { kind: 'server-spans' }, 'span.kind=server'],
  ])('%s conventions: %j → tags %s', (semconv, evidence, tags) => {
    expect(buildJaegerSearch(CART, evidence, { ...STABLE, semconv })).toEqual({ service: 'cart', tags });
  });

  test.each<TraceEvidence>([
    { kind: 'grpc-failures', side: 'callers' },
    { kind: 'slow-boundary', callerOverMs: 97, calleeUnderMs: 47 },
    { kind: 'proxy-failures' },
    { kind: 'unanswered' },
    { kind: 'no-traced-caller' },
    { kind: 'caller-spans' },
  ])('says why Jaeger cannot search for %j', (evidence) => {
    const search = buildJaegerSearch(CART, evidence, STABLE);
    expect(isJaegerLimit(search)).toBe(true);
    expect(isJaegerLimit(search) && search.unsupported).toMatch(/^Jaeger’s search /);
  });
});

describe('buildTraceQuery and buildExploreUrl', () => {
  it('builds a Tempo TraceQL query, a Jaeger search, or Jaeger’s limit', () => {
    expect(buildTraceQuery({ type: 'tempo', uid: 't1' }, CART, { kind: 'server-spans' }, STABLE)).toEqual({
      refId: 'traces',
      datasource: { type: 'tempo', uid: 't1' },
      queryType: 'traceql',
      query: '{ resource.service.name = "cart" && kind = server }',
      limit: 20,
    });
    expect(buildTraceQuery({ type: 'jaeger', uid: 'j1' }, CART, { kind: 'app-errors' }, STABLE)).toEqual({
      refId: 'traces',
      datasource: { type: 'jaeger', uid: 'j1' },
      queryType: 'search',
      service: 'cart',
      tags: 'span.kind=server error=true',
      limit: 20,
    });
    expect(isJaegerLimit(buildTraceQuery({ type: 'jaeger', uid: 'j1' }, CART, { kind: 'unanswered' }, STABLE))).toBe(
      true
    );
  });

  it('opens Explore on the anomaly’s range with the query intact', () => {
    const target = { ...CART, appService: 'pay"ments && x' };
    const query = buildTraceQuery({ type: 'tempo', uid: 't1' }, target, { kind: 'proxy-failures' }, STABLE);
    const url = buildExploreUrl('/grafana', query as TraceQuery, { from: '1700000000000', to: '1700003600000' });
    expect(url.startsWith('/grafana/explore?')).toBe(true);
    const panes = JSON.parse(new URL(url, 'http://x').searchParams.get('panes')!);
    expect(panes.mesh.range).toEqual({ from: '1700000000000', to: '1700003600000' });
    expect(panes.mesh.queries[0].query).toBe((query as TraceQuery).query);
    expect(panes.mesh.datasource).toBe('t1');
  });

  it('names the org it is given, and none otherwise so Grafana keeps the current one', () => {
    const query = buildTraceQuery({ type: 'tempo', uid: 't1' }, CART, { kind: 'proxy-failures' }, STABLE) as TraceQuery;
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
