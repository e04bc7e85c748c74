import type { JoinOverride } from '../settings/types';
import type { AppService, MeshService } from './aggregate';
import { serviceKey, type Coverage } from './types';

export interface JoinedService {
  key: string;
  namespace: string;
  service: string;
  coverage: Coverage;
  mesh?: MeshService;
  app?: AppService;
}

/** How an app service found its workload; a lower rank wins when several apps find the same one. */
const enum Match {
  Override = 0,
  SameNamespace = 1,
  NameOnly = 2,
}

interface Candidate {
  app: AppService;
  /** The mesh row it joins, when it exists, or the key of its own row. */
  key: string;
  match: Match;
  /** The namespace and service its own row shows when it joins nothing. */
  namespace: string;
  service: string;
}

/** Total order on app services, so ties between rivals never depend on the order the store listed them in. */
const byIdentity = (a: AppService, b: AppService) =>
  a.namespace < b.namespace
    ? -1
    : a.namespace > b.namespace
      ? 1
      : a.service < b.service
        ? -1
        : a.service > b.service
          ? 1
          : 0;

function candidate(
  app: AppService,
  overrides: Map<string, JoinOverride>,
  workloadsByName: Map<string, string[]>
): Candidate {
  const override = overrides.get(app.service);
  // An override names a workload in its namespace: it applies to the app of that namespace (or of none).
  if (override && (!app.namespace || app.namespace === override.namespace)) {
    const { namespace, workload } = override;
    return { app, key: serviceKey(namespace, workload), match: Match.Override, namespace, service: workload };
  }
  const own = { app, namespace: app.namespace, service: app.service };
  if (app.namespace) {
    return { ...own, key: serviceKey(app.namespace, app.service), match: Match.SameNamespace };
  }
  const workloads = workloadsByName.get(app.service) ?? [];
  return { ...own, key: workloads.length === 1 ? workloads[0] : serviceKey('', app.service), match: Match.NameOnly };
}

/**
 * Joins the layers by (namespace, workload). An app service is matched by an explicit override, by the same name
 * in the same namespace, or — when the app reports no namespace — by a workload of that name in exactly one
 * namespace. When several apps find the same workload the override wins, then the same namespace, then the name
 * alone (then the first by namespace and name): the result never depends on the order the store answered in.
 * Services found in one layer only are kept, never dropped, each under a key of its own.
 */
export function joinLayers(
  mesh: Map<string, MeshService>,
  app: Map<string, AppService>,
  overrides: JoinOverride[]
): JoinedService[] {
  const overrideByName = new Map(overrides.map((o) => [o.appService, o]));
  const workloadsByName = new Map<string, string[]>();
  for (const [key, service] of mesh) {
    // Appended in place: copying the list per workload was quadratic when many namespaces share a name.
    const keys = workloadsByName.get(service.workload);
    if (keys) {
      keys.push(key);
    } else {
      workloadsByName.set(service.workload, [key]);
    }
  }

  const joined = new Map<string, JoinedService>();
  for (const [key, service] of mesh) {
    joined.set(key, {
      key,
      namespace: service.namespace,
      service: service.workload,
      coverage: 'mesh-only',
      mesh: service,
    });
  }

  const candidates = [...app.values()]
    .map((service) => candidate(service, overrideByName, workloadsByName))
    .sort((a, b) => a.match - b.match || byIdentity(a.app, b.app));
  const unique = (key: string) => {
    let free = key;
    for (let n = 1; joined.has(free); n++) {
      free = n === 1 ? `${key} (app)` : `${key} (app ${n})`;
    }
    return free;
  };
  const ownRows: Candidate[] = [];
  for (const c of candidates) {
    const target = joined.get(c.key);
    if (target?.mesh && !target.app) {
      target.app = c.app;
      target.coverage = 'both';
    } else {
      ownRows.push(c);
    }
  }
  // Apps that joined nothing, after every join: an app-only row never takes the key a mesh row needs.
  for (const c of ownRows) {
    // An app whose workload is already joined shows under its own name, not the workload's.
    const [namespace, service] = joined.get(c.key)?.mesh ? [c.app.namespace, c.app.service] : [c.namespace, c.service];
    const key = unique(serviceKey(namespace, service));
    joined.set(key, { key, namespace, service, coverage: 'app-only', app: c.app });
  }
  return [...joined.values()];
}
