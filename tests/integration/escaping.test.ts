/**
 * The escaping of src/query/promql.ts against the stores themselves: generated label values (quotes, backslashes,
 * newlines, regex metacharacters, `%`, unicode, control characters) are written into VictoriaMetrics and
 * Prometheus, and a selector built for each value must select exactly that value's series, with `=` through
 * escapeLabelValue and with `=~` through escapeRegex (the store's RE2, anchored, not JavaScript's regex).
 */
import fc from 'fast-check';
import { sampleLine } from '../../generator/exposition';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import type { MetricsApi } from '../../src/query/promApi';
import { escapeRegex, matcher, seriesSelector, type MatchOp } from '../../src/query/promql';
import {
  importIntoVictoriaMetrics,
  startPrometheus,
  startVictoriaMetrics,
  type RunningStore,
} from '../../scripts/lib/stores';
import { ANY_LABEL_VALUE } from '../shared/hostileStrings';

const METRIC = 'meshlens_escaping_probe';
/** Fixed so a failure replays; the values are whatever fast-check draws from it. */
const SEED = 20261125;

/**
 * Values a store can hold as they are: an empty value is no label at all, and the text formats (Prometheus'
 * OpenMetrics backfill) cannot carry a NUL or a carriage return.
 */
const VALUES = [
  ...new Set(
    fc
      .sample(ANY_LABEL_VALUE, { seed: SEED, numRuns: 400 })
      .filter((v) => v !== '' && !v.includes('\0') && !v.includes('\r'))
  ),
];
const now = Math.floor(Date.now() / 1000);
const labelsOf = (value: string, index: number) => ({ v: value, i: String(index) });

describe.each(['victoria-metrics', 'prometheus'] as const)('label values written to %s', (kind) => {
  let store: RunningStore;
  let api: MetricsApi;

  beforeAll(async () => {
    if (kind === 'victoria-metrics') {
      store = await startVictoriaMetrics();
      const lines = VALUES.map((value, i) =>
        JSON.stringify({ metric: { __name__: METRIC, ...labelsOf(value, i) }, values: [1], timestamps: [now * 1000] })
      );
      await importIntoVictoriaMetrics(store.url, [`${lines.join('\n')}\n`], 'json');
    } else {
      store = await startPrometheus({
        backfill: [VALUES.map((value, i) => sampleLine(METRIC, labelsOf(value, i), 1, now)).join('\n') + '\n'],
      });
    }
    api = createPromHttpApi({ baseUrl: store.url });
  });
  afterAll(async () => {
    await store?.stop();
  });

  it('holds every generated value as written', async () => {
    const stored = await api.instant(`${METRIC}`, now);
    expect(stored.map((s) => s.labels.v).sort()).toEqual([...VALUES].sort());
    expect(VALUES.length).toBeGreaterThan(300);
  });

  it.each<[MatchOp, (value: string) => string]>([
    ['=', (value) => value],
    ['=~', escapeRegex],
  ])('a %s selector for each value selects exactly that value', async (op, quote) => {
    const wrong: string[] = [];
    for (const [index, value] of VALUES.entries()) {
      const selected = await api.instant(seriesSelector(METRIC, [matcher('v', op, quote(value))]), now);
      const indices = selected.map((s) => s.labels.i);
      if (indices.length !== 1 || indices[0] !== String(index)) {
        wrong.push(`${JSON.stringify(value)} selected ${JSON.stringify(indices)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
