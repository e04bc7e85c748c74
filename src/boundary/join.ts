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

/**
 * Joins the layers by (namespace, workload). An app service is matched, in order, by an explicit override,
 * by the same name in the same namespace, or — when the app reports no namespace — by a workload of that
 * name in exactly one namespace. Services found in one layer only are kept, never dropped.
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

  for (const appService of app.values()) {
    const override = overrideByName.get(appService.service);
    // An override names a workload in its namespace: it applies to the app of that namespace (or of none).
    const overrideApplies = override && (!appService.namespace || appService.namespace === override.namespace);
    let key: string;
    if (override && overrideApplies) {
      key = serviceKey(override.namespace, override.workload);
    } else if (appService.namespace) {
      key = serviceKey(appService.namespace, appService.service);
    } else {
      const candidates = workloadsByName.get(appService.service) ?? [];
      key = candidates.length === 1 ? candidates[0] : serviceKey('', appService.service);
    }
    const target = joined.get(key);
    if (target && !target.app) {
      target.app = appService;
      target.coverage = target.mesh ? 'both' : 'app-only';
      continue;
    }
    // Nothing to join, or its row already has an app: the app gets a row of its own, never dropped.
    if (target) {
      key = serviceKey(appService.namespace, appService.service);
      if (joined.has(key)) {
        key = `${key} (app)`;
      }
    }
    const [namespace, service] =
      override && overrideApplies && !target
        ? [override.namespace, override.workload]
        : [appService.namespace, appService.service];
    joined.set(key, { key, namespace, service, coverage: 'app-only', app: appService });
  }
  return [...joined.values()];
}
