import { LINKERD_GRPC_FAILURE_CODES as CODES } from '../settings/types';
import { parseIdentity, summariseCallees, summariseCallers } from './peers';

const sample = (labels: Record<string, string>, value: number) => ({ labels, value });

describe('parseIdentity', () => {
  test.each([
    ['web.shop.serviceaccount.identity.linkerd.cluster.local', { namespace: 'shop', workload: 'web' }],
    ['checkout.prod.serviceaccount.identity.linkerd.example.org', { namespace: 'prod', workload: 'checkout' }],
    ['not-an-identity', undefined],
  ])('%s', (identity, expected) => {
    expect(parseIdentity(identity)).toEqual(expected);
  });
});

describe('summariseCallers', () => {
  it('sums by identity with success and mTLS shares, busiest first, and keeps traffic without identity', () => {
    const rows = summariseCallers(
      [
        sample(
          {
            client_id: 'web.shop.serviceaccount.identity.linkerd.cluster.local',
            tls: 'true',
            classification: 'success',
          },
          9
        ),
        sample(
          {
            client_id: 'web.shop.serviceaccount.identity.linkerd.cluster.local',
            tls: 'true',
            classification: 'failure',
          },
          1
        ),
        sample({ tls: 'no_identity', classification: 'success' }, 4),
        sample(
          { client_id: 'x.shop.serviceaccount.identity.linkerd.cluster.local', tls: 'true', classification: 'success' },
          Number.NaN
        ),
      ],
      CODES
    );
    expect(rows).toEqual([
      {
        label: 'web.shop.serviceaccount.identity.linkerd.cluster.local',
        peer: { namespace: 'shop', workload: 'web' },
        rps: 10,
        successRate: 0.9,
        mtlsShare: 1,
      },
      { label: 'no mTLS identity', rps: 4, successRate: 1, mtlsShare: 0 },
    ]);
  });

  it('gives no success rate, rather than 0 %, to a caller without traffic', () => {
    const [row] = summariseCallers(
      [sample({ client_id: 'a.b.serviceaccount.identity.x', classification: 'success' }, 0)],
      CODES
    );
    expect(row.successRate).toBeUndefined();
    expect(row.mtlsShare).toBeUndefined();
  });
});

describe('summariseCallees', () => {
  it('names each destination by namespace and workload, whatever its kind', () => {
    const rows = summariseCallees(
      [
        sample({ dst_namespace: 'shop', dst_deployment: 'payments', tls: 'true', classification: 'success' }, 3),
        sample({ dst_namespace: 'shop', dst_statefulset: 'catalog', tls: 'true', classification: 'failure' }, 1),
        sample({ dst_namespace: 'ops', dst_k8s_job: 'migrate', tls: 'true', classification: 'success' }, 0.5),
      ],
      CODES
    );
    expect(rows.map((r) => [r.label, r.peer, r.successRate])).toEqual([
      ['shop/payments', { namespace: 'shop', workload: 'payments', kind: 'deployment' }, 1],
      ['shop/catalog', { namespace: 'shop', workload: 'catalog', kind: 'statefulset' }, 0],
      ['ops/migrate', { namespace: 'ops', workload: 'migrate', kind: 'job' }, 1],
    ]);
  });
});
