/**
 * The truth of a scenario with changes over time (timeline.ts): since when each flag holds, and the figures of any
 * window (computeTruth's `window`). Decided from the scenario's phases, never from the plugin's code.
 */
import type { FlagId } from '../src/constants';
import { phasesIn, type ScenarioRange } from './timeline';
import { computeTruth, type TruthOptions } from './truth';
import type { Scenario } from './scenario';

/** The latest stretch of the range in which a flag's condition holds. */
export interface OnsetTruth {
  /** Unix ms at which the stretch began; undefined when it held from the range's start. */
  sinceMs?: number;
  /** Unix ms at which it ended; undefined when it still holds at the range's end. */
  untilMs?: number;
}

/**
 * Per service (`namespace/name`) and flag, the latest stretch of [startMs, endMs] in which the flag's condition holds
 * (each phase's steady state decides it); flags that never hold in the range are absent.
 */
export function flagOnsets(
  scenario: Scenario,
  options: TruthOptions,
  range: ScenarioRange
): Map<string, Partial<Record<FlagId, OnsetTruth>>> {
  const phases = phasesIn(scenario, range.endMs, { fromMs: range.startMs, toMs: range.endMs });
  const flagsByPhase = phases.map(
    (phase) => new Map(computeTruth(phase.scenario, options).map((t) => [t.key, new Set(t.flags)]))
  );
  const onsets = new Map<string, Partial<Record<FlagId, OnsetTruth>>>();
  for (const service of scenario.services) {
    const key = `${service.namespace}/${service.name}`;
    const holds = (flag: FlagId, i: number) => flagsByPhase[i].get(key)?.has(flag) ?? false;
    const flags = new Set(flagsByPhase.flatMap((byKey) => [...(byKey.get(key) ?? [])]));
    const entry: Partial<Record<FlagId, OnsetTruth>> = {};
    for (const flag of flags) {
      let last = phases.length - 1;
      while (!holds(flag, last)) {
        last--;
      }
      let first = last;
      while (first > 0 && holds(flag, first - 1)) {
        first--;
      }
      entry[flag] = {
        sinceMs: first === 0 ? undefined : phases[first].fromMs,
        untilMs: last === phases.length - 1 ? undefined : phases[last + 1].fromMs,
      };
    }
    onsets.set(key, entry);
  }
  return onsets;
}
