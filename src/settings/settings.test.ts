import {
  readJoinOverrides,
  resolveSettings,
  validateJoinOverrides,
  validateMeshSelector,
  validateThreshold,
  type SavedSettings,
} from './settings';
import { DEFAULT_THRESHOLDS } from './types';

describe('validateThreshold', () => {
  test.each([
    ['grpcTrapPercent', '1', undefined],
    [
      'grpcTrapPercent',
      '0',
      'gRPC trap share (%) must be greater than 0: the flag fires at or above it while the HTTP view stays under it.',
    ],
    ['grpcTrapPercent', '0.01', undefined],
    ['grpcTrapPercent', '0x1F', 'gRPC trap share (%) must be a number, got "0x1F".'],
    ['boundaryLatencyMs', '0b11', 'Boundary latency (ms) must be a number, got "0b11".'],
    ['boundaryLatencyMs', '1e-400', 'Boundary latency (ms) is too small to be told apart from 0, got "1e-400".'],
    ['boundaryLatencyMs', '0', undefined],
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

describe('recorded series mode', () => {
  test.each([
    [undefined, 'auto'],
    ['auto', 'auto'],
    ['raw', 'raw'],
    ['recorded', 'recorded'],
    ['Recorded', 'auto'],
    ['', 'auto'],
    [true, 'auto'],
    [{ mode: 'raw' }, 'auto'],
  ])('saved %j → %s', (saved, expected) => {
    expect(resolveSettings({ recordedSeries: saved }).recordedSeries).toBe(expected);
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

describe('resolveSettings on hand-provisioned jsonData', () => {
  it('reads thresholds provisioned as numeric strings, and refuses the rest', () => {
    const settings = resolveSettings({
      thresholds: {
        grpcTrapPercent: '5',
        boundaryLatencyMs: ' 75 ',
        boundaryLatencyPercent: '0x1F',
        disagreementPoints: null,
      },
    } as unknown as SavedSettings);
    expect(settings.thresholds).toEqual({
      ...DEFAULT_THRESHOLDS,
      grpcTrapPercent: 5,
      boundaryLatencyMs: 75,
    });
  });

  it('sets aside join overrides that are not three text fields, and trims the others', () => {
    const saved = [
      { appService: ' currency-api ', namespace: 'shop ', workload: ' currency' },
      null,
      { appService: 'x', namespace: 'y' },
      'not an object',
      { appService: 1, namespace: 'y', workload: 'z' },
    ];
    expect(resolveSettings({ joinOverrides: saved } as unknown as SavedSettings).joinOverrides).toEqual([
      { appService: 'currency-api', namespace: 'shop', workload: 'currency' },
    ]);
    expect(readJoinOverrides(saved).ignored).toEqual([1, 2, 3, 4]);
    expect(resolveSettings({ joinOverrides: 'oops' } as unknown as SavedSettings).joinOverrides).toEqual([]);
  });

  it('gives each label schema its own mesh selector unless one was saved', () => {
    expect(resolveSettings({}).meshSelector).toEqual({ label: 'layer', value: 'mesh' });
    expect(resolveSettings({ labelSchema: 'linkerd' }).meshSelector).toEqual({ label: 'job', value: 'linkerd-proxy' });
    expect(resolveSettings({ labelSchema: 'linkerd', meshSelector: { label: '', value: 'x' } }).meshSelector).toEqual({
      label: '',
      value: '',
    });
    expect(
      resolveSettings({ meshSelector: { label: 'bad label', value: 'x' } } as unknown as SavedSettings).meshSelector
    ).toEqual({ label: 'layer', value: 'mesh' });
  });

  it('keeps Linkerd’s gRPC failure codes unless a valid list was saved', () => {
    expect(resolveSettings({}).grpcFailureCodes).toEqual([2, 4, 7, 13, 14, 15]);
    expect(resolveSettings({ grpcFailureCodes: [14, 8, 8, 99, -1] }).grpcFailureCodes).toEqual([8, 14]);
    expect(resolveSettings({ grpcFailureCodes: [] }).grpcFailureCodes).toEqual([2, 4, 7, 13, 14, 15]);
  });

  it('survives jsonData that is not an object', () => {
    expect(resolveSettings('garbage' as unknown as SavedSettings).labelSchema).toBe('otel');
  });
});

describe('validateMeshSelector', () => {
  it.each([
    [{ label: '', value: '' }, undefined],
    [{ label: 'layer', value: 'mesh' }, undefined],
    [{ label: 'layer', value: '' }, 'Give the value the mesh series carry, or leave the label empty.'],
    [
      { label: '1abc', value: 'x' },
      '"1abc" is not a Prometheus label name (letters, digits and _, not starting with a digit).',
    ],
  ])('%j → %s', (selector, expected) => {
    expect(validateMeshSelector(selector)).toBe(expected);
  });
});
