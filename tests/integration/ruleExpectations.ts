/**
 * Which alerts the rule files must fire for a scenario, decided from the generator's truth (never from the rules):
 * each flag of the truth is one detection alert (grpc-trap → MeshLensGrpcTrap, boundary-latency →
 * MeshLensBoundaryLatency, disagreement → MeshLensLayerDisagreement, coverage → MeshLensCoverage), with the label
 * that tells its variants apart, and the burn-rate alerts follow from the truth's mesh success rate.
 */
import type { ServiceTruth } from '../../generator/truth';
import { FLOAT_SLACK } from '../../src/boundary/detect';
import { DEFAULT_RULE_OPTIONS } from '../../src/rules';
import type { Thresholds } from '../../src/settings/types';

/** `MeshLensGrpcTrap shop/payments view=callee`: an alert by name, service and variant. */
export type AlertKey = string;

/** The key of an alert as Alertmanager or the store reports it. */
export function alertKey(labels: Record<string, string>, namespaceLabel: string): AlertKey {
  const variant = ['view', 'reason', 'coverage', 'window']
    .filter((name) => labels[name])
    .map((name) => `${name}=${labels[name]}`);
  return [labels.alertname, `${labels[namespaceLabel] ?? ''}/${labels.workload ?? ''}`, ...variant].join(' ');
}

export interface ExpectationOptions {
  thresholds: Thresholds;
  /**
   * Whether the rules join renamed apps through the scenario's overrides. Without them (the shipped files' default
   * settings) a renamed app is a mesh-only workload and an app-only service, and nothing that needs both layers.
   */
  overrides: boolean;
}

export function expectedAlerts(truth: ServiceTruth[], options: ExpectationOptions): AlertKey[] {
  const t = options.thresholds;
  const keys: AlertKey[] = [];
  const { objective, fast, slow } = {
    objective: DEFAULT_RULE_OPTIONS.sloObjective,
    ...DEFAULT_RULE_OPTIONS.burnRates,
  };
  for (const s of truth) {
    const service = `${s.namespace}/${s.service}`;
    const renamed = !options.overrides && s.appService !== s.service && s.coverage === 'both';
    for (const flag of s.flags) {
      if (flag === 'grpc-trap') {
        keys.push(`MeshLensGrpcTrap ${service} view=${s.mesh?.trapEvidence}`);
      } else if (flag === 'boundary-latency' && !renamed) {
        keys.push(`MeshLensBoundaryLatency ${service}`);
      } else if (flag === 'disagreement' && !renamed) {
        const mesh = s.mesh!;
        const app = s.app!;
        if (
          mesh.successRate !== undefined &&
          app.successRate !== undefined &&
          Math.abs(mesh.successRate - app.successRate) * 100 > t.disagreementPoints + FLOAT_SLACK
        ) {
          keys.push(`MeshLensLayerDisagreement ${service} reason=success`);
        }
        if (Math.max(mesh.rps / app.rps, app.rps / mesh.rps) > t.disagreementRateFactor + FLOAT_SLACK) {
          keys.push(`MeshLensLayerDisagreement ${service} reason=request-rate`);
        }
      } else if (flag === 'coverage') {
        keys.push(`MeshLensCoverage ${service} coverage=${s.coverage}`);
      }
    }
    if (renamed) {
      keys.push(`MeshLensCoverage ${service} coverage=mesh-only`);
      keys.push(`MeshLensCoverage ${s.namespace}/${s.appService} coverage=app-only`);
    }
    const errors = s.mesh?.successRate === undefined ? 0 : 1 - s.mesh.successRate;
    for (const burn of [fast, slow]) {
      if (errors > burn.burnRate * (1 - objective)) {
        keys.push(`MeshLensSuccessBudgetBurn ${service} window=${burn.longSeconds / 3600}h`);
      }
    }
  }
  return keys.sort();
}
