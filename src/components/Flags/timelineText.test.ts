import type { ServiceRow } from '../../boundary/types';
import { FIGURE_COLUMNS } from '../ServiceFigures/columns';
import { baselineValue, changeText, onsetText } from './timelineText';

const at = (hours: number, minutes: number) => new Date(2026, 0, 2, hours, minutes).getTime();
const END = at(14, 30);

describe('onsetText', () => {
  test.each<[string, Parameters<typeof onsetText>[0], string]>([
    ['an ongoing stretch', { state: 'since', sinceMs: at(14, 5) }, 'since 14:05, 25 min'],
    ['one that ended', { state: 'since', sinceMs: at(14, 5), untilMs: at(14, 20) }, '14:05 to 14:20'],
    ['from the range’s start', { state: 'all-along' }, 'all along'],
    ['from the start until', { state: 'all-along', untilMs: at(14, 20) }, 'until 14:20'],
    ['over the window only', { state: 'no-step' }, 'over the range, no single step'],
    ['more than a day back', { state: 'since', sinceMs: at(14, 5) - 86_400_000 }, 'since 01-01 14:05, 1 d'],
  ])('%s', (_, onset, expected) => {
    expect(onsetText(onset, END)).toBe(expected);
  });
});

const column = (id: string) => FIGURE_COLUMNS.find((c) => c.id === id)!;

describe('changeText', () => {
  test.each<[string, number | undefined, number | undefined, string | undefined]>([
    ['mesh-rps', 100, 50, '+100 %'],
    ['mesh-rps', 49.8, 50, '−0.4 %'],
    ['mesh-rps', 50.001, 50, '±0.0 %'],
    ['mesh-rps', 5, 0, 'new'],
    ['mesh-rps', 0, 0, '±0 %'],
    ['mesh-success', 0.92, 0.995, '−7.5 pt'],
    ['mesh-p95', 182, 92, '+90 ms'],
    ['outside-app-mean', -0.03, 0.01, '±0.0 ms'],
    ['outside-app-mean', 3.25, 0.5, '+2.8 ms'],
    ['mesh-p95', undefined, 92, undefined],
    ['mesh-p95', 92, undefined, undefined],
  ])('%s: %p against %p → %p', (id, now, before, expected) => {
    expect(changeText(column(id), now, before)).toBe(expected);
  });
});

describe('baselineValue', () => {
  const row: ServiceRow = {
    key: 'shop/web',
    namespace: 'shop',
    service: 'web',
    coverage: 'both',
    mesh: { rps: 100, grpcTrapCodes: [], latency: {} },
    outsideApp: {},
    flags: [],
  };

  it('reads the column from the earlier window’s figures, and nothing where it had none', () => {
    const compared: ServiceRow = {
      ...row,
      baseline: { state: 'data', mesh: { rps: 50, grpcTrapCodes: [], latency: {} }, outsideApp: {} },
    };
    expect(baselineValue(column('mesh-rps'), compared)).toBe(50);
    expect(baselineValue(column('app-rps'), compared)).toBeUndefined();
    expect(baselineValue(column('mesh-rps'), { ...row, baseline: { state: 'no-data' } })).toBeUndefined();
    expect(baselineValue(column('mesh-rps'), row)).toBeUndefined();
  });
});
