import type { Edge, SideFigures } from '../../../boundary/edges';
import { calleeRows, callerRows } from './peerRows';

const side = (rps: number, mean?: number): SideFigures => ({ rps, failedRps: 0, successRate: 1, mean });
const ref = (namespace: string, workload: string) => ({ namespace, workload });
const identity = (sa: string, ns: string) => `${sa}.${ns}.serviceaccount.identity.linkerd.cluster.local`;

const PAYMENTS = ref('shop', 'payments');

/** Everything shop/payments sees from its callers, and one call it makes itself. */
const EDGES: Edge[] = [
  {
    id: 'shop/web->shop/payments',
    callee: PAYMENTS,
    callers: [{ ref: ref('shop', 'web'), side: side(10, 25) }],
    identity: identity('web', 'shop'),
    match: 'service-account',
    callerSide: side(10, 25),
    calleeSide: side(9, 20),
  },
  {
    id: 'jobs/cron+jobs/sync->shop/payments',
    callee: PAYMENTS,
    callers: [
      { ref: ref('jobs', 'cron'), side: side(1, 30) },
      { ref: ref('jobs', 'sync'), side: side(2, 30) },
    ],
    identity: identity('default', 'jobs'),
    match: 'only-identity',
    callerSide: side(3, 30),
    calleeSide: side(3, 21),
  },
  {
    id: 'no mTLS identity->shop/payments',
    callee: PAYMENTS,
    callers: [],
    identity: '',
    match: 'unpaired',
    calleeSide: side(40, 5),
  },
  {
    id: 'service account batch in etl->shop/payments',
    callee: PAYMENTS,
    callers: [],
    identity: identity('batch', 'etl'),
    match: 'unpaired',
    calleeSide: side(3, 8),
  },
  {
    id: 'etl/loader->shop/payments',
    callee: PAYMENTS,
    callers: [{ ref: ref('etl', 'loader'), side: side(3, 9) }],
    match: 'unpaired',
    callerSide: side(3, 9),
  },
  {
    id: 'shop/payments->shop/ledger',
    callee: ref('shop', 'ledger'),
    callers: [{ ref: PAYMENTS, side: side(6, 14) }],
    identity: identity('payments', 'shop'),
    match: 'only-candidate',
    callerSide: side(6, 14),
    calleeSide: side(6, 11),
  },
];

describe('callers table', () => {
  const rows = callerRows(EDGES, { namespace: 'shop', workload: 'payments' });

  it('lists each caller identity once, busiest first by the service’s own count, ties by label', () => {
    expect(rows.map((r) => r.label)).toEqual([
      'no mTLS identity',
      'shop/web',
      'etl/loader',
      'jobs/cron, jobs/sync',
      'service account batch in etl',
    ]);
  });

  it('says how each row’s two counts were tied together, or why they could not be', () => {
    expect(Object.fromEntries(rows.map((r) => [r.label, r.pairing]))).toEqual({
      'no mTLS identity': 'no identity: from outside the mesh',
      'shop/web': 'by service account',
      'etl/loader': 'its identity cannot be told from the metrics',
      'jobs/cron, jobs/sync': 'the only identity from its namespace',
      'service account batch in etl': 'its workload cannot be told from the metrics',
    });
  });

  it('shows the time the callers’ side adds only where both counts cover the same requests', () => {
    expect(Object.fromEntries(rows.map((r) => [r.label, r.callerSideAddsMs]))).toEqual({
      'no mTLS identity': undefined,
      'shop/web': 5,
      'etl/loader': undefined,
      'jobs/cron, jobs/sync': 9,
      'service account batch in etl': undefined,
    });
  });

  it('links each caller workload to its drill-down, and none for an identity alone', () => {
    expect(rows.find((r) => r.label === 'jobs/cron, jobs/sync')?.workloads).toEqual([
      ref('jobs', 'cron'),
      ref('jobs', 'sync'),
    ]);
    expect(rows.find((r) => r.label === 'service account batch in etl')?.workloads).toEqual([]);
  });

  it('is empty for a service nobody calls', () => {
    expect(callerRows(EDGES, { namespace: 'shop', workload: 'web' })).toEqual([]);
    expect(callerRows([], { namespace: 'shop', workload: 'payments' })).toEqual([]);
  });
});

describe('callees table', () => {
  it('lists the service’s own calls with the destination’s count of its identity', () => {
    const rows = calleeRows(EDGES, { namespace: 'shop', workload: 'payments' });
    expect(rows).toEqual([
      {
        key: 'shop/payments->shop/ledger',
        label: 'shop/ledger',
        workloads: [ref('shop', 'ledger')],
        callerSide: side(6, 14),
        calleeSide: side(6, 11),
        callerSideAddsMs: 3,
        pairing: 'the only caller left unpaired in its namespace',
      },
    ]);
  });

  it('leaves out the destination’s count where other workloads share the identity, and names them', () => {
    const [row] = calleeRows(EDGES, { namespace: 'jobs', workload: 'sync' });
    expect(row).toMatchObject({
      label: 'shop/payments',
      callerSide: side(2, 30),
      calleeSide: undefined,
      callerSideAddsMs: undefined,
      pairing: 'its identity is shared with jobs/cron: the destination counted them together',
    });
  });

  it('shows an unpaired call with the service’s own count only', () => {
    const [row] = calleeRows(EDGES, { namespace: 'etl', workload: 'loader' });
    expect(row).toMatchObject({
      label: 'shop/payments',
      callerSide: side(3, 9),
      calleeSide: undefined,
      pairing: 'its identity cannot be told from the metrics',
    });
  });

  it('orders destinations busiest first', () => {
    const from = (to: string, rps: number): Edge => ({
      id: `shop/web->shop/${to}`,
      callee: ref('shop', to),
      callers: [{ ref: ref('shop', 'web'), side: side(rps) }],
      identity: identity('web', 'shop'),
      match: 'service-account',
      callerSide: side(rps),
      calleeSide: side(rps),
    });
    const rows = calleeRows([from('a', 1), from('b', 5), from('c', 5), from('d', 2)], ref('shop', 'web'));
    expect(rows.map((r) => r.label)).toEqual(['shop/b', 'shop/c', 'shop/d', 'shop/a']);
  });
});
