/**
 * One table of what each flag is, read by every view and by the rules: its name, its colour, its weight in the
 * worst-first order, and the alert that fires on it with its severity. What raises a flag is detect.ts; which traces
 * explain it, traceEvidence.ts (one case per flag, which TypeScript holds to FLAG_IDS).
 */
import type { FlagId } from '../constants';

/** A Grafana visualization colour name: badges, map rings and chart marks resolve it through the same theme. */
export type FlagColor = 'red' | 'orange' | 'purple' | 'blue';
export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface FlagFacts {
  name: string;
  color: FlagColor;
  /** Weight in the worst-first order: one trap outweighs every other flag together. */
  weight: number;
  /** The alerting rule's name (Prometheus rule format) and its `severity` label. */
  alert: string;
  severity: AlertSeverity;
}

export const FLAG_FACTS: Readonly<Record<FlagId, FlagFacts>> = {
  'grpc-trap': { name: 'gRPC trap', color: 'red', weight: 8, alert: 'MeshLensGrpcTrap', severity: 'critical' },
  disagreement: {
    name: 'Layers disagree',
    color: 'orange',
    weight: 4,
    alert: 'MeshLensLayerDisagreement',
    severity: 'warning',
  },
  'boundary-latency': {
    name: 'Boundary latency',
    color: 'purple',
    weight: 2,
    alert: 'MeshLensBoundaryLatency',
    severity: 'warning',
  },
  coverage: { name: 'Coverage', color: 'blue', weight: 1, alert: 'MeshLensCoverage', severity: 'info' },
};
