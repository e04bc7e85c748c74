import type { JoinOverride } from '../../src/settings/types';
import { parseScenario, type Scenario } from '../scenario';
import demo from './demo.json';
import hostile from './hostile.json';
import { randomScenario } from './random';

export { randomScenario } from './random';

/** The default demo: every flag of DESIGN §2, healthy services, a restart, an idle service and a renamed app. */
export function demoScenario(): Scenario {
  return parseScenario(demo);
}

/**
 * Names as hostile as Kubernetes and OpenTelemetry allow each of them (docs/scenarios.md, "The hostile scenario"):
 * quotes, backslashes, regex metacharacters, `%`, `/`, `#`, `?`, spaces, newlines, unicode and the longest names.
 */
export function hostileScenario(): Scenario {
  return parseScenario(hostile);
}

/**
 * Resolves a scenario name: `demo`, `hostile`, `random:<seed>:<services>` (the held-back and scale scenarios),
 * or undefined when the caller should read a file instead.
 */
export function namedScenario(name: string): Scenario | undefined {
  if (name === 'demo') {
    return demoScenario();
  }
  if (name === 'hostile') {
    return hostileScenario();
  }
  const random = /^random:(\d+):(\d+)$/.exec(name);
  if (random) {
    return randomScenario({ seed: Number(random[1]), services: Number(random[2]) });
  }
  return undefined;
}

/** The join overrides a Mesh Lens user would configure for this scenario's renamed apps. */
export function scenarioOverrides(scenario: Scenario): JoinOverride[] {
  return scenario.services
    .filter((s) => s.appServiceName && s.appServiceName !== s.name)
    .map((s) => ({ appService: s.appServiceName!, namespace: s.namespace, workload: s.name }));
}
