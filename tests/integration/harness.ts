import { importChunks, importJsonChunks } from '../../generator/generate';
import type { Scenario } from '../../generator/scenario';
import type { RangeMetricsApi } from '../../src/query/promApi';
import { createPromHttpApi } from '../../scripts/lib/promHttpApi';
import type { LabelSchema, SemconvVersion } from '../../src/settings/types';
import type { TimeWindow } from '../../src/boundary/runOverview';
import {
  importIntoVictoriaMetrics,
  startPrometheus,
  startVictoriaMetrics,
  type RunningStore,
} from '../../scripts/lib/stores';

export type StoreKind = 'victoria-metrics' | 'prometheus';

export interface LoadedStore {
  store: RunningStore;
  api: RangeMetricsApi;
  /** The generated range: counters start at `startMs`, the last sample is at `endMs`. */
  startMs: number;
  endMs: number;
  /** A window inside the range, as the plugin would query it. */
  window(minutes: number): TimeWindow;
}

/**
 * Starts a store of the given kind and loads `minutes` of the scenario ending now (by default on a whole minute;
 * `secondsOffMinute` moves the end, and the scenario's changes with it, off the minute).
 */
export async function loadScenarioInto(
  kind: StoreKind,
  scenario: Scenario,
  options: { schema: LabelSchema; semconv: SemconvVersion; minutes: number; secondsOffMinute?: number }
): Promise<LoadedStore> {
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000 - (options.secondsOffMinute ?? 0) * 1000;
  const startMs = endMs - options.minutes * 60_000;
  const generate = (timestampUnit: 'ms' | 's') =>
    importChunks(scenario, { schema: options.schema, semconv: options.semconv, startMs, endMs, timestampUnit });
  let store: RunningStore;
  if (kind === 'victoria-metrics') {
    store = await startVictoriaMetrics();
    await importIntoVictoriaMetrics(
      store.url,
      importJsonChunks(scenario, { schema: options.schema, semconv: options.semconv, startMs, endMs }),
      'json'
    );
  } else {
    store = await startPrometheus({ backfill: generate('s') });
  }
  return {
    store,
    api: createPromHttpApi({ baseUrl: store.url }),
    startMs,
    endMs,
    window: (minutes) => ({ from: endMs / 1000 - minutes * 60, to: endMs / 1000 }),
  };
}
