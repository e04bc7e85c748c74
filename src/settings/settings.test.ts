import { resolveSettings, validateJoinOverrides, validateThreshold } from './settings';
import { DEFAULT_THRESHOLDS } from './types';

describe('validateThreshold', () => {
  test.each([
    ['grpcTrapPercent', '1', undefined],
    ['grpcTrapPercent', '0', undefined],
    ['grpcTrapPercent', '100', undefined],
    ['grpcTrapPercent', '100.5', 'gRPC trap share (%) is a percentage and cannot exceed 100.'],
    ['grpcTrapPercent', 'abc', 'gRPC trap share (%) must be a number, got "abc".'],
    ['grpcTrapPercent', '', 'gRPC trap share (%) is required.'],
    ['boundaryLatencyMs', '-5', 'Boundary latency (ms) cannot be negative.'],
    ['boundaryLatencyMs', '250', undefined],
    ['boundaryLatencyMs', '1e3', undefined],
    ['boundaryLatencyMs', 'Infinity', 'Boundary latency (ms) must be a number, got "Infinity".'],
    ['boundaryLatencyPercent', '101', 'Boundary latency (% of app p95) is a percentage and cannot exceed 100.'],
    ['disagreementPoints', ' 2 ', undefined],
    [
      'disagreementRateFactor',
      '0.5',
      'Request-rate disagreement (×) is a ratio between two rates and must be at least 1.',
    ],
    ['disagreementRateFactor', '1.5', undefined],
  ] as const)('%s = %j → %s', (key, raw, expected) => {
    expect(validateThreshold(key, raw)).toBe(expected);
  });
});

describe('resolveSettings', () => {
  it('fills every default from empty jsonData', () => {
    const settings = resolveSettings(undefined);
    expect(settings.labelSchema).toBe('otel');
    expect(settings.semconv).toBe('stable');
    expect(settings.appServiceLabel).toBe('service_name');
    expect(settings.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(settings.metricsDatasourceUid).toBeUndefined();
  });

  it('keeps saved values and replaces invalid saved thresholds by defaults', () => {
    const settings = resolveSettings({
      metricsDatasourceUid: 'vm',
      labelSchema: 'linkerd',
      thresholds: { ...DEFAULT_THRESHOLDS, grpcTrapPercent: 5, boundaryLatencyMs: -1 },
    });
    expect(settings.metricsDatasourceUid).toBe('vm');
    expect(settings.labelSchema).toBe('linkerd');
    expect(settings.thresholds.grpcTrapPercent).toBe(5);
    expect(settings.thresholds.boundaryLatencyMs).toBe(DEFAULT_THRESHOLDS.boundaryLatencyMs);
  });
});

describe('validateJoinOverrides', () => {
  it('refuses incomplete and duplicate rows', () => {
    expect(
      validateJoinOverrides([
        { appService: 'checkout-api', namespace: 'shop', workload: 'checkout' },
        { appService: 'checkout-api', namespace: 'shop', workload: 'checkout-v2' },
        { appService: 'cart', namespace: '', workload: 'cart' },
      ])
    ).toEqual({
      1: '"checkout-api" is mapped twice; keep one row per app service.',
      2: 'App service, namespace and workload are all required.',
    });
  });
});
