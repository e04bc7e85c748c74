import { PromQueryError, type PromApi } from '../query/promApi';
import type { Sample } from '../query/sample';
import { DEFAULT_SETTINGS } from '../settings/types';
import { measureRuleCosts, readCount } from './costs';
import { buildRuleGroups } from './groups';
import { isAlertingRule, type RecordingRule } from './types';

const groups = buildRuleGroups(DEFAULT_SETTINGS);
const recording = groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlertingRule(r)));
const alerts = groups.flatMap((g) => g.rules.filter(isAlertingRule));

/** A store that answers `count(<expr>)` from a table of expressions, refusing those in `refuse`. */
function fakeStore(seriesOf: (expr: string) => number, refuse: (expr: string) => boolean = () => false) {
  let inFlight = 0;
  const api: PromApi & { asked: string[]; maxInFlight: number } = {
    asked: [],
    maxInFlight: 0,
    instant: async (expr: string): Promise<Sample[]> => {
      api.asked.push(expr);
      inFlight++;
      api.maxInFlight = Math.max(api.maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      if (refuse(expr)) {
        throw new PromQueryError('query', 'the number of matching timeseries exceeds 300000');
      }
      const inner = expr.replace(/^count\(/, '').replace(/\)$/, '');
      const n = seriesOf(inner);
      return n === 0 ? [] : [{ labels: {}, value: n }];
    },
  };
  return api;
}

describe('measureRuleCosts', () => {
  it('asks count(<expr>) once per recording rule, and once for the recorded rates already stored', async () => {
    const api = fakeStore((expr) => expr.length);
    const costs = await measureRuleCosts(api, groups, 1000);
    expect(api.asked).toHaveLength(recording.length + 1);
    expect(costs.queries).toBe(recording.length + 1);
    for (const rule of recording) {
      expect(api.asked).toContain(`count(${rule.expr})`);
    }
    expect(costs.rules.map((r) => [r.record, r.series])).toEqual(recording.map((r) => [r.record, r.expr.length]));
    expect(costs.total).toBe(recording.reduce((sum, r) => sum + r.expr.length, 0));
    expect(costs.alerts).toBe(alerts.length);
    // The stored-rates query names every rate the first group records.
    const stored = api.asked.find((q) => q.startsWith('count({__name__=~'))!;
    for (const rule of groups[0].rules as RecordingRule[]) {
      expect(stored).toContain(rule.record);
    }
    expect(costs.recordedInStore).toBe(stored.length - 'count()'.length);
  });

  it('keeps at most four rule queries in flight, beside the stored-rates one', async () => {
    const api = fakeStore(() => 1);
    await measureRuleCosts(api, groups, 1000);
    expect(api.maxInFlight).toBeLessThanOrEqual(5);
    expect(api.maxInFlight).toBeGreaterThan(1);
  });

  it('reports a refused rule on its own row and counts the others', async () => {
    const bucket = recording.find((r) => r.record.includes('response_latency_ms_bucket'))!;
    // Only the first of the mesh bucket rule's parts is refused.
    const api = fakeStore(
      () => 7,
      (expr) => expr === `count(${bucket.expr})`
    );
    const costs = await measureRuleCosts(api, groups, 1000);
    const refused = costs.rules.filter((r) => r.error);
    expect(refused.map((r) => r.record)).toEqual([bucket.record]);
    expect(refused[0].error).toContain('exceeds 300000');
    expect(costs.total).toBe(7 * (recording.length - 1));
  });

  it('reads an empty answer as no series, and a failed stored-rates query as a message', async () => {
    const api = fakeStore(
      () => 0,
      (expr) => expr.startsWith('count({__name__')
    );
    const costs = await measureRuleCosts(api, groups, 1000);
    expect(costs.total).toBe(0);
    expect(costs.recordedInStore).toBeUndefined();
    expect(costs.recordedInStoreError).toContain('exceeds');
  });

  it('passes a cancellation on', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      measureRuleCosts(
        fakeStore(() => 1),
        groups,
        1000,
        { signal: controller.signal }
      )
    ).rejects.toThrow('cancelled');
  });
});

describe('readCount', () => {
  test.each<[Sample[], number]>([
    [[], 0],
    [[{ labels: {}, value: 42 }], 42],
    [[{ labels: {}, value: NaN }], 0],
  ])('%j → %d', (samples, expected) => {
    expect(readCount(samples)).toBe(expected);
  });
});
