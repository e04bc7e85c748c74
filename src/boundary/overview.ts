import type { OverviewRefId } from '../query/overviewQueries';
import type { AppSettings } from '../settings/types';
import { aggregateApp, aggregateMesh } from './aggregate';
import { detectFlags } from './detect';
import { joinLayers } from './join';
import type { FlagId } from '../constants';
import type { Sample } from '../query/sample';
import type { ServiceRow } from './types';

export type OverviewResults = Record<OverviewRefId, Sample[]>;

const FLAG_WEIGHT: Record<FlagId, number> = {
  'grpc-trap': 8,
  disagreement: 4,
  'boundary-latency': 2,
  coverage: 1,
};

export function severity(row: ServiceRow): number {
  return row.flags.reduce((sum, flag) => sum + FLAG_WEIGHT[flag.id], 0);
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a - b : undefined;
}

/** Which layers answered: a layer whose query failed is unknown, not absent. */
export interface LayersLoaded {
  mesh: boolean;
  app: boolean;
}

/** Turns the overview queries' results into one row per service, most severe first. */
export function buildOverviewRows(
  results: OverviewResults,
  settings: AppSettings,
  loaded: LayersLoaded = { mesh: true, app: true }
): ServiceRow[] {
  const mesh = aggregateMesh(results.meshResponses, results.meshLatency, results.meshCallers, settings);
  const app = aggregateApp(results.appRequests, results.appLatency, settings);
  const rows = joinLayers(mesh, app, settings.joinOverrides).map((joined): ServiceRow => {
    const meshFigures = joined.mesh?.figures;
    const appFigures = joined.app?.figures;
    const outsideAppP50 = difference(meshFigures?.latency.p50, appFigures?.latency.p50);
    const outsideAppP95 = difference(meshFigures?.latency.p95, appFigures?.latency.p95);
    // With a layer unknown, "seen by one layer only" cannot be told from "the other layer failed to load".
    const coverage = loaded.mesh && loaded.app ? joined.coverage : 'unknown';
    return {
      key: joined.key,
      namespace: joined.namespace,
      service: joined.service,
      kind: joined.mesh?.kind,
      coverage,
      appService: joined.app && joined.app.service !== joined.service ? joined.app.service : undefined,
      mesh: meshFigures,
      app: appFigures,
      outsideAppP50,
      outsideAppP95,
      flags: detectFlags({ coverage, mesh: meshFigures, app: appFigures, outsideAppP95 }, settings.thresholds),
    };
  });
  return rows.sort(
    (a, b) =>
      severity(b) - severity(a) ||
      (b.mesh?.rps ?? b.app?.rps ?? 0) - (a.mesh?.rps ?? a.app?.rps ?? 0) ||
      a.key.localeCompare(b.key)
  );
}
