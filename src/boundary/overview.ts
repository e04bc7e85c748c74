import type { OverviewRefId } from '../query/overviewQueries';
import type { AppSettings } from '../settings/types';
import type { Sample } from '../query/sample';
import { APP_FAMILIES } from '../query/schema';
import { aggregateApp, aggregateMesh } from './aggregate';
import { detectFlags } from './detect';
import { FLAG_FACTS } from './flags';
import { joinLayers } from './join';
import { bucketOf, differenceBounds } from './buckets';
import type { AppFigures, LatencyFigures, MeshFigures, OutsideApp, ServiceRow } from './types';

export type OverviewResults = Record<OverviewRefId, Sample[]>;

export function severity(row: ServiceRow): number {
  return row.flags.reduce((sum, flag) => sum + FLAG_FACTS[flag.id].weight, 0);
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a - b : undefined;
}

function outsideTheApp(mesh: MeshFigures | undefined, app: AppFigures | undefined): OutsideApp {
  const meshBounds = mesh?.latency.p95Bounds;
  const appBounds = app?.latency.p95Bounds;
  return {
    mean: difference(mesh?.latency.mean, app?.latency.mean),
    p50: difference(mesh?.latency.p50, app?.latency.p50),
    p95: difference(mesh?.latency.p95, app?.latency.p95),
    p95Bounds: meshBounds && appBounds ? differenceBounds(meshBounds, appBounds) : undefined,
  };
}

/** A histogram's finite bucket bounds per layer (ms for the mesh, the family's unit for the app), when known. */
export interface BucketLayouts {
  mesh?: number[];
  app?: number[];
}

/** Each layer's p95 with the bucket it came from. */
function withBounds(latency: LatencyFigures, bounds: number[] | undefined, scale: number): LatencyFigures {
  const p95Bounds = latency.p95 !== undefined && bounds ? bucketOf(latency.p95, bounds, scale) : undefined;
  return p95Bounds ? { ...latency, p95Bounds } : latency;
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
  loaded: LayersLoaded = { mesh: true, app: true },
  buckets: BucketLayouts = {}
): ServiceRow[] {
  const appScale = APP_FAMILIES[settings.semconv].http.unit === 's' ? 1000 : 1;
  const mesh = aggregateMesh(results.meshResponses, results.meshLatency, results.meshCallers, settings);
  const app = aggregateApp(results.appRequests, results.appLatency, settings);
  const rows = joinLayers(mesh, app, settings.joinOverrides).map((joined): ServiceRow => {
    const meshFigures = joined.mesh && {
      ...joined.mesh.figures,
      latency: withBounds(joined.mesh.figures.latency, buckets.mesh, 1),
    };
    const appFigures = joined.app && {
      ...joined.app.figures,
      latency: withBounds(joined.app.figures.latency, buckets.app, appScale),
    };
    const outsideApp = outsideTheApp(meshFigures, appFigures);
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
      outsideApp,
      flags: detectFlags({ coverage, mesh: meshFigures, app: appFigures, outsideApp }, settings.thresholds),
    };
  });
  return rows.sort(mostSevereFirst);
}

/** The overview's order: most severe first, then busiest, then by name. */
export function mostSevereFirst(a: ServiceRow, b: ServiceRow): number {
  return (
    severity(b) - severity(a) ||
    (b.mesh?.rps ?? b.app?.rps ?? 0) - (a.mesh?.rps ?? a.app?.rps ?? 0) ||
    a.key.localeCompare(b.key)
  );
}
