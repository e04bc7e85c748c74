import { failureBreakdown, timeBreakdown } from './breakdown';
import type { Edge, SideFigures } from './edges';
import type { ServiceRow } from './types';

const side = (rps: number, failedRps: number, mean?: number): SideFigures => ({
  rps,
  failedRps,
  successRate: rps > 0 ? 1 - failedRps / rps : undefined,
  mean,
});

const edge = (overrides: Partial<Edge>): Edge => ({
  id: 'e',
  callee: { namespace: 'shop', workload: 'catalog' },
  callers: [{ ref: { namespace: 'shop', workload: 'web' }, side: side(10, 0, 0) }],
  identity: 'web.shop.serviceaccount.identity.linkerd.cluster.local',
  match: 'service-account',
  ...overrides,
});

function row(
  mesh: { rps: number; success: number; mean?: number } | undefined,
  app?: { rps: number; success: number; mean?: number }
): ServiceRow {
  return {
    key: 'shop/catalog',
    namespace: 'shop',
    service: 'catalog',
    coverage: mesh && app ? 'both' : mesh ? 'mesh-only' : 'app-only',
    mesh:
      mesh &&
      ({
        rps: mesh.rps,
        successRate: mesh.success,
        latency: { mean: mesh.mean },
        grpcTrapCodes: [],
        protocols: [],
      } as unknown as ServiceRow['mesh']),
    app:
      app &&
      ({
        rps: app.rps,
        successRate: app.success,
        latency: { mean: app.mean },
        protocols: [],
      } as unknown as ServiceRow['app']),
    outsideApp: {},
    flags: [],
  };
}

describe('timeBreakdown', () => {
  it('splits the callers’ wait into their side, this proxy and pod, and the app (rate-weighted means)', () => {
    const edges = [
      edge({ callerSide: side(6, 0, 170), calleeSide: side(6, 0, 20) }),
      edge({ id: 'f', callerSide: side(4, 0, 25), calleeSide: side(4, 0, 20) }),
    ];
    const t = timeBreakdown(row({ rps: 10, success: 1, mean: 20 }, { rps: 10, success: 1, mean: 15 }), edges);
    expect(t.callersWaited).toBeCloseTo(112, 9); // (6·170 + 4·25) / 10
    expect(t.callerSide).toBeCloseTo(92, 9);
    expect(t.calleeSide).toBeCloseTo(5, 9);
    expect(t.app).toBe(15);
    expect(t.pairedShare).toBe(1);
    expect(t.notes).toEqual([]);
  });

  it('leaves out callers that could not be paired, and says so', () => {
    const edges = [
      edge({ callerSide: side(6, 0, 30), calleeSide: side(6, 0, 20) }),
      edge({
        id: 'x',
        callers: [],
        identity: 'x.shop.serviceaccount.identity.l.c',
        match: 'unpaired',
        calleeSide: side(2, 0, 20),
      }),
      edge({ id: 'o', callers: [], identity: '', match: 'unpaired', calleeSide: side(2, 0, 20) }),
    ];
    const t = timeBreakdown(row({ rps: 10, success: 1, mean: 20 }, { rps: 10, success: 1, mean: 15 }), edges);
    expect(t.callerSide).toBeCloseTo(10, 9);
    expect(t.pairedShare).toBeCloseTo(0.6, 9);
    expect(t.notes).toEqual([expect.stringMatching(/^1 caller row could not be tied to a workload/)]);
  });

  it('says what it cannot tell without the app or without meshed callers', () => {
    const t = timeBreakdown(row({ rps: 10, success: 1, mean: 20 }), [
      edge({ callers: [], identity: '', match: 'unpaired', calleeSide: side(10, 0, 20) }),
    ]);
    expect(t.calleeSide).toBeUndefined();
    expect(t.callerSide).toBeUndefined();
    expect(t.notes).toEqual([
      'No meshed caller in this range: the callers’ side cannot be measured.',
      'The app reports no latency: its own time cannot be told from its proxy’s.',
    ]);
  });
});

describe('failureBreakdown', () => {
  it('tells failures made by the callers’ proxies, this proxy and the app apart', () => {
    const edges = [edge({ callerSide: side(10.5, 1.5), calleeSide: side(10, 1) })];
    // The mesh failed 1 of 10 req/s, the app 0.4 of the 9.4 it saw: 0.6 req/s were made by this proxy.
    const f = failureBreakdown(row({ rps: 10, success: 0.9 }, { rps: 9.4, success: 1 - 0.4 / 9.4 }), edges);
    expect(f.callerProxies).toBeCloseTo(0.5, 9);
    expect(f.calleeProxy).toBeCloseTo(0.6, 9);
    expect(f.app).toBeCloseTo(0.4, 9);
    expect(f.notes).toEqual([]);
  });

  it('shows no fewer than zero failures where two counts scraped apart differ by jitter', () => {
    const edges = [edge({ callerSide: side(10, 3.19), calleeSide: side(10, 3.2) })];
    const f = failureBreakdown(row({ rps: 10, success: 0.68 }, { rps: 10, success: 0.6795 }), edges);
    expect(f.callerProxies).toBe(0);
    expect(f.calleeProxy).toBe(0);
    expect(f.app).toBeCloseTo(3.205, 9);
  });

  it('does not split when the app also serves traffic outside the mesh', () => {
    const f = failureBreakdown(row({ rps: 10, success: 0.9 }, { rps: 30, success: 0.99 }), []);
    expect(f.calleeProxy).toBeUndefined();
    expect(f.notes).toContainEqual(expect.stringMatching(/^The app serves more requests than its proxy passes on/));
  });

  it('does not split where the proxy does not classify gRPC (Linkerd stable-2.14)', () => {
    const r = row({ rps: 10, success: 1 }, { rps: 10, success: 0.9 });
    r.app!.protocols = ['rpc'];
    const f = failureBreakdown(r, [edge({ callerSide: side(10, 1), calleeSide: side(10, 0) })]);
    expect(f.calleeProxy).toBeUndefined();
    expect(f.callerProxies).toBeUndefined();
    expect(f.notes[0]).toMatch(/does not classify gRPC responses/);
  });
});
