import { httpRoutedGrpc, speaksGrpc } from './routeProtocol';
import type { ServiceRow } from './types';

const row = (grpc: { mesh?: number; callers?: number; app?: boolean }): ServiceRow =>
  ({
    key: 'shop/payments',
    namespace: 'shop',
    service: 'payments',
    coverage: 'both',
    mesh: { rps: 10, grpcShare: grpc.mesh, callers: { rps: 10, grpcShare: grpc.callers, grpcTrapCodes: [] } },
    app: { rps: 10, protocols: grpc.app ? ['rpc'] : ['http'], latency: {} },
    outsideApp: {},
    flags: [],
  }) as unknown as ServiceRow;

const sample = (labels: Record<string, string>, value: number) => ({ labels, value });

describe('gRPC recorded on HTTP routes', () => {
  const results = {
    serviceNames: [sample({ dst_service: 'payments' }, 3), sample({ dst_service: 'payments-canary' }, 0)],
    outboundHttpRoutes: [
      sample({ parent_name: 'payments' }, 3),
      sample({ parent_name: 'payments-canary' }, 1),
      sample({ parent_name: 'web' }, 9),
    ],
    inboundHttpRoutes: [sample({}, 3)],
  };

  test.each([
    [{ mesh: 1 }, true],
    [{ callers: 0.5 }, true],
    [{ app: true }, true],
    [{}, false],
  ])('speaksGrpc(%p) is %p', (grpc, expected) => {
    expect(speaksGrpc(row(grpc))).toBe(expected);
  });

  it('names the Services whose calls land on HTTP routes (with traffic in the range), and the inbound side', () => {
    expect(httpRoutedGrpc(row({ mesh: 1 }), results)).toEqual({ outboundServices: ['payments'], inbound: true });
  });

  it('says nothing for an HTTP service, or where every route is a gRPC route', () => {
    expect(httpRoutedGrpc(row({}), results)).toBeUndefined();
    expect(
      httpRoutedGrpc(row({ mesh: 1 }), {
        serviceNames: results.serviceNames,
        outboundHttpRoutes: [],
        inboundHttpRoutes: [],
      })
    ).toBeUndefined();
  });

  it('ignores broken samples', () => {
    const broken = {
      serviceNames: results.serviceNames,
      outboundHttpRoutes: [sample({ parent_name: 'payments' }, NaN)],
      inboundHttpRoutes: [sample({}, NaN)],
    };
    expect(httpRoutedGrpc(row({ mesh: 1 }), broken)).toBeUndefined();
  });
});
