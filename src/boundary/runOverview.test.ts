import type { MetricsApi } from '../query/promApi';
import { recordedSeriesNames } from '../query/recordedQueries';
import { DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { runOverview } from './runOverview';

/** A store that answers nothing and records what it was asked. */
function emptyStore(): MetricsApi & { instants: string[]; bucketReads: number } {
  const store = {
    instants: [] as string[],
    bucketReads: 0,
    instant: (expr: string) => {
      store.instants.push(expr);
      return Promise.resolve([]);
    },
    labelNames: () => Promise.resolve([]),
    labelValues: () => {
      store.bucketReads++;
      return Promise.resolve([]);
    },
  };
  return store;
}

describe('runOverview: which series each part of an incident reads', () => {
  const recorded: AppSettings = { ...DEFAULT_SETTINGS, recordedSeries: 'recorded' };
  const window = { from: 1_700_000_000, to: 1_700_003_600 };
  const recordedName = recordedSeriesNames(recorded).meshResponses;

  it('reads the recorded series for the range when the settings ask for them', async () => {
    const store = emptyStore();
    const result = await runOverview(store, recorded, window);
    expect(result.source.path).toBe('recorded');
    expect(store.instants.every((expr) => expr.includes('meshlens:'))).toBe(true);
    expect(store.instants.some((expr) => expr.includes(recordedName))).toBe(true);
  });

  it.each([
    ['a baseline (offset)', { offsetSeconds: 3600 }],
    ['the recent window (mean only)', { meanOnly: true }],
  ])('reads the raw series for %s, whatever the settings, and says so', async (_name, options) => {
    const store = emptyStore();
    const result = await runOverview(store, recorded, window, options);
    expect(result.source).toEqual({
      path: 'raw',
      reason: 'a baseline and the recent window always read the raw series',
    });
    expect(store.instants.length).toBeGreaterThan(0);
    expect(store.instants.some((expr) => expr.includes('meshlens:'))).toBe(false);
    expect(store.instants.some((expr) => expr.includes('increase(response_total{'))).toBe(true);
  });

  it('sends the mean alone for the recent window, no quantile and no bucket bounds read', async () => {
    const store = emptyStore();
    await runOverview(store, recorded, window, { meanOnly: true });
    expect(store.instants.some((expr) => expr.includes('histogram_quantile'))).toBe(false);
    expect(store.bucketReads).toBe(0);
  });
});
