import { DEFAULT_SETTINGS, type AppSettings, type SemconvVersion } from '../settings/types';
import type { Sample } from '../query/sample';
import { aggregateApp, aggregateMesh } from './aggregate';

const OTEL = DEFAULT_SETTINGS;
const LINKERD: AppSettings = { ...DEFAULT_SETTINGS, labelSchema: 'linkerd' };

function mesh(workload: string, labels: Record<string, string>, value: number, namespace = 'shop'): Sample {
  return { labels: { k8s_namespace_name: namespace, k8s_deployment_name: workload, ...labels }, value };
}

const ok = { classification: 'success', status_code: '200' };
const grpcFail = (code: string) => ({ classification: 'failure', status_code: '200', grpc_status: code });

describe('aggregateMesh', () => {
  it('computes rate, success, gRPC trap with named codes and the HTTP-only view', () => {
    const responses = [
      mesh('payments', { ...ok, grpc_status: '0' }, 90),
      mesh('payments', grpcFail('14'), 6),
      mesh('payments', grpcFail('4'), 2),
      mesh('payments', { classification: 'failure', status_code: '503', grpc_status: '' }, 2),
    ];
    const service = aggregateMesh(responses, [], [], OTEL).get('shop/payments');
    expect(service?.namespace).toBe('shop');
    expect(service?.workload).toBe('payments');
    expect(service?.kind).toBe('deployment');
    const figures = service!.figures;
    expect(figures.rps).toBe(100);
    expect(figures.successRate).toBeCloseTo(0.9, 12);
    expect(figures.grpcTrapShare).toBeCloseTo(0.08, 12);
    expect(figures.trapEvidence).toBe('callee');
    expect(figures.grpcTrapCodes.map((c) => c.code)).toEqual(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);
    expect(figures.grpcTrapCodes[0].share).toBeCloseTo(0.06, 12);
    expect(figures.grpcTrapCodes[1].share).toBeCloseTo(0.02, 12);
    // Only the 503 is visible to an HTTP-only view.
    expect(figures.httpErrorShare).toBeCloseTo(0.02, 12);
  });

  test.each([
    // grpc_status as written, the trap code it reads as (undefined: not a failure under Linkerd's codes)
    ['16', undefined],
    ['2', 'UNKNOWN'],
    ['UNAVAILABLE', 'UNAVAILABLE'],
    // Linkerd stable-2.13 to 2.14.1 wrote tonic's description (linkerd2-proxy #2480 made it a number).
    ['Unknown error', 'UNKNOWN'],
    ['The service is currently unavailable', 'UNAVAILABLE'],
    ['Some requested entity was not found', undefined],
    ['5', undefined],
    ['42', undefined],
  ])('grpc_status %j behind HTTP 200 is trap code %j', (raw, name) => {
    const responses = [mesh('svc', ok, 9), mesh('svc', grpcFail(raw), 1)];
    const figures = aggregateMesh(responses, [], [], OTEL).get('shop/svc')!.figures;
    expect(figures.grpcTrapCodes).toEqual(name ? [{ code: name, share: 0.1 }] : []);
    expect(figures.successRate).toBeCloseTo(name ? 0.9 : 1, 12);
  });

  it('counts the configured gRPC codes, not the proxy’s classification, where a status is present', () => {
    const responses = [
      mesh('svc', { ...ok, grpc_status: '0' }, 90),
      // NOT_FOUND: a success to Linkerd; RESOURCE_EXHAUSTED added to the failures in the settings.
      mesh('svc', { ...ok, grpc_status: '5' }, 4),
      mesh('svc', { ...ok, grpc_status: '8' }, 6),
    ];
    const linkerdCodes = aggregateMesh(responses, [], [], OTEL).get('shop/svc')!.figures;
    expect(linkerdCodes.successRate).toBe(1);
    const custom = { ...OTEL, grpcFailureCodes: [...OTEL.grpcFailureCodes, 8] };
    const figures = aggregateMesh(responses, [], [], custom).get('shop/svc')!.figures;
    expect(figures.successRate).toBeCloseTo(0.94, 12);
    expect(figures.grpcTrapCodes).toEqual([{ code: 'RESOURCE_EXHAUSTED', share: 0.06 }]);
  });

  it('orders trap codes by frequency, sums the same code across series, and keeps stream errors out of the trap', () => {
    const responses = [
      mesh('svc', ok, 80),
      mesh('svc', grpcFail('5'), 4),
      mesh('svc', grpcFail('13'), 3),
      mesh('svc', { ...grpcFail('13'), client_id: 'other' }, 3),
      mesh('svc', grpcFail('2'), 1),
      // A stream reset after the headers: a failure, but no gRPC status behind the 200.
      mesh('svc', { classification: 'failure', status_code: '200', grpc_status: '', error: 'h2(CANCEL)' }, 9),
    ];
    const figures = aggregateMesh(responses, [], [], OTEL).get('shop/svc')!.figures;
    expect(figures.grpcTrapCodes.map((c) => c.code)).toEqual(['INTERNAL', 'UNKNOWN']);
    expect(figures.grpcTrapCodes.map((c) => c.share)).toEqual([0.06, 0.01]);
    expect(figures.successRate).toBeCloseTo(0.84, 12);
  });

  it('does not count failures with a non-200 status as the trap', () => {
    const responses = [mesh('web', ok, 95), mesh('web', { classification: 'failure', status_code: '500' }, 5)];
    const figures = aggregateMesh(responses, [], [], OTEL).get('shop/web')!.figures;
    expect(figures.grpcTrapShare).toBe(0);
    expect(figures.grpcTrapCodes).toEqual([]);
    expect(figures.trapEvidence).toBeUndefined();
    expect(figures.httpErrorShare).toBeCloseTo(0.05, 12);
    expect(figures.successRate).toBeCloseTo(0.95, 12);
  });

  it('reads the trap from the callers’ proxies where the callee’s proxy wrote gRPC as plain HTTP', () => {
    // Linkerd stable-2.14.1: inbound gRPC failures are `classification="success",grpc_status=""`.
    const inbound = [mesh('pay', { ...ok, grpc_status: '' }, 100)];
    const callers: Sample[] = [
      {
        labels: {
          dst_namespace: 'shop',
          dst_deployment: 'pay',
          ...ok,
          grpc_status: 'The operation completed successfully',
        },
        value: 72,
      },
      {
        labels: { dst_namespace: 'shop', dst_deployment: 'pay', ...grpcFail('The service is currently unavailable') },
        value: 8,
      },
    ];
    const figures = aggregateMesh(inbound, [], callers, OTEL).get('shop/pay')!.figures;
    expect(figures.successRate).toBe(1);
    expect(figures.trapEvidence).toBe('callers');
    expect(figures.grpcTrapShare).toBeCloseTo(0.1, 12);
    expect(figures.grpcTrapCodes).toEqual([{ code: 'UNAVAILABLE', share: 0.1 }]);
    expect(figures.callers).toMatchObject({ rps: 80, successRate: 0.9, grpcShare: 1 });
  });

  it('keeps the callee’s evidence where it has gRPC statuses, beside the callers’ view', () => {
    const inbound = [mesh('pay', { ...ok, grpc_status: '0' }, 96), mesh('pay', grpcFail('14'), 4)];
    const callers: Sample[] = [
      { labels: { dst_namespace: 'shop', dst_statefulset: 'pay', ...ok, grpc_status: '0' }, value: 90 },
      { labels: { dst_namespace: 'shop', dst_statefulset: 'pay', ...grpcFail('14') }, value: 10 },
    ];
    const figures = aggregateMesh(inbound, [], callers, OTEL).get('shop/pay')!.figures;
    expect(figures.trapEvidence).toBe('callee');
    expect(figures.grpcTrapShare).toBeCloseTo(0.04, 12);
    expect(figures.callers?.grpcTrapShare).toBeCloseTo(0.1, 12);
  });

  test.each([NaN, Infinity, -Infinity, -1])('ignores a %p rate: no data, never zero', (bad) => {
    const mixed = aggregateMesh([mesh('a', ok, 10), mesh('a', grpcFail('14'), bad)], [], [], OTEL).get('shop/a')!;
    expect(mixed.figures.rps).toBe(10);
    expect(mixed.figures.successRate).toBe(1);
    expect(mixed.figures.grpcTrapCodes).toEqual([]);
    // A service whose only series are unusable does not exist, rather than showing 0 req/s.
    expect(aggregateMesh([mesh('b', ok, bad)], [], [], OTEL).has('shop/b')).toBe(false);
  });

  it('zero traffic: rate 0 and every ratio and latency undefined', () => {
    const responses = [mesh('idle', ok, 0), mesh('idle', grpcFail('14'), 0)];
    const latency = [mesh('idle', { quantile: '0.95' }, 12)];
    const figures = aggregateMesh(responses, latency, [], OTEL).get('shop/idle')!.figures;
    expect(figures).toEqual({
      rps: 0,
      successRate: undefined,
      latency: {},
      grpcTrapShare: undefined,
      grpcTrapCodes: [],
      httpErrorShare: undefined,
      grpcShare: undefined,
      callers: undefined,
    });
  });

  it('reads latency quantiles and the mean in ms and skips non-finite ones', () => {
    const latency = [
      mesh('web', { quantile: '0.5' }, 12.5),
      mesh('web', { quantile: '0.95' }, 140),
      mesh('web', { quantile: '0.99' }, NaN),
      mesh('web', { quantile: 'mean' }, 20.25),
      mesh('other', { quantile: '0.5' }, 3),
    ];
    const services = aggregateMesh([mesh('web', ok, 1)], latency, [], OTEL);
    expect(services.get('shop/web')!.figures.latency).toEqual({ p50: 12.5, p95: 140, mean: 20.25 });
    // Latency alone does not make a service.
    expect(services.has('shop/other')).toBe(false);
  });

  it('reads the Linkerd schema and every workload kind, the deployment before its replicaset', () => {
    const responses: Sample[] = [
      { labels: { namespace: 'db', statefulset: 'pg', ...ok }, value: 4 },
      { labels: { namespace: 'db', daemonset: 'agent', ...ok }, value: 1 },
      { labels: { namespace: 'ops', k8s_job: 'migrate', ...ok }, value: 1 },
      { labels: { namespace: 'ops', cronjob: 'nightly', ...ok }, value: 1 },
      { labels: { namespace: 'ops', replicationcontroller: 'legacy', ...ok }, value: 1 },
      { labels: { namespace: 'ops', replicaset: 'bare', ...ok }, value: 1 },
      { labels: { k8s_namespace_name: 'db', k8s_deployment_name: 'wrong-schema', ...ok }, value: 1 },
    ];
    const services = aggregateMesh(responses, [], [], LINKERD);
    expect([...services.keys()].sort()).toEqual([
      'db/agent',
      'db/pg',
      'ops/bare',
      'ops/legacy',
      'ops/migrate',
      'ops/nightly',
    ]);
    expect(services.get('db/pg')!.figures.rps).toBe(4);
    expect(services.get('ops/migrate')!.kind).toBe('job');
    const both: Sample[] = [
      {
        labels: { k8s_namespace_name: 'a', k8s_deployment_name: 'web', k8s_replicaset_name: 'web-5d9f', ...ok },
        value: 2,
      },
    ];
    expect([...aggregateMesh(both, [], [], OTEL).keys()]).toEqual(['a/web']);
  });
});

const APP_LABELS: Record<SemconvVersion, { http: string; rpc: string; okRpc: string; failRpc: string }> = {
  stable: { http: 'http_response_status_code', rpc: 'rpc_response_status_code', okRpc: 'OK', failRpc: 'UNAVAILABLE' },
  legacy: { http: 'http_status_code', rpc: 'rpc_grpc_status_code', okRpc: '0', failRpc: '14' },
};

function app(service: string, labels: Record<string, string>, value: number): Sample {
  return { labels: { service_name: service, service_namespace: 'shop', ...labels }, value };
}

describe('aggregateApp', () => {
  test.each([
    ['stable', 0.25, 250],
    ['stable', 0.0125, 12.5],
    ['legacy', 250, 250],
    ['legacy', 0.5, 0.5],
  ] as const)('%s: latency %p in the source unit is %p ms', (semconv, value, ms) => {
    const settings = { ...DEFAULT_SETTINGS, semconv };
    const requests = [app('web', { [APP_LABELS[semconv].http]: '200' }, 1)];
    const latency = [app('web', { quantile: '0.95' }, value)];
    expect(aggregateApp(requests, latency, settings).get('shop/web')!.figures.latency.p95).toBeCloseTo(ms, 9);
  });

  test.each([
    ['stable', 'OK', false],
    ['stable', 'UNAVAILABLE', true],
    // NOT_FOUND is not among Linkerd's failure codes: neither layer counts it.
    ['stable', 'NOT_FOUND', false],
    ['stable', 'DEADLINE_EXCEEDED', true],
    ['legacy', '0', false],
    ['legacy', '14', true],
    ['legacy', '2', true],
    ['legacy', '5', false],
  ] as const)('%s RPC status %s → error %p', (semconv, status, isError) => {
    const settings = { ...DEFAULT_SETTINGS, semconv };
    const requests = [
      app('pay', { [APP_LABELS[semconv].rpc]: APP_LABELS[semconv].okRpc }, 3),
      app('pay', { [APP_LABELS[semconv].rpc]: status }, 1),
    ];
    const figures = aggregateApp(requests, [], settings).get('shop/pay')!.figures;
    expect(figures.rps).toBe(4);
    expect(figures.successRate).toBe(isError ? 0.75 : 1);
    expect(figures.protocols).toEqual(['rpc']);
    expect(figures.httpErrorShare).toBeUndefined();
  });

  test.each([
    ['200', false],
    ['404', false],
    ['499', false],
    ['500', true],
    ['503', true],
  ])('HTTP status %s → error %p', (status, isError) => {
    const requests = [
      app('web', { http_response_status_code: '200' }, 3),
      app('web', { http_response_status_code: status }, 1),
    ];
    const figures = aggregateApp(requests, [], DEFAULT_SETTINGS).get('shop/web')!.figures;
    expect(figures.successRate).toBe(isError ? 0.75 : 1);
    expect(figures.httpErrorShare).toBe(isError ? 0.25 : 0);
    expect(figures.protocols).toEqual(['http']);
  });

  it('a service with both protocols: errors over all, HTTP view over HTTP only', () => {
    const requests = [
      app('mixed', { http_response_status_code: '200' }, 6),
      app('mixed', { http_response_status_code: '500' }, 2),
      app('mixed', { rpc_response_status_code: 'INTERNAL' }, 2),
    ];
    const figures = aggregateApp(requests, [], DEFAULT_SETTINGS).get('shop/mixed')!.figures;
    expect(figures.rps).toBe(10);
    expect(figures.successRate).toBeCloseTo(0.6, 12);
    expect(figures.httpErrorShare).toBe(0.25);
    expect(figures.protocols).toEqual(['http', 'rpc']);
  });

  test.each([NaN, Infinity, -3])('ignores a %p rate', (bad) => {
    const requests = [
      app('web', { http_response_status_code: '200' }, 5),
      app('web', { http_response_status_code: '500' }, bad),
    ];
    const figures = aggregateApp(requests, [], DEFAULT_SETTINGS).get('shop/web')!.figures;
    expect(figures.rps).toBe(5);
    expect(figures.successRate).toBe(1);
  });

  it('zero traffic: success rate undefined, latency empty', () => {
    const requests = [app('idle', { http_response_status_code: '200' }, 0)];
    const latency = [app('idle', { quantile: '0.5' }, 0.1)];
    const figures = aggregateApp(requests, latency, DEFAULT_SETTINGS).get('shop/idle')!.figures;
    expect(figures.rps).toBe(0);
    expect(figures.successRate).toBeUndefined();
    expect(figures.httpErrorShare).toBeUndefined();
    expect(figures.latency).toEqual({});
  });

  test.each([
    ['shop/web', 'shop', 'web'],
    ['web', '', 'web'],
    ['team/a/web', 'team/a', 'web'],
  ])('job %j → namespace %j, service %j', (job, namespace, service) => {
    const settings: AppSettings = { ...DEFAULT_SETTINGS, appServiceLabel: 'job' };
    const requests: Sample[] = [
      { labels: { job, service_namespace: 'ignored', http_response_status_code: '200' }, value: 1 },
    ];
    const latency: Sample[] = [{ labels: { job, quantile: '0.99' }, value: 0.3 }];
    const services = aggregateApp(requests, latency, settings);
    expect([...services.keys()]).toEqual([`${namespace}/${service}`]);
    const found = services.get(`${namespace}/${service}`)!;
    expect([found.namespace, found.service]).toEqual([namespace, service]);
    expect(found.figures.latency.p99).toBeCloseTo(300, 9);
  });

  test.each([
    [{ service_namespace: 'a', k8s_namespace_name: 'b' }, 'a'],
    [{ service_namespace: '', k8s_namespace_name: 'b' }, 'b'],
    [{ k8s_namespace_name: 'b' }, 'b'],
    [{}, ''],
  ])('service_name: namespace from %j is %j', (nsLabels, namespace) => {
    const requests: Sample[] = [{ labels: { service_name: 'web', ...nsLabels }, value: 1 }];
    expect([...aggregateApp(requests, [], DEFAULT_SETTINGS).keys()]).toEqual([`${namespace}/web`]);
  });

  it('skips series without a service name', () => {
    const requests: Sample[] = [{ labels: { service_namespace: 'shop', http_response_status_code: '200' }, value: 7 }];
    expect(aggregateApp(requests, [], DEFAULT_SETTINGS).size).toBe(0);
  });
});
