import type { AppServiceLabel } from '../settings/types';
import { escapeRegex, matcher, type LabelMatcher } from './promql';
import type { MeshLabels, WorkloadKind } from './schema';

/** Some services, as each layer names them: what a query restricted to them (the flagged ones' timeline) reads. */
export interface ServiceSelection {
  mesh: Array<{ namespace: string; workload: string; kind?: WorkloadKind }>;
  app: Array<{ namespace: string; service: string }>;
}

/**
 * Names a lower-precedence workload label carries on the pods of a higher one, where the Collector's k8sattributes
 * sets both: a Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`, a CronJob's Job
 * `<cronjob>-<scheduled time>` (Kubernetes `pkg/controller/deployment/sync.go`, `pkg/controller/cronjob/utils.go`).
 */
const OWNED_NAMES: Partial<Record<WorkloadKind, { owner: WorkloadKind; suffix: string }>> = {
  replicaset: { owner: 'deployment', suffix: '-[a-z0-9]+' },
  job: { owner: 'cronjob', suffix: '-[0-9]+' },
};

function alternatives(literals: string[], patterns: string[] = []): string {
  return [...new Set(literals)].map(escapeRegex).concat(patterns).join('|');
}

/**
 * One selector's matchers keeping the series of these workloads, by the label set given (a workload's own labels
 * or the `dst_*` of outbound series): the namespaces, and per kind label the names of that kind, or no such label
 * at all (the empty alternative), since a series names its workload in one kind's label. A workload of unknown kind
 * is looked for under every kind. Series of other workloads whose names match are dropped by the join later.
 */
export function workloadSelectionMatchers(
  schema: Omit<MeshLabels, 'pod'>,
  workloads: ServiceSelection['mesh']
): LabelMatcher[] {
  const ofKind = (kind: WorkloadKind) => workloads.filter((w) => w.kind === undefined || w.kind === kind);
  return [
    matcher(schema.namespace, '=~', alternatives(workloads.map((w) => w.namespace))),
    ...schema.workloads.map(({ kind, label }) => {
      const owned = OWNED_NAMES[kind];
      const patterns = owned ? ofKind(owned.owner).map((w) => `${escapeRegex(w.workload)}${owned.suffix}`) : [];
      return matcher(label, '=~', alternatives(['', ...ofKind(kind).map((w) => w.workload)], patterns));
    }),
  ];
}

/** The app series of these services, by the label the app names its service with (`service_name`, or `job`). */
export function appSelectionMatchers(label: AppServiceLabel, services: ServiceSelection['app']): LabelMatcher[] {
  const names = services.map((s) => (label === 'job' && s.namespace ? `${s.namespace}/${s.service}` : s.service));
  return [matcher(label, '=~', alternatives(names))];
}
