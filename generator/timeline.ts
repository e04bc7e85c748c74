/**
 * A scenario over time: its changes placed in a generated range, and the scenario as it stands in each stretch
 * between two changes (a phase). The series model (series.ts) and the truth (truth.ts) both read the phases.
 */
import type { Scenario, ScenarioChange, ServiceSpec } from './scenario';

/** The generated range: counters are 0 at `startMs`; changes are placed back from `endMs`. */
export interface ScenarioRange {
  startMs: number;
  endMs: number;
}

/**
 * The scenario as it stands from `fromMs` until the next phase begins, without changes of its own. The first phase
 * begins before any time.
 */
export interface ScenarioPhase {
  fromMs: number;
  scenario: Scenario;
}

const MINUTE_MS = 60_000;

export function changeTimeMs(change: ScenarioChange, endMs: number): number {
  return endMs - change.minutesBeforeEnd * MINUTE_MS;
}

function serviceKey(service: ServiceSpec): string {
  return `${service.namespace}/${service.name}`;
}

/**
 * The scenario after `changes`. A workload that stops being meshed also stops being a meshed caller: what it sends
 * arrives without an mTLS identity, and its own proxy no longer fails anything.
 */
function applyChanges(scenario: Scenario, changes: ScenarioChange[]): Scenario {
  const services = scenario.services.map((service) => {
    const key = serviceKey(service);
    return changes.filter((c) => c.service === key).reduce((s, c) => ({ ...s, ...c.set }), service);
  });
  const unmeshed = new Set(
    services
      .filter((s, i) => scenario.services[i].layers.includes('mesh') && !s.layers.includes('mesh'))
      .map(serviceKey)
  );
  return {
    ...scenario,
    changes: undefined,
    services: services.map((service) => ({
      ...service,
      callers: service.callers.filter((c) => !unmeshed.has(`${c.namespace ?? service.namespace}/${c.workload}`)),
    })),
  };
}

/** The phases of a scenario whose range ends at `endMs`: one, the scenario itself, when it has no changes. */
export function scenarioPhases(scenario: Scenario, endMs: number): ScenarioPhase[] {
  const changes = scenario.changes ?? [];
  const times = [...new Set(changes.map((c) => changeTimeMs(c, endMs)))].sort((a, b) => a - b);
  return [
    { fromMs: Number.NEGATIVE_INFINITY, scenario: applyChanges(scenario, []) },
    ...times.map((fromMs) => ({
      fromMs,
      scenario: applyChanges(
        scenario,
        changes.filter((c) => changeTimeMs(c, endMs) <= fromMs)
      ),
    })),
  ];
}

/** The scenario as it stands at `atMs`, in a range ending at `endMs`. */
export function scenarioAt(scenario: Scenario, endMs: number, atMs: number): Scenario {
  const phases = scenarioPhases(scenario, endMs);
  return [...phases].reverse().find((p) => p.fromMs <= atMs)!.scenario;
}

/** Each phase's share of [fromMs, toMs), in seconds, for phases that overlap it. */
export function phasesIn(
  scenario: Scenario,
  endMs: number,
  window: { fromMs: number; toMs: number }
): Array<{ scenario: Scenario; seconds: number; fromMs: number }> {
  const phases = scenarioPhases(scenario, endMs);
  return phases
    .map((phase, i) => {
      const from = Math.max(phase.fromMs, window.fromMs);
      const to = Math.min(phases[i + 1]?.fromMs ?? Number.POSITIVE_INFINITY, window.toMs);
      return { scenario: phase.scenario, seconds: (to - from) / 1000, fromMs: from };
    })
    .filter((p) => p.seconds > 0);
}
