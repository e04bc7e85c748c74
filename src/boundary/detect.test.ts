import { DEFAULT_THRESHOLDS } from '../settings/types';
import { detectBoundaryLatency, detectCoverage, detectDisagreement, detectFlags, detectGrpcTrap } from './detect';
import type { AppFigures, MeshFigures } from './types';

const T = DEFAULT_THRESHOLDS;

function meshFigures(overrides: Partial<MeshFigures> = {}): MeshFigures {
  return { rps: 10, successRate: 1, latency: {}, grpcTrapShare: 0, grpcTrapCodes: [], httpErrorShare: 0, ...overrides };
}

function appFigures(overrides: Partial<AppFigures> = {}): AppFigures {
  return { rps: 10, successRate: 1, latency: {}, protocols: ['http'], ...overrides };
}

describe('detectGrpcTrap (threshold 1 %)', () => {
  test.each([
    [0.0099, 0, undefined, false],
    [0.01, 0, undefined, true],
    [0.08, 0, undefined, true],
    [0.08, undefined, undefined, true],
    [0.08, 0.0099, undefined, true],
    [0.08, 0.01, undefined, false],
    [0.08, 0.2, undefined, false],
    [0.08, 0, 0.0099, true],
    [0.08, 0, 0.01, false],
    [0.08, 0.001, 0.05, false],
    [undefined, 0, undefined, false],
  ])('trap %p, mesh HTTP view %p, app HTTP view %p → flag %p', (trap, meshHttp, appHttp, flagged) => {
    const mesh = meshFigures({ grpcTrapShare: trap, httpErrorShare: meshHttp });
    const app = appFigures({ httpErrorShare: appHttp });
    expect(detectGrpcTrap(mesh, app, T)?.id).toBe(flagged ? 'grpc-trap' : undefined);
  });

  it('does not flag without mesh figures', () => {
    expect(detectGrpcTrap(undefined, appFigures(), T)).toBeUndefined();
  });

  it('states the trap share, the top codes and the HTTP view', () => {
    const mesh = meshFigures({
      grpcTrapShare: 0.08,
      grpcTrapCodes: [
        { code: 'UNAVAILABLE', share: 0.06 },
        { code: 'DEADLINE_EXCEEDED', share: 0.02 },
      ],
      httpErrorShare: 0.002,
    });
    const flag = detectGrpcTrap(mesh, appFigures({ httpErrorShare: 0.004 }), T);
    expect(flag?.summary).toContain('8.0 %');
    expect(flag?.summary).toContain('UNAVAILABLE 6.0 %, DEADLINE_EXCEEDED 2.0 %');
    // The worse of the two HTTP views is shown.
    expect(flag?.summary).toContain('HTTP view: 0.4 % errors');
  });

  it('lists at most three codes, and says unknown when there are none', () => {
    const codes = ['UNAVAILABLE', 'INTERNAL', 'UNKNOWN', 'ABORTED'].map((code) => ({ code, share: 0.01 }));
    const four = detectGrpcTrap(meshFigures({ grpcTrapShare: 0.04, grpcTrapCodes: codes }), undefined, T)!;
    expect(four.summary).toContain('UNKNOWN 1.0 %');
    expect(four.summary).not.toContain('ABORTED');
    const none = detectGrpcTrap(meshFigures({ grpcTrapShare: 0.04 }), undefined, T)!;
    expect(none.summary).toContain('gRPC status unknown');
    expect(none.summary).toContain('HTTP view: 0.0 % errors');
  });

  it('follows a configured threshold', () => {
    const mesh = meshFigures({ grpcTrapShare: 0.04, httpErrorShare: 0.03 });
    expect(detectGrpcTrap(mesh, undefined, { ...T, grpcTrapPercent: 5 })).toBeUndefined();
    expect(detectGrpcTrap(mesh, undefined, { ...T, grpcTrapPercent: 3.5 })?.id).toBe('grpc-trap');
  });
});

describe('detectBoundaryLatency (> 50 ms and > 25 % of the app figure, on evidence)', () => {
  test.each([
    [100, 49, false],
    [100, 50, false],
    [100, 50.5, true],
    [400, 100, false],
    [400, 100.5, true],
    [1000, 240, false],
    [1000, 260, true],
    [40, 120, true],
    [100, -20, false],
    [100, undefined, false],
    [undefined, 120, false],
  ])('app mean %p ms, mean outside %p ms → flag %p', (appMean, outsideMean, flagged) => {
    const app = appFigures({ latency: { mean: appMean } });
    expect(detectBoundaryLatency(app, { mean: outsideMean }, T)?.id).toBe(flagged ? 'boundary-latency' : undefined);
  });

  test.each([
    // The estimate alone says 120 ms, but the buckets allow 0: no evidence, no flag.
    [{ lower: 0, upper: 200 }, false],
    [{ lower: 50, upper: 150 }, false],
    [{ lower: 51, upper: 150 }, true],
    [{ lower: 60, upper: Infinity }, true],
  ])('p95 difference of 120 ms with bucket range %p → flag %p', (p95Bounds, flagged) => {
    const app = appFigures({ latency: { p95: 40, mean: 30 } });
    const outside = { mean: 10, p95: 120, p95Bounds };
    expect(detectBoundaryLatency(app, outside, T)?.id).toBe(flagged ? 'boundary-latency' : undefined);
  });

  it('states the exact mean difference, both means and the limits', () => {
    const flag = detectBoundaryLatency(appFigures({ latency: { mean: 40 } }), { mean: 120 }, T);
    expect(flag?.summary).toBe(
      "120 ms on average spent outside the app (mesh mean 160 ms, app mean 40 ms: exact, from both layers' sums " +
        "and counts); limits 50 ms and 25 % of the app's figure"
    );
  });

  it('states the p95 range the buckets allow when the p95 is the evidence', () => {
    const app = appFigures({ latency: { p95: 40, mean: 30 } });
    const flag = detectBoundaryLatency(app, { mean: 5, p95: 120, p95Bounds: { lower: 75, upper: Infinity } }, T);
    expect(flag?.summary).toBe(
      "at least 75 ms at p95 spent outside the app (the histograms' buckets allow 75 ms to more; app p95 40 ms); " +
        "limits 50 ms and 25 % of the app's figure"
    );
  });

  it('does not flag without app figures', () => {
    expect(detectBoundaryLatency(undefined, { mean: 500, p95Bounds: { lower: 500, upper: 900 } }, T)).toBeUndefined();
  });
});

describe('detectDisagreement (> 2 points or > 1.5×)', () => {
  test.each([
    [1, 0.981, false],
    [1, 0.979, true],
    [0.979, 1, true],
    [0.95, 0.95, false],
    [0.9, 0.93, true],
    [0.5, 0.519, false],
    [undefined, 0.5, false],
    [0.5, undefined, false],
  ])('success mesh %p vs app %p → flag %p', (meshSuccess, appSuccess, flagged) => {
    const flag = detectDisagreement(
      meshFigures({ successRate: meshSuccess }),
      appFigures({ successRate: appSuccess }),
      T
    );
    expect(flag?.id).toBe(flagged ? 'disagreement' : undefined);
  });

  test.each([
    [1, 0.98],
    [0.99, 0.97],
    [0.75, 0.73],
  ])('does not flag %p vs %p: exactly 2 points despite floating point', (meshSuccess, appSuccess) => {
    expect(
      detectDisagreement(meshFigures({ successRate: meshSuccess }), appFigures({ successRate: appSuccess }), T)
    ).toBeUndefined();
  });

  it('is strict at an exactly representable threshold', () => {
    const t = { ...T, disagreementPoints: 25 };
    expect(detectDisagreement(meshFigures({ successRate: 1 }), appFigures({ successRate: 0.75 }), t)).toBeUndefined();
    expect(detectDisagreement(meshFigures({ successRate: 1 }), appFigures({ successRate: 0.7499 }), t)?.id).toBe(
      'disagreement'
    );
  });

  test.each([
    [10, 15, false],
    [15, 10, false],
    [10, 15.1, true],
    [15.1, 10, true],
    [10, 10, false],
    [10, 0, true],
    [0, 5, true],
    [0, 0, false],
  ])('rate mesh %p vs app %p → flag %p', (meshRps, appRps, flagged) => {
    const flag = detectDisagreement(meshFigures({ rps: meshRps }), appFigures({ rps: appRps }), T);
    expect(flag?.id).toBe(flagged ? 'disagreement' : undefined);
  });

  it('gives both numbers for each reason', () => {
    const flag = detectDisagreement(
      meshFigures({ rps: 20, successRate: 0.92 }),
      appFigures({ rps: 60, successRate: 0.99 }),
      T
    );
    expect(flag?.summary).toBe(
      'success: mesh 92.0 % vs app 99.0 % (7.0 points apart); request rate: mesh 20.0 req/s vs app 60.0 req/s (3.00×)'
    );
  });

  it('needs both layers', () => {
    expect(detectDisagreement(meshFigures({ successRate: 0.5 }), undefined, T)).toBeUndefined();
    expect(detectDisagreement(undefined, appFigures({ successRate: 0.5 }), T)).toBeUndefined();
  });
});

describe('detectCoverage', () => {
  test.each([
    ['mesh-only', 'mesh only'],
    ['app-only', 'app only'],
  ] as const)('%s', (coverage, prefix) => {
    const flag = detectCoverage(coverage);
    expect(flag?.id).toBe('coverage');
    expect(flag?.summary.startsWith(prefix)).toBe(true);
  });

  it('does not flag a service seen by both layers', () => {
    expect(detectCoverage('both')).toBeUndefined();
  });
});

describe('detectFlags', () => {
  it('returns every flag that applies, in a fixed order', () => {
    const mesh = meshFigures({ rps: 40, successRate: 0.92, grpcTrapShare: 0.08, latency: { mean: 200 } });
    const app = appFigures({ rps: 10, successRate: 1, latency: { mean: 40 } });
    const flags = detectFlags({ coverage: 'both', mesh, app, outsideApp: { mean: 160 } }, T);
    expect(flags.map((f) => f.id)).toEqual(['grpc-trap', 'boundary-latency', 'disagreement']);
  });

  it('flags a one-layer service for coverage only', () => {
    const mesh = meshFigures({ grpcTrapShare: 0 });
    expect(detectFlags({ coverage: 'mesh-only', mesh, outsideApp: {} }, T).map((f) => f.id)).toEqual(['coverage']);
    const appOnly = { coverage: 'app-only' as const, app: appFigures(), outsideApp: {} };
    expect(detectFlags(appOnly, T).map((f) => f.id)).toEqual(['coverage']);
  });

  it('returns no flag for a healthy service', () => {
    const flags = detectFlags(
      {
        coverage: 'both',
        mesh: meshFigures({ latency: { p95: 41 } }),
        app: appFigures({ latency: { p95: 40 } }),
        outsideApp: { mean: 1, p95: 1 },
      },
      T
    );
    expect(flags).toEqual([]);
  });
});
