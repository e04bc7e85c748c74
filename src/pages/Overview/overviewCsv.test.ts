import type { ServiceRow } from '../../boundary/types';
import { OVERVIEW_CSV_HEADER, overviewCsv } from './overviewCsv';

const payments: ServiceRow = {
  key: 'shop/payments',
  namespace: 'shop',
  service: 'payments',
  coverage: 'both',
  mesh: { rps: 40, successRate: 0.92, grpcTrapCodes: [], latency: { p50: 16.3, p95: 46.5, p99: 89 } },
  app: { rps: 40, successRate: 0.92, latency: { p50: 16.8, p95: 48.1 }, protocols: ['rpc'] },
  outsideApp: { mean: 0.1, p95: -1.6 },
  flags: [{ id: 'grpc-trap', summary: 'mesh: 8.0 % failed' }],
};
const email: ServiceRow = {
  key: 'notify/email',
  namespace: 'notify',
  service: '=email',
  appService: 'email, notifications',
  coverage: 'app-only',
  app: { rps: 5, successRate: 1, latency: { p50: 50, p95: 205.5 }, protocols: ['http'] },
  outsideApp: {},
  flags: [{ id: 'coverage', summary: 'app only' }],
};

describe('overview CSV', () => {
  it('names every figure with its base unit', () => {
    expect(OVERVIEW_CSV_HEADER).toEqual([
      'namespace',
      'service',
      'app service',
      'coverage',
      'flags',
      'mesh-rps (requests/s)',
      'mesh-success (ratio 0-1)',
      'app-rps (requests/s)',
      'app-success (ratio 0-1)',
      'mesh-p50 (ms)',
      'mesh-p95 (ms)',
      'mesh-p99 (ms)',
      'app-p50 (ms)',
      'app-p95 (ms)',
      'outside-app-mean (ms)',
      'outside-app-p95 (ms)',
    ]);
  });

  it('writes the rows in the order given, figures unrounded, missing figures empty, text defused', () => {
    const lines = overviewCsv([payments, email]).split('\r\n');
    expect(lines[1]).toBe('shop,payments,payments,both,grpc-trap,40,0.92,40,0.92,16.3,46.5,89,16.8,48.1,0.1,-1.6');
    expect(lines[2]).toBe(`notify,'=email,"email, notifications",app-only,coverage,,,5,1,,,,50,205.5,,`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });
});
