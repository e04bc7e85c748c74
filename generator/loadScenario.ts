import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from './scenario';
import { namedScenario } from './scenarios';

/** `demo`, `demo-incident`, `random[-incident]:<seed>:<services>` or a path to a scenario JSON file. */
export function loadScenario(spec: string): Scenario {
  const named = namedScenario(spec);
  if (named) {
    return named;
  }
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch {
    throw new Error(
      `No scenario "${spec}": use demo, demo-incident, random:<seed>:<services>, random-incident:<seed>:<services> or the path of a scenario JSON file`
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${spec} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json);
}
