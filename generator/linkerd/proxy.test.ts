/**
 * The imitated Linkerd proxy, behaviour by behaviour: each case builds a small scenario and asserts what the
 * series say. The sources of each behaviour are in generations.ts, labels.ts, outcomes.ts, proxy.ts and in
 * docs/scenarios.md; the upstream capture is held to in upstreamSample.test.ts.
 */
import type { LabelSchema } from '../../src/settings/types';
import { importChunks } from '../generate';
import { parseScenario, WORKLOAD_KINDS, type Scenario, type WorkloadKind } from '../scenario';
import { buildSeries, type Labels, type SeriesDef } from '../series';
import type { ProxyGenerationId } from './generations';

type Raw = Record<string, unknown>;

const GENERATIONS: ProxyGenerationId[] = ['2.20', '2.14.1'];
const WORLDS: LabelSchema[] = ['otel', 'linkerd'];

function svc(name: string, overrides: Raw = {}): Raw {
  return {
    namespace: 'shop',
    name,
    protocol: 'http',
    rps: 10,
    pods: 1,
    appLatencyMs: { median: 10, p95: 30 },
    callers: [],
    ...overrides,
  };
}

/** A callee `api` (with the given fields) called by a Deployment `client`, on the chosen proxy generation. */
function calleeAndClient(proxy: ProxyGenerationId, api: Raw = {}, caller: Raw = {}, top: Raw = {}): Scenario {
  return parseScenario({
    name: 'proxy-test',
    seed: 11,
    proxy,
    ...top,
    services: [
      svc('api', { callers: [{ workload: 'client', share: 1, ...caller }], ...api }),
      svc('client', { rps: 0 }),
    ],
  });
}

function seriesOf(scenario: Scenario, world: LabelSchema = 'otel'): SeriesDef[] {
  return buildSeries(scenario, { semconv: 'stable', world });
}

const rateOf = (series: SeriesDef[]) => series.reduce((sum, s) => sum + s.rate, 0);
const where = (series: SeriesDef[], predicate: (s: SeriesDef) => boolean) => series.filter(predicate);
const named = (name: string) => (s: SeriesDef) => s.name === name;
const onPodOf = (workload: string) => (s: SeriesDef) => s.target.layer === 'mesh' && s.target.workload === workload;
const isAdmin = (s: SeriesDef) => s.labels.target_port === '4191';
const isAppInbound = (s: SeriesDef) =>
  s.labels.direction === 'inbound' && s.labels.target_port === '8080' && s.target.workload === 'api';
const isOutbound = (s: SeriesDef) => s.labels.direction === 'outbound';
const TCP_FAMILIES = [
  'tcp_open_total',
  'tcp_open_connections',
  'tcp_read_bytes_total',
  'tcp_write_bytes_total',
  'tcp_close_total',
];

describe('admin server traffic (port 4191)', () => {
  describe.each(GENERATIONS.flatMap((g) => WORLDS.map((w) => [g, w] as const)))(
    'proxy %s, %s world',
    (proxy, world) => {
      const scenario = calleeAndClient(proxy, { pods: 3 });
      const series = seriesOf(scenario, world);
      const pods = [...new Set(series.filter((s) => s.target.layer === 'mesh').map((s) => s.target.pod))];

      it('counts a scrape every 15 s and two kubelet probes every 10 s on every pod: ~0.267 req/s', () => {
        expect(pods).toHaveLength(4);
        for (const pod of pods) {
          const admin = where(series, (s) => s.target.pod === pod && s.name === 'request_total' && isAdmin(s));
          expect(rateOf(admin)).toBeCloseTo(1 / 15 + 0.2, 9);
          expect(rateOf(admin)).toBeCloseTo(0.267, 3);
          expect(rateOf(where(admin, (s) => s.labels.route_name === 'probe'))).toBeCloseTo(0.2, 9);
          expect(rateOf(where(admin, (s) => s.labels.route_name === 'default'))).toBeCloseTo(1 / 15, 9);
        }
      });

      it('writes the listen address, the default server, route "probe" for probes, and no authority', () => {
        const admin = where(series, (s) => isAdmin(s) && ['request_total', 'response_total'].includes(s.name));
        expect(admin.length).toBeGreaterThan(0);
        for (const s of admin) {
          expect(s.labels).toMatchObject({
            direction: 'inbound',
            target_addr: '0.0.0.0:4191',
            target_ip: '0.0.0.0',
            srv_group: '',
            srv_kind: 'default',
            srv_name: 'all-unauthenticated',
            route_group: '',
            route_kind: 'default',
            authz_group: '',
            authz_kind: 'default',
          });
          expect(s.labels.authority).toBeUndefined();
          expect(s.labels.srv_port).toBe(proxy === '2.20' ? '4191' : undefined);
          const probe = s.labels.route_name === 'probe';
          expect(s.labels.authz_name).toBe(probe ? 'probe' : 'all-unauthenticated');
          // The kubelet is never meshed; the scraper is the Collector (no TLS) or linkerd-viz's meshed Prometheus.
          const meshedScraper = !probe && world === 'linkerd';
          expect(s.labels.tls).toBe(meshedScraper ? 'true' : 'no_identity');
          expect(s.labels.client_id).toBe(
            meshedScraper ? 'prometheus.linkerd-viz.serviceaccount.identity.linkerd.cluster.local' : undefined
          );
          expect(s.labels.no_tls_reason).toBe(meshedScraper ? undefined : 'no_tls_from_remote');
        }
        expect(new Set(admin.map((s) => s.labels.route_name))).toEqual(new Set(['default', 'probe']));
      });

      it('has TCP series on the caller side only (peer="src")', () => {
        for (const pod of pods) {
          for (const family of TCP_FAMILIES) {
            const admin = where(series, (s) => s.target.pod === pod && s.name === family && isAdmin(s));
            // The Collector and the kubelet (both without TLS) share one series; viz's Prometheus has its own.
            expect(admin).toHaveLength(world === 'otel' ? 1 : 2);
            expect(admin.every((s) => s.labels.peer === 'src' && s.labels.direction === 'inbound')).toBe(true);
          }
        }
      });

      it('stays out of the newer inbound route families', () => {
        const routeFamilies = where(series, (s) => /^inbound_(http|grpc)_/.test(s.name));
        expect(routeFamilies.length > 0).toBe(proxy === '2.20');
        expect(routeFamilies.every((s) => s.labels.parent_port === '8080')).toBe(true);
      });
    }
  );

  test.each([15, 30, 60])('follows the scrape interval (%p s)', (scrapeIntervalSeconds) => {
    const series = seriesOf(calleeAndClient('2.20', {}, {}, { scrapeIntervalSeconds }));
    const scrapes = where(
      series,
      (s) => onPodOf('api')(s) && s.name === 'request_total' && isAdmin(s) && s.labels.route_name === 'default'
    );
    expect(rateOf(scrapes)).toBeCloseTo(1 / scrapeIntervalSeconds, 9);
  });
});

describe('inbound TCP', () => {
  describe.each(GENERATIONS)('proxy %s', (proxy) => {
    const series = seriesOf(calleeAndClient(proxy, { rps: 40, boundaryFailureRate: 0.2 }));
    const inboundTcp = where(series, (s) => TCP_FAMILIES.includes(s.name) && s.labels.direction === 'inbound');

    it('has both sides: the caller’s connection (peer="src") and the loopback one to the app (peer="dst")', () => {
      for (const family of TCP_FAMILIES) {
        const onApi = where(inboundTcp, (s) => onPodOf('api')(s) && s.name === family);
        expect(where(onApi, (s) => s.labels.peer === 'src' && s.labels.target_port === '8080').length).toBeGreaterThan(
          0
        );
        expect(where(onApi, (s) => s.labels.peer === 'dst').length).toBeGreaterThan(0);
      }
    });

    it('writes peer="dst" with exactly direction, peer, tls="no_identity" and no_tls_reason="loopback"', () => {
      const dst = where(inboundTcp, (s) => s.labels.peer === 'dst');
      expect(dst.length).toBeGreaterThan(0);
      for (const s of dst) {
        const { errno, ...labels } = s.labels;
        expect(labels).toEqual({ direction: 'inbound', peer: 'dst', tls: 'no_identity', no_tls_reason: 'loopback' });
        expect(Object.keys(labels)).toEqual(['direction', 'peer', 'tls', 'no_tls_reason']);
        expect(errno === undefined).toBe(s.name !== 'tcp_close_total');
      }
      // Every app port folds into one series per family and pod.
      for (const family of TCP_FAMILIES.filter((f) => f !== 'tcp_close_total')) {
        expect(where(dst, (s) => onPodOf('api')(s) && s.name === family)).toHaveLength(1);
      }
    });

    it('writes the server labels on peer="src" but no route or authorization labels', () => {
      const src = where(inboundTcp, (s) => s.labels.peer === 'src');
      for (const s of src) {
        expect(s.labels).toMatchObject({ srv_group: '', srv_kind: 'default', srv_name: 'all-unauthenticated' });
        expect(s.labels.srv_port).toBe(proxy === '2.20' ? s.labels.target_port : undefined);
        expect(Object.keys(s.labels).filter((l) => /^(route|authz)_/.test(l))).toEqual([]);
      }
    });

    it('closes carry errno ("" or "ECONNRESET"), never classification; other families no errno', () => {
      const tcp = where(series, (s) => TCP_FAMILIES.includes(s.name));
      const closes = where(tcp, named('tcp_close_total'));
      expect(closes.length).toBeGreaterThan(0);
      for (const s of closes) {
        expect(['', 'ECONNRESET']).toContain(s.labels.errno);
        expect(Object.keys(s.labels).pop()).toBe('errno');
      }
      expect(tcp.some((s) => 'classification' in s.labels)).toBe(false);
      expect(where(tcp, (s) => s.name !== 'tcp_close_total' && 'errno' in s.labels)).toEqual([]);
      // An app refusing connections makes the callers' connections reset now and then.
      expect(rateOf(where(closes, (s) => s.labels.errno === 'ECONNRESET' && onPodOf('api')(s)))).toBeGreaterThan(0);
    });
  });
});

/** gRPC codes by name, with Linkerd's default classification and tonic 0.8.3's description. */
const GRPC_CASES: Array<[string, number, 'success' | 'failure', string]> = [
  ['CANCELLED', 1, 'success', 'The operation was cancelled'],
  ['UNKNOWN', 2, 'failure', 'Unknown error'],
  ['INVALID_ARGUMENT', 3, 'success', 'Client specified an invalid argument'],
  ['DEADLINE_EXCEEDED', 4, 'failure', 'Deadline expired before operation could complete'],
  ['NOT_FOUND', 5, 'success', 'Some requested entity was not found'],
  ['PERMISSION_DENIED', 7, 'failure', 'The caller does not have permission to execute the specified operation'],
  ['RESOURCE_EXHAUSTED', 8, 'success', 'Some resource has been exhausted'],
  ['INTERNAL', 13, 'failure', 'Internal error'],
  ['UNAVAILABLE', 14, 'failure', 'The service is currently unavailable'],
  ['DATA_LOSS', 15, 'failure', 'Unrecoverable data loss or corruption'],
  ['UNAUTHENTICATED', 16, 'success', 'The request does not have valid authentication credentials'],
];

describe('gRPC classification', () => {
  const RPS = 40;
  const FAIL = 0.25;

  describe.each(GRPC_CASES)('a call failing with %s (%p)', (name, code, linkerdClass, tonicText) => {
    const scenarioFor = (proxy: ProxyGenerationId) =>
      calleeAndClient(proxy, { protocol: 'grpc', rps: RPS, grpcFailures: { rate: FAIL, codes: { [name]: 1 } } });
    const responses = (proxy: ProxyGenerationId, side: (s: SeriesDef) => boolean) =>
      where(seriesOf(scenarioFor(proxy)), (s) => s.name === 'response_total' && side(s));

    test.each<[ProxyGenerationId, 'inbound' | 'outbound', Labels, Labels]>([
      // 2.20: the code as a number, a failure only for 2, 4, 7, 13, 14, 15 — on both sides.
      [
        '2.20',
        'inbound',
        { classification: 'success', grpc_status: '0' },
        { classification: linkerdClass, grpc_status: String(code) },
      ],
      [
        '2.20',
        'outbound',
        { classification: 'success', grpc_status: '0' },
        { classification: linkerdClass, grpc_status: String(code) },
      ],
      // 2.14.1's inbound proxy takes gRPC for plain HTTP: HTTP 200 is a success, and no grpc_status is written.
      [
        '2.14.1',
        'inbound',
        { classification: 'success', grpc_status: '' },
        { classification: 'success', grpc_status: '' },
      ],
      // Its outbound proxy classifies, and writes the code as tonic's English description.
      [
        '2.14.1',
        'outbound',
        { classification: 'success', grpc_status: 'The operation completed successfully' },
        { classification: linkerdClass, grpc_status: tonicText },
      ],
    ])('proxy %s, %s', (proxy, side, ok, failed) => {
      const series = responses(proxy, side === 'inbound' ? isAppInbound : (s) => isOutbound(s) && onPodOf('client')(s));
      expect(series.every((s) => s.labels.status_code === '200' && s.labels.error === '')).toBe(true);
      expect(rateOf(series)).toBeCloseTo(RPS, 9);
      const by = (labels: Labels) =>
        rateOf(where(series, (s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)));
      if (JSON.stringify(ok) === JSON.stringify(failed)) {
        expect(series).toHaveLength(1);
        expect(by(ok)).toBeCloseTo(RPS, 9);
      } else {
        expect(by(ok)).toBeCloseTo(RPS * (1 - FAIL), 9);
        expect(by(failed)).toBeCloseTo(RPS * FAIL, 9);
      }
    });
  });

  it('writes every code other than 2, 4, 7, 13, 14, 15 as a success (2.20)', () => {
    const failing = GRPC_CASES.filter(([, , c]) => c === 'failure').map(([, code]) => code);
    expect(failing).toEqual([2, 4, 7, 13, 14, 15]);
  });
});

describe('boundary failures: the callee’s proxy cannot reach its app', () => {
  const RPS = 50;
  const RATE = 0.1;

  test.each<[ProxyGenerationId, 'http' | 'grpc', Labels, Labels]>([
    [
      '2.20',
      'http',
      { status_code: '502', classification: 'failure', grpc_status: '' },
      { status_code: '502', classification: 'failure', grpc_status: '' },
    ],
    [
      '2.14.1',
      'http',
      { status_code: '502', classification: 'failure', grpc_status: '' },
      { status_code: '502', classification: 'failure', grpc_status: '' },
    ],
    [
      '2.20',
      'grpc',
      { status_code: '200', classification: 'failure', grpc_status: '14' },
      { status_code: '200', classification: 'failure', grpc_status: '14' },
    ],
    // 2.14.1's inbound proxy writes its own UNAVAILABLE as an HTTP 200 success; the callers' proxies see it.
    [
      '2.14.1',
      'grpc',
      { status_code: '200', classification: 'success', grpc_status: '' },
      { status_code: '200', classification: 'failure', grpc_status: 'The service is currently unavailable' },
    ],
  ])('proxy %s, %s: %j on the callee’s inbound, %j on the caller’s outbound', (proxy, protocol, inbound, outbound) => {
    const series = seriesOf(calleeAndClient(proxy, { protocol, rps: RPS, boundaryFailureRate: RATE }));
    const responses = where(series, named('response_total'));
    const matching = (labels: Labels) => (s: SeriesDef) => Object.entries(labels).every(([k, v]) => s.labels[k] === v);
    const calleeIn = where(responses, isAppInbound);
    const callerOut = where(responses, (s) => isOutbound(s) && onPodOf('client')(s));
    expect(rateOf(calleeIn)).toBeCloseTo(RPS, 9);
    expect(rateOf(callerOut)).toBeCloseTo(RPS, 9);
    expect(rateOf(where(calleeIn, matching(inbound)))).toBeCloseTo(
      protocol === 'grpc' && proxy === '2.14.1' ? RPS : RPS * RATE,
      9
    );
    expect(rateOf(where(callerOut, matching(outbound)))).toBeCloseTo(RPS * RATE, 9);
    // Never the 503 of a load-shedding proxy.
    expect(responses.some((s) => s.labels.status_code === '503')).toBe(false);
    // The app never sees those requests.
    const appCount = where(series, (s) => s.target.layer === 'app' && s.name.endsWith('_count'));
    expect(rateOf(appCount)).toBeCloseTo(RPS * (1 - RATE), 9);
  });
});

describe('caller failures: the caller’s proxy cannot reach the callee', () => {
  const RPS = 30;
  const FAILURE_RATE = 0.25;

  test.each<[ProxyGenerationId, 'http' | 'grpc', Labels]>([
    ['2.20', 'http', { status_code: '502', classification: 'failure', grpc_status: '' }],
    ['2.14.1', 'http', { status_code: '502', classification: 'failure', grpc_status: '' }],
    ['2.20', 'grpc', { status_code: '200', classification: 'failure', grpc_status: '14' }],
    [
      '2.14.1',
      'grpc',
      { status_code: '200', classification: 'failure', grpc_status: 'The service is currently unavailable' },
    ],
  ])('proxy %s, %s: only the caller’s outbound series show them', (proxy, protocol, failed) => {
    const series = seriesOf(calleeAndClient(proxy, { protocol, rps: RPS }, { failureRate: FAILURE_RATE }));
    const responses = where(series, named('response_total'));
    const calleeIn = where(responses, isAppInbound);
    const callerOut = where(responses, (s) => isOutbound(s) && onPodOf('client')(s));
    // The callee counts what arrives (its rps); the caller also counts what its own proxy failed.
    expect(rateOf(calleeIn)).toBeCloseTo(RPS, 9);
    expect(rateOf(where(calleeIn, (s) => s.labels.classification === 'failure'))).toBe(0);
    expect(rateOf(callerOut)).toBeCloseTo(RPS / (1 - FAILURE_RATE), 9);
    const matching = where(callerOut, (s) => Object.entries(failed).every(([k, v]) => s.labels[k] === v));
    expect(rateOf(matching)).toBeCloseTo((RPS / (1 - FAILURE_RATE)) * FAILURE_RATE, 9);
    expect(
      rateOf(where(where(series, named('request_total')), (s) => isOutbound(s) && onPodOf('client')(s)))
    ).toBeCloseTo(RPS / (1 - FAILURE_RATE), 9);
  });

  it('adds the caller’s latency to its outbound series only', () => {
    const series = seriesOf(calleeAndClient('2.20', { rps: 100 }, { latencyMs: 40 }));
    const mean = (side: (s: SeriesDef) => boolean) => {
      const pick = (suffix: string) =>
        rateOf(where(series, (s) => s.name === `response_latency_ms_${suffix}` && side(s)));
      return pick('sum') / pick('count');
    };
    const inbound = mean(isAppInbound);
    const outbound = mean((s) => isOutbound(s) && onPodOf('client')(s));
    // `_sum` adds whole milliseconds, so the difference may be off by one.
    expect(Math.abs(outbound - inbound - 40)).toBeLessThanOrEqual(1);
  });
});

describe('outbound and inbound endpoint labels', () => {
  const DST_DEPLOYMENT = [
    'dst_control_plane_ns',
    'dst_deployment',
    'dst_namespace',
    'dst_pod',
    'dst_pod_template_hash',
    'dst_service',
    'dst_serviceaccount',
  ];

  test.each<[ProxyGenerationId, string[]]>([
    ['2.20', [...DST_DEPLOYMENT, 'dst_zone', 'dst_zone_locality']],
    ['2.14.1', DST_DEPLOYMENT],
  ])('proxy %s: outbound series carry the dst_* labels, sorted by name', (proxy, dst) => {
    const series = seriesOf(calleeAndClient(proxy, { serviceAccount: 'api-sa', pods: 2 }));
    const podByIp = new Map(series.filter(onPodOf('api')).map((s) => [s.target.ip, s.target.pod]));
    const outbound = where(series, (s) => isOutbound(s) && onPodOf('client')(s) && s.labels.peer !== 'src');
    const families = new Set(outbound.map((s) => s.name));
    for (const family of ['request_total', 'response_total', 'response_latency_ms_bucket', ...TCP_FAMILIES]) {
      expect(families).toContain(family);
    }
    for (const s of outbound) {
      const names = Object.keys(s.labels);
      const dstNames = names.filter((n) => n.startsWith('dst_'));
      expect(dstNames).toEqual(dst);
      expect(dstNames).toEqual([...dstNames].sort());
      // One contiguous block after the TLS labels, as `(ta, tls)` then `,{labels}`.
      const first = names.indexOf(dstNames[0]);
      expect(names.slice(first, first + dstNames.length)).toEqual(dstNames);
      expect(names.slice(first - 2, first)).toEqual(['tls', 'server_id']);
      expect(s.labels).toMatchObject({
        authority: 'api.shop.svc.cluster.local:8080',
        tls: 'true',
        server_id: 'api-sa.shop.serviceaccount.identity.linkerd.cluster.local',
        dst_control_plane_ns: 'linkerd',
        dst_deployment: 'api',
        dst_namespace: 'shop',
        dst_service: 'api',
        dst_serviceaccount: 'api-sa',
        dst_pod: podByIp.get(s.labels.target_ip),
      });
      expect(s.labels.dst_pod).toMatch(new RegExp(`^api-${s.labels.dst_pod_template_hash}-[0-9a-f]{5}$`));
      if (proxy === '2.20') {
        expect(s.labels).toMatchObject({ dst_zone: '', dst_zone_locality: 'unknown' });
      }
    }
  });

  test.each<[ProxyGenerationId, boolean, boolean]>([
    ['2.20', false, true],
    ['2.14.1', true, false],
  ])('proxy %s: inbound authority %p, srv_port %p', (proxy, authority, srvPort) => {
    const series = seriesOf(calleeAndClient(proxy, {}, {}));
    const inboundHttp = where(
      series,
      (s) => ['request_total', 'response_total', 'response_latency_ms_count'].includes(s.name) && isAppInbound(s)
    );
    const inboundTcp = where(series, (s) => s.name === 'tcp_open_total' && isAppInbound(s) && s.labels.peer === 'src');
    expect(inboundHttp.length).toBeGreaterThan(0);
    expect(inboundTcp.length).toBeGreaterThan(0);
    for (const s of inboundHttp) {
      expect(s.labels.authority).toBe(authority ? 'api.shop.svc.cluster.local:8080' : undefined);
      if (authority) {
        expect(Object.keys(s.labels).slice(0, 2)).toEqual(['direction', 'authority']);
      }
    }
    for (const s of [...inboundHttp, ...inboundTcp]) {
      expect(s.labels.srv_port).toBe(srvPort ? '8080' : undefined);
    }
    // The TCP families never carry an authority on the accepting side.
    expect(inboundTcp.some((s) => 'authority' in s.labels)).toBe(false);
  });

  it('names the caller by its service account in client_id, and leaves what callers do not send unidentified', () => {
    const scenario = parseScenario({
      name: 'identities',
      seed: 3,
      services: [
        svc('api', { callers: [{ workload: 'client', share: 0.75 }] }),
        svc('client', { rps: 0, serviceAccount: 'shared' }),
      ],
    });
    const inbound = where(seriesOf(scenario), (s) => s.name === 'request_total' && isAppInbound(s));
    const byTls = (predicate: (l: Labels) => boolean) => rateOf(where(inbound, (s) => predicate(s.labels)));
    expect(byTls((l) => l.client_id === 'shared.shop.serviceaccount.identity.linkerd.cluster.local')).toBeCloseTo(
      7.5,
      9
    );
    expect(byTls((l) => l.tls === 'no_identity' && l.no_tls_reason === 'no_tls_from_remote')).toBeCloseTo(2.5, 9);
  });
});

describe('route families (Linkerd 2.16+ outbound, 2.20 inbound)', () => {
  const ROUTE = /^(outbound_(http|grpc)_route_|inbound_(http|grpc)_)/;
  const grpcApi = (grpcRoute: boolean): Raw => ({
    protocol: 'grpc',
    rps: 40,
    grpcRoute,
    boundaryFailureRate: 0.05,
    grpcFailures: { rate: 0.1, codes: { UNAVAILABLE: 1 } },
  });

  it('are absent from 2.14.1', () => {
    for (const api of [{}, grpcApi(false), grpcApi(true)]) {
      expect(seriesOf(calleeAndClient('2.14.1', api)).filter((s) => ROUTE.test(s.name))).toEqual([]);
    }
  });

  it('record a gRPC service without a GRPCRoute on the HTTP route, by :status alone: http_status="200" even when calls fail', () => {
    const series = seriesOf(calleeAndClient('2.20', grpcApi(false), { failureRate: 0.1 }));
    expect(series.some((s) => s.name.startsWith('outbound_grpc_route_'))).toBe(false);
    const statuses = where(series, named('outbound_http_route_request_statuses_total'));
    expect(statuses).toHaveLength(1);
    expect(statuses[0].labels).toEqual({
      parent_group: 'core',
      parent_kind: 'Service',
      parent_namespace: 'shop',
      parent_name: 'api',
      parent_port: '8080',
      parent_section_name: '',
      route_group: '',
      route_kind: 'default',
      route_namespace: '',
      route_name: 'http',
      hostname: '',
      http_status: '200',
      error: '',
    });
    expect(statuses[0].rate).toBeCloseTo(40 / 0.9, 9);
    expect(statuses[0].target.workload).toBe('client');
    expect(statuses.some((s) => 'classification' in s.labels)).toBe(false);
  });

  it('record a gRPC service with a GRPCRoute by status name: "UNAVAILABLE"', () => {
    const series = seriesOf(calleeAndClient('2.20', grpcApi(true), { failureRate: 0.1 }));
    expect(series.some((s) => s.name.startsWith('outbound_http_route_'))).toBe(false);
    const statuses = where(series, named('outbound_grpc_route_request_statuses_total'));
    const sent = 40 / 0.9;
    const byStatus = Object.fromEntries(statuses.map((s) => [s.labels.grpc_status, s.rate]));
    expect(Object.keys(byStatus).sort()).toEqual(['OK', 'UNAVAILABLE']);
    // App failures (10 % of what the app handles) + the callee proxy's 5 % + the caller proxy's 10 %, all UNAVAILABLE.
    expect(byStatus.OK).toBeCloseTo(sent * 0.9 * 0.95 * 0.9, 9);
    expect(byStatus.UNAVAILABLE).toBeCloseTo(sent - byStatus.OK, 9);
    for (const s of statuses) {
      expect(s.labels).toMatchObject({ route_kind: 'GRPCRoute', route_name: 'api', error: '' });
      expect(Object.keys(s.labels).slice(-2)).toEqual(['grpc_status', 'error']);
    }
  });

  it('record an HTTP service’s statuses by number', () => {
    const series = seriesOf(calleeAndClient('2.20', { httpErrorRate: 0.1, boundaryFailureRate: 0.05 }));
    const statuses = where(series, named('outbound_http_route_request_statuses_total'));
    expect(statuses.map((s) => s.labels.http_status).sort()).toEqual(['200', '500', '502']);
  });

  test.each([
    ['outbound_http_route_request_duration_seconds_bucket', ['0.05', '0.5', '1.0', '10.0', '+Inf']],
    ['inbound_http_request_duration_seconds_bucket', ['0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '10.0', '+Inf']],
  ])('write %s bounds as prometheus-client does: %j', (family, le) => {
    const buckets = where(seriesOf(calleeAndClient('2.20')), (s) => s.name === family && s.rate > 0);
    expect(buckets.map((s) => s.labels.le)).toEqual(le);
  });

  it('write inbound statuses with a numeric status and no error or classification', () => {
    const series = seriesOf(calleeAndClient('2.20', grpcApi(true)));
    const statuses = where(series, named('inbound_grpc_statuses_total'));
    expect(statuses.map((s) => s.labels.status).sort()).toEqual(['0', '14']);
    for (const s of statuses) {
      expect(Object.keys(s.labels)).toEqual([
        'parent_group',
        'parent_kind',
        'parent_name',
        'parent_port',
        'route_group',
        'route_kind',
        'route_name',
        'status',
      ]);
    }
  });
});

describe('workload kinds', () => {
  const START = Date.UTC(2026, 0, 1);

  /** Every stored line of the import for the world, parsed. */
  function stored(scenario: Scenario, world: LabelSchema): Array<{ name: string; labels: Labels }> {
    const lines = [...importChunks(scenario, { schema: world, semconv: 'stable', startMs: START, endMs: START })]
      .join('')
      .split('\n')
      .filter(Boolean);
    return lines.map((line) => {
      const match = /^([^{]+)\{(.*)\} \S+ \d+$/.exec(line)!;
      const labels = Object.fromEntries(
        [...match[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v])
      );
      return { name: match[1], labels };
    });
  }

  const linkerdLabel = (kind: WorkloadKind) => (kind === 'job' ? 'k8s_job' : kind);

  describe.each(WORKLOAD_KINDS)('%s', (kind) => {
    const scenario = calleeAndClient('2.20', { kind, pods: 2 });

    it('appears as k8s_<kind>_name in the otel world', () => {
      const mesh = stored(scenario, 'otel').filter(
        (s) => s.labels.layer === 'mesh' && s.labels.k8s_pod_name?.startsWith('api-')
      );
      expect(mesh.length).toBeGreaterThan(0);
      for (const s of mesh) {
        expect(s.labels[`k8s_${kind}_name`]).toBe('api');
        const workloadLabels = Object.keys(s.labels).filter(
          (l) => /^k8s_.+_name$/.test(l) && !/^k8s_(namespace|pod|node)_name$/.test(l)
        );
        expect(workloadLabels).toEqual([`k8s_${kind}_name`]);
      }
    });

    it(`appears as ${linkerdLabel(kind)} (and dst_${linkerdLabel(kind)} on its callers) in the linkerd world`, () => {
      const series = stored(scenario, 'linkerd');
      const own = series.filter((s) => s.labels.job === 'linkerd-proxy' && s.labels.pod?.startsWith('api-'));
      expect(own.length).toBeGreaterThan(0);
      for (const s of own) {
        expect(s.labels[linkerdLabel(kind)]).toBe('api');
        expect(s.labels).toMatchObject({ namespace: 'shop', control_plane_ns: 'linkerd', workload_ns: 'shop' });
        expect(s.labels.job).toBe('linkerd-proxy');
      }
      const towards = series.filter((s) => s.labels.direction === 'outbound' && s.labels.dst_service === 'api');
      expect(towards.length).toBeGreaterThan(0);
      for (const s of towards) {
        expect(s.labels[`dst_${linkerdLabel(kind)}`]).toBe('api');
        expect(s.labels.deployment).toBe('client');
        // Only a Deployment's pods carry their ReplicaSet's pod-template-hash.
        expect('dst_pod_template_hash' in s.labels).toBe(kind === 'deployment');
      }
    });
  });
});

describe('control-plane client metrics', () => {
  test.each<[ProxyGenerationId, string]>([
    ['2.20', '0'],
    // Before cbf226e8e the control stack had no gRPC classifier either: plain HTTP, no grpc_status.
    ['2.14.1', ''],
  ])('proxy %s: control_response_total has no direction and grpc_status %j', (proxy, grpcStatus) => {
    const control = where(seriesOf(calleeAndClient(proxy)), named('control_response_total'));
    expect(control.length).toBeGreaterThan(0);
    for (const s of control) {
      expect(Object.keys(s.labels)).toEqual([
        'addr',
        'tls',
        'server_id',
        'status_code',
        'classification',
        'grpc_status',
        'error',
      ]);
      expect(s.labels.grpc_status).toBe(grpcStatus);
    }
  });
});
