import { DEFAULT_SETTINGS } from '../settings/types';
import { buildConnectionChecks, interpretConnectionChecks, type CheckRefId } from './connectionCheck';
import type { Sample } from '../boundary/types';

const names = (...list: string[]): Sample[] => list.map((n) => ({ labels: { __name__: n }, value: 3 }));
const MESH = ['response_total', 'response_latency_ms_bucket'];
const TCP = [
  'tcp_open_total',
  'tcp_open_connections',
  'tcp_read_bytes_total',
  'tcp_write_bytes_total',
  'tcp_close_total',
];
const STABLE_APP = ['http_server_request_duration_seconds_count'];

function titles(results: Partial<Record<CheckRefId, Sample[]>>, settings = DEFAULT_SETTINGS) {
  return interpretConnectionChecks(results, settings).map((l) => `${l.status}: ${l.title}`);
}

describe('connection check', () => {
  it('asks four cheap queries whatever the store holds', () => {
    expect(buildConnectionChecks(DEFAULT_SETTINGS).map((c) => c.refId)).toEqual([
      'meshFamilies',
      'meshWithSchema',
      'appFamilies',
      'appWithServiceLabel',
    ]);
  });

  it('is all green for a complete store, request_total or not', () => {
    const complete = {
      meshFamilies: names(...MESH, ...TCP),
      meshWithSchema: names(...MESH),
      appFamilies: names(...STABLE_APP),
      appWithServiceLabel: names(...STABLE_APP),
    };
    expect(titles(complete)).toEqual(['ok: Mesh metrics found', 'ok: App metrics found']);
  });

  it('says what is missing and what to change', () => {
    expect(titles({})).toEqual(['error: No mesh metrics found', 'warning: No app metrics found']);
    expect(titles({ meshFamilies: names('response_total', ...TCP), meshWithSchema: names('response_total') })[0]).toBe(
      'error: Mesh metrics incomplete: response_latency_ms_bucket missing'
    );
    expect(titles({ meshFamilies: names(...MESH, ...TCP), meshWithSchema: [] })).toContain(
      'error: Mesh series lack the OTel Collector labels'
    );
    expect(titles({ meshFamilies: names(...MESH), meshWithSchema: names(...MESH) })).toContain(
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
