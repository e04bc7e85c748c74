import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { buildConnectionChecks, interpretConnectionChecks, type CheckRefId } from './connectionCheck';
import type { Sample } from './sample';

const names = (...list: string[]): Sample[] => list.map((n) => ({ labels: { __name__: n }, value: 3 }));
const checks = (...list: Array<[string, number]>): Sample[] =>
  list.map(([check, value]) => ({ labels: { check }, value }));
const MESH = ['response_total', 'response_latency_ms_bucket'];
const TCP = [
  'tcp_open_total',
  'tcp_open_connections',
  'tcp_read_bytes_total',
  'tcp_write_bytes_total',
  'tcp_close_total',
];
const STABLE_APP = ['http_server_request_duration_seconds_count'];
const LINKERD: AppSettings = {
  ...DEFAULT_SETTINGS,
  labelSchema: 'linkerd',
  meshSelector: DEFAULT_MESH_SELECTORS.linkerd,
};

type Results = Partial<Record<CheckRefId, Sample[]>>;

function titles(results: Results, settings = DEFAULT_SETTINGS) {
  return interpretConnectionChecks(results, settings).map((l) => `${l.status}: ${l.title}`);
}

function detail(results: Results, title: string, settings = DEFAULT_SETTINGS): string {
  return interpretConnectionChecks(results, settings).find((l) => l.title.startsWith(title))?.detail ?? '';
}

const COMPLETE: Results = {
  meshFamilies: names(...MESH, ...TCP),
  meshAnywhere: [{ labels: { job: 'linkerd-proxy', layer: 'mesh' }, value: 120 }],
  meshLabels: checks(['schema:otel', 120], ['kind:deployment', 100], ['kind:statefulset', 20], ['label:srv_port', 60]),
  grpcStatus: [
    { labels: { grpc_status: '0', direction: 'inbound' }, value: 4 },
    { labels: { grpc_status: '14', direction: 'outbound' }, value: 2 },
  ],
  appFamilies: names(...STABLE_APP),
  appWithServiceLabel: names(...STABLE_APP),
};

describe('connection check', () => {
  it.each([
    ['otel', DEFAULT_SETTINGS],
    ['linkerd', LINKERD],
  ])('asks eight queries that parse, whatever the store holds (%s)', (_, settings) => {
    const queries = buildConnectionChecks(settings);
    expect(queries.map((c) => c.refId)).toEqual([
      'meshFamilies',
      'meshAnywhere',
      'meshLabels',
      'grpcStatus',
      'adminTraffic',
      'routeFamilies',
      'appFamilies',
      'appWithServiceLabel',
    ]);
    for (const { expr } of queries) {
      let errors = 0;
      parser.parse(expr).iterate({ enter: (node) => void (node.type.isError && errors++) });
      expect({ expr, errors }).toEqual({ expr, errors: 0 });
    }
  });

  it('reads the mesh through the configured selector', () => {
    const linkerd = buildConnectionChecks(LINKERD).find((c) => c.refId === 'meshFamilies')!.expr;
    expect(linkerd).toContain('job="linkerd-proxy"');
    expect(linkerd).not.toContain('layer');
  });

  it('is green for a complete store and names its world, kinds and proxy generation', () => {
    expect(titles(COMPLETE)).toEqual([
      'ok: Mesh metrics found',
      'ok: World: the OTel Collector pipeline',
      'info: Proxy generation',
      'ok: App metrics found',
    ]);
    expect(detail(COMPLETE, 'World')).toContain('deployment (100 series), statefulset (20 series)');
    expect(detail(COMPLETE, 'Proxy generation')).toContain('srv_port labels: Linkerd edge-25.3.2 / 2.18 or later');
  });

  it('names Linkerd’s Prometheus without a layer label', () => {
    const viz: Results = {
      ...COMPLETE,
      meshAnywhere: [{ labels: { job: 'linkerd-proxy' }, value: 120 }],
      meshLabels: checks(['schema:linkerd', 120], ['kind:deployment', 100], ['kind:job', 2]),
    };
    expect(titles(viz, LINKERD)).toContain("ok: World: Linkerd's own Prometheus (no layer label)");
    expect(detail(viz, 'World', LINKERD)).toContain('job (2 series)');
  });

  it('says where the proxies’ series are when the selector finds none', () => {
    const elsewhere: Results = { meshAnywhere: [{ labels: { job: 'kubernetes-pods' }, value: 40 }] };
    expect(titles(elsewhere)[0]).toBe('error: No mesh metrics found');
    expect(detail(elsewhere, 'No mesh metrics found')).toContain(
      'not with layer="mesh": job="kubernetes-pods" (40 series)'
    );
    expect(detail({}, 'No mesh metrics found')).toContain('No response_total in the last 1h at all');
  });

  it('points to the other label schema when its labels are there', () => {
    const linkerdLabels = { ...COMPLETE, meshLabels: checks(['schema:linkerd', 120]) };
    expect(titles(linkerdLabels)).toContain('error: Mesh series lack the OTel Collector labels');
    expect(detail(linkerdLabels, 'Mesh series lack')).toContain('choose the label schema "Linkerd\'s Prometheus"');
  });

  it('recognises proxies that write gRPC statuses as text and do not classify inbound gRPC', () => {
    const old: Results = {
      ...COMPLETE,
      meshLabels: checks(['schema:otel', 120], ['kind:deployment', 120], ['label:authority', 60]),
      grpcStatus: [
        { labels: { grpc_status: 'Unknown error', direction: 'outbound' }, value: 2 },
        { labels: { grpc_status: 'The operation completed successfully', direction: 'outbound' }, value: 3 },
      ],
    };
    expect(titles(old)).toContain('warning: Inbound proxies do not classify gRPC');
    expect(detail(old, 'Proxy generation')).toContain('Linkerd stable-2.13.x, 2.14.0 or 2.14.1');
    expect(detail(old, 'Proxy generation')).toContain('inbound authority labels');
  });

  it('reports admin traffic and route families, and what they mean', () => {
    const extra: Results = {
      ...COMPLETE,
      adminTraffic: checks(['admin', 2.4], ['all', 120]),
      routeFamilies: names('outbound_http_route_request_statuses_total', 'inbound_http_statuses_total'),
    };
    expect(detail(extra, 'Admin traffic present')).toMatch(/^2\.40 req\/s .*\(2\.0 %\) .* port 4191/);
    expect(detail(extra, 'Linkerd route metrics present')).toContain(
      'inbound_http_statuses_total, outbound_http_route_request_statuses_total'
    );
  });

  it('says what is missing and what to change', () => {
    expect(titles({})).toEqual(['error: No mesh metrics found', 'warning: No app metrics found']);
    expect(titles({ ...COMPLETE, meshFamilies: names('response_total', ...TCP) })[0]).toBe(
      'error: Mesh metrics incomplete: response_latency_ms_bucket missing'
    );
    expect(titles({ ...COMPLETE, meshFamilies: names(...MESH) })).toContain(
      'warning: TCP metrics missing: tcp_open_total, tcp_open_connections, tcp_read_bytes_total, tcp_write_bytes_total, tcp_close_total'
    );
    expect(titles({ appFamilies: names('http_server_duration_milliseconds_count') })).toContain(
      'error: App metrics use the legacy semantic conventions'
    );
    expect(titles({ appFamilies: names(...STABLE_APP), appWithServiceLabel: [] })).toContain(
      'error: App series have no service_name label'
    );
  });
});
