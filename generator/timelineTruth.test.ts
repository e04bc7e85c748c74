import { DEFAULT_THRESHOLDS } from '../src/settings/types';
import { demoScenario, namedScenario } from './scenarios';
import { changeTimeMs } from './timeline';
import { flagOnsets } from './timelineTruth';
import { computeTruth } from './truth';

const END = Date.UTC(2026, 0, 1, 13);
const HOUR = 3_600_000;
const OPTIONS = { semconv: 'stable' as const, thresholds: DEFAULT_THRESHOLDS };
const incident = namedScenario('demo-incident')!;
const window = (fromMs: number, toMs: number) => ({ ...OPTIONS, window: { rangeEndMs: END, fromMs, toMs } });
const byKey = <T extends { key: string }>(list: T[]) => new Map(list.map((t) => [t.key, t]));

describe('the truth of a window of a scenario with changes', () => {
  const whole = byKey(computeTruth(incident, window(END - HOUR, END)));
  const recent = byKey(computeTruth(incident, window(END - 5 * 60_000, END)));
  const before = byKey(computeTruth(incident, window(END - 2 * HOUR, END - HOUR)));

  it('before the first change is the demo’s own truth', () => {
    expect([...before.values()]).toEqual(computeTruth(demoScenario(), OPTIONS));
  });

  it('weights each phase by the time it lasts: a doubled rate for 20 of 60 minutes', () => {
    expect(whole.get('shop/web')!.mesh!.rps).toBeCloseTo((50 * 40 + 100 * 20) / 60, 9);
    expect(recent.get('shop/web')!.mesh!.rps).toBeCloseTo(100, 9);
  });

  it('weights shares by the requests each phase carried: 8 % for the last 6 of 60 minutes', () => {
    expect(whole.get('shop/currency')!.mesh!.grpcTrapShare).toBeCloseTo((0.08 * 6) / 60, 9);
    expect(whole.get('shop/currency')!.flags).toEqual([]);
    expect(recent.get('shop/currency')!.mesh!.grpcTrapShare).toBeCloseTo(0.08, 9);
    expect(recent.get('shop/currency')!.flags).toEqual(['grpc-trap']);
  });

  it('marks a layer that is there for part of the window, and drops it where it is gone all along', () => {
    expect(whole.get('shop/cart')).toMatchObject({ coverage: 'both', partial: true });
    // Its proxies were scraped for 50 of the 60 minutes: the hour's mean counts the rest as no requests.
    expect(whole.get('shop/cart')!.mesh!.rps).toBeCloseTo((25 * 50) / 60, 9);
    expect(recent.get('shop/cart')).toMatchObject({ coverage: 'app-only', flags: ['coverage'] });
    expect(recent.get('shop/cart')!.app!.rps).toBeCloseTo(25, 9);
    expect(whole.get('shop/web')!.partial).toBeUndefined();
  });
});

describe('flagOnsets', () => {
  const range = { startMs: END - HOUR, endMs: END };
  const onsets = flagOnsets(incident, OPTIONS, range);

  it('dates each flag a change brings to its change, and leaves flags that held all along undated', () => {
    const at = (service: string) =>
      changeTimeMs(
        incident.changes!.find((c) => c.service === service)!,
        END
      );
    expect(onsets.get('shop/shipping')).toEqual({ 'grpc-trap': { sinceMs: at('shop/shipping') } });
    expect(onsets.get('shop/currency')).toEqual({ 'grpc-trap': { sinceMs: at('shop/currency') } });
    expect(onsets.get('shop/checkout')).toEqual({ 'boundary-latency': { sinceMs: at('shop/checkout') } });
    expect(onsets.get('shop/payments')).toEqual({ 'grpc-trap': {} });
    expect(onsets.get('shop/web')).toEqual({});
  });

  it('ends the stretch of a flag a change takes away', () => {
    const unmeshed = changeTimeMs(
      incident.changes!.find((c) => c.service === 'shop/cart')!,
      END
    );
    expect(onsets.get('shop/cart')).toEqual({ disagreement: { untilMs: unmeshed }, coverage: { sinceMs: unmeshed } });
  });

  it('places a change before the range at the range’s start: no onset inside it', () => {
    const late = flagOnsets(incident, OPTIONS, { startMs: END - 10 * 60_000, endMs: END });
    expect(late.get('shop/shipping')).toEqual({ 'grpc-trap': {} });
    expect(late.get('shop/currency')).toEqual({ 'grpc-trap': { sinceMs: END - 6 * 60_000 } });
  });
});
