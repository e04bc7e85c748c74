import type { JoinOverride } from '../../src/settings/types';
import { parseScenario, type Scenario } from '../scenario';
import demo from './demo.json';
import demoIncident from './demo-incident.json';
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
 * The demo's services with an incident in the last half hour of the range: a gRPC trap begins at shop/shipping
 * (25 minutes before the end) and at shop/currency (6 minutes), shop/web's traffic doubles (20 minutes), a deploy of
 * shop/checkout adds 90 ms at the boundary (15 minutes) and shop/cart stops being meshed (10 minutes).
 */
export function demoIncidentScenario(): Scenario {
  return parseScenario({ ...demo, ...demoIncident });
}

/**
 * Resolves a scenario name: `demo`, `demo-incident`, `hostile`, `random:<seed>:<services>` (the held-back and scale
 * scenarios), `random-incident:<seed>:<services>` (the same with changes over time), or undefined when the caller
 * should read a file instead.
 */
export function namedScenario(name: string): Scenario | undefined {
  if (name === 'demo') {
    return demoScenario();
  }
  if (name === 'hostile') {
    return hostileScenario();
  }
  if (name === 'demo-incident') {
    return demoIncidentScenario();
  }
  const random = /^random(-incident)?:(\d+):(\d+)$/.exec(name);
  if (random) {
    return randomScenario({ seed: Number(random[2]), services: Number(random[3]), incidents: !!random[1] });
  }
  return undefined;
}

/** The join overrides a Mesh Lens user would configure for this scenario's renamed apps. */
export function scenarioOverrides(scenario: Scenario): JoinOverride[] {
  return scenario.services
    .filter((s) => s.appServiceName && s.appServiceName !== s.name)
    .map((s) => ({ appService: s.appServiceName!, namespace: s.namespace, workload: s.name }));
}
