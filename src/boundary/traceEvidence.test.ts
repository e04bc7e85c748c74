import type { FlagId } from '../constants';
import { DEFAULT_THRESHOLDS, LINKERD_GRPC_FAILURE_CODES } from '../settings/types';
import type { ServiceRow } from './types';
import { jaegerNote, traceLinksFor, traceTargetOf } from './traceEvidence';

const CONVENTIONS = { semconv: 'stable' as const, grpcFailureCodes: LINKERD_GRPC_FAILURE_CODES };

function row(overrides: Partial<ServiceRow> & { flagIds?: FlagId[] }): ServiceRow {
  const { flagIds = [], ...rest } = overrides;
  return {
    key: 'shop/svc',
    namespace: 'shop',
    service: 'svc',
    coverage: 'both',
    mesh: { rps: 10, successRate: 1, grpcTrapCodes: [], latency: {} },
    app: { rps: 10, successRate: 1, protocols: ['http'], latency: { p50: 12, p95: 40, mean: 15 } },
    outsideApp: {},
    flags: flagIds.map((id) => ({ id, summary: '' })),
    ...rest,
  };
}

const links = (r: ServiceRow) => traceLinksFor(r, DEFAULT_THRESHOLDS, CONVENTIONS);

describe('traceLinksFor', () => {
  it('links a service without flags to its requests', () => {
    expect(links(row({}))).toEqual([
      {
        evidence: { kind: 'server-spans' },
        title: 'Requests to svc',
        explanation: 'svc’s server spans, most recent first.',
      },
    ]);
  });

  it('looks for the trap in the app’s server spans, searched in Jaeger by the most frequent code', () => {
    const trap = row({
      flagIds: ['grpc-trap'],
      mesh: { rps: 10, successRate: 0.9, grpcTrapCodes: [{ code: 'UNAVAILABLE', share: 0.06 }], latency: {} },
    });
    const [link] = links(trap);
    expect(link.evidence).toEqual({ kind: 'grpc-failures', side: 'server', mostFrequentCode: 14 });
    expect(link.title).toBe('Calls svc answered with a failing gRPC status');
    expect(link.explanation).toContain(
      'rpc.response.status_code is one of the configured failure codes (UNKNOWN, DEADLINE_EXCEEDED, ' +
        'PERMISSION_DENIED, INTERNAL, UNAVAILABLE, DATA_LOSS)'
    );
    // A service with no SDK: its callers' spans carry what it answered.
    expect(links({ ...trap, coverage: 'mesh-only', app: undefined })[0]).toMatchObject({
      evidence: { kind: 'grpc-failures', side: 'callers' },
      title: 'Calls to svc that got a failing gRPC status',
    });
  });

  it('bounds the boundary’s gap by two durations the flag’s limit apart, centred on the app’s median', () => {
    // 120 ms outside on average, limit max(50 ms, 25 % of the app's 15 ms mean) = 50 ms: the window of app
    // durations found is 70 ms wide around the median 12 ms.
    const [link] = links(row({ flagIds: ['boundary-latency'], outsideApp: { mean: 120 } }));
    expect(link.evidence).toEqual({ kind: 'slow-boundary', calleeUnderMs: 47, callerOverMs: 97 });
    expect(link.title).toBe('Calls to svc that spent over 50 ms outside its app');
    expect(link.explanation).toMatch(/^Callers’ spans longer than 97 ms whose child span in svc took less than 47 ms/);
  });

  it('takes the p95 evidence’s lower bound and limit when the mean did not raise the flag', () => {
    const slow = row({
      flagIds: ['boundary-latency'],
      app: { rps: 10, successRate: 1, protocols: ['http'], latency: { p50: 100, p95: 300 } },
      outsideApp: { p95Bounds: { lower: 200, upper: 400 } },
    });
    // limit max(50, 25 % of 300) = 75 ms; gap at least 200 ms.
    expect(links(slow)[0].evidence).toEqual({ kind: 'slow-boundary', calleeUnderMs: 162, callerOverMs: 237 });
  });

  test.each<[string, Partial<ServiceRow>, string[]]>([
    [
      'the mesh fails more',
      { mesh: { rps: 10, successRate: 0.95, grpcTrapCodes: [], latency: {} } },
      ['proxy-failures'],
    ],
    ['the app fails more', { app: { rps: 10, successRate: 0.9, protocols: ['http'], latency: {} } }, ['app-errors']],
    [
      'the app sees more requests',
      { app: { rps: 30, successRate: 1, protocols: ['http'], latency: {} } },
      ['no-traced-caller'],
    ],
    [
      'the mesh sees more requests',
      { mesh: { rps: 30, successRate: 1, grpcTrapCodes: [], latency: {} } },
      ['unanswered'],
    ],
    [
      'both success and rate',
      {
        mesh: { rps: 10, successRate: 0.9, grpcTrapCodes: [], latency: {} },
        app: { rps: 40, successRate: 1, protocols: ['http'], latency: {} },
      },
      ['proxy-failures', 'no-traced-caller'],
    ],
    ['the mesh saw nothing', { mesh: { rps: 0, grpcTrapCodes: [], latency: {} } }, ['no-traced-caller']],
  ])('layers disagree when %s', (_, figures, kinds) => {
    expect(links(row({ flagIds: ['disagreement'], ...figures })).map((l) => l.evidence.kind)).toEqual(kinds);
  });

  it('names what the layers’ coverage leaves to find', () => {
    const meshOnly = links(row({ flagIds: ['coverage'], coverage: 'mesh-only', app: undefined }))[0];
    expect(meshOnly.evidence).toEqual({ kind: 'caller-spans' });
    expect(meshOnly.title).toBe('Calls to svc from its traced callers');
    const appOnly = links(row({ flagIds: ['coverage'], coverage: 'app-only', mesh: undefined }))[0];
    expect(appOnly.evidence).toEqual({ kind: 'server-spans' });
    expect(appOnly.title).toBe('Requests to svc, none of them through the mesh');
  });

  it('names the app’s service and the workload its callers dial', () => {
    const renamed = row({ appService: 'currency-api', service: 'currency' });
    expect(traceTargetOf(renamed)).toEqual({ appService: 'currency-api', workload: 'currency', namespace: 'shop' });
    expect(links(renamed)[0].title).toBe('Requests to currency-api');
  });
});

describe('jaegerNote', () => {
  it('says what a Jaeger search of the trap leaves out', () => {
    expect(jaegerNote({ kind: 'grpc-failures', side: 'server', mostFrequentCode: 14 }, CONVENTIONS)).toBe(
      'Jaeger’s search takes one value per tag: it finds UNAVAILABLE, the most frequent failing code, and not ' +
        'UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED, INTERNAL, DATA_LOSS.'
    );
    expect(jaegerNote({ kind: 'grpc-failures', side: 'server' }, CONVENTIONS)).toMatch(/spans in error/);
    expect(jaegerNote({ kind: 'app-errors' }, CONVENTIONS)).toBeUndefined();
  });
});
