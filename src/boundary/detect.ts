import { formatMs, formatPercent } from './format';
import type { Thresholds } from '../settings/types';
import type { AppFigures, Coverage, Flag, MeshFigures } from './types';

/** "More than 2 points" must not fire on 1 − 0.98, which floating point makes 2.0000000000000018. */
export const FLOAT_SLACK = 1e-9;

export interface DetectionInput {
  coverage: Coverage;
  mesh?: MeshFigures;
  app?: AppFigures;
  outsideAppP95?: number;
}

/** gRPC trap: failures hidden behind HTTP 200 at or above the threshold while the HTTP view stays under it. */
export function detectGrpcTrap(
  mesh: MeshFigures | undefined,
  app: AppFigures | undefined,
  t: Thresholds
): Flag | undefined {
  const threshold = t.grpcTrapPercent / 100;
  if (mesh?.grpcTrapShare === undefined || mesh.grpcTrapShare < threshold) {
    return undefined;
  }
  // The HTTP-only view: mesh 5xx share, or the app's own HTTP metric when it reports one.
  const httpViews = [mesh.httpErrorShare, app?.httpErrorShare].filter((v): v is number => v !== undefined);
  const httpView = httpViews.length > 0 ? Math.max(...httpViews) : 0;
  if (httpView >= threshold) {
    return undefined;
  }
  const codes = mesh.grpcTrapCodes
    .slice(0, 3)
    .map((c) => `${c.code} ${formatPercent(c.share)}`)
    .join(', ');
  return {
    id: 'grpc-trap',
    summary:
      `mesh: ${formatPercent(mesh.grpcTrapShare)} of responses failed with gRPC status ${codes || 'unknown'} ` +
      `while HTTP status was 200; HTTP view: ${formatPercent(httpView)} errors`,
  };
}

/** Boundary latency: time outside the app above both the absolute and the relative threshold. */
export function detectBoundaryLatency(
  app: AppFigures | undefined,
  outsideAppP95: number | undefined,
  t: Thresholds
): Flag | undefined {
  const appP95 = app?.latency.p95;
  if (outsideAppP95 === undefined || appP95 === undefined) {
    return undefined;
  }
  const relativeLimit = (t.boundaryLatencyPercent / 100) * appP95;
  if (outsideAppP95 <= t.boundaryLatencyMs || outsideAppP95 <= relativeLimit) {
    return undefined;
  }
  return {
    id: 'boundary-latency',
    summary:
      `${formatMs(outsideAppP95)} at p95 spent outside the app (mesh p95 ${formatMs(appP95 + outsideAppP95)}, ` +
      `app p95 ${formatMs(appP95)}); limits ${formatMs(t.boundaryLatencyMs)} and ${t.boundaryLatencyPercent} % of app p95`,
  };
}

/** Layer disagreement: success rates or request rates of the two layers do not tell the same story. */
export function detectDisagreement(
  mesh: MeshFigures | undefined,
  app: AppFigures | undefined,
  t: Thresholds
): Flag | undefined {
  if (!mesh || !app) {
    return undefined;
  }
  const reasons: string[] = [];
  if (mesh.successRate !== undefined && app.successRate !== undefined) {
    const points = Math.abs(mesh.successRate - app.successRate) * 100;
    if (points > t.disagreementPoints + FLOAT_SLACK) {
      reasons.push(
        `success: mesh ${formatPercent(mesh.successRate)} vs app ${formatPercent(app.successRate)} ` +
          `(${points.toFixed(1)} points apart)`
      );
    }
  }
  if (mesh.rps > 0 && app.rps > 0) {
    const factor = Math.max(mesh.rps / app.rps, app.rps / mesh.rps);
    if (factor > t.disagreementRateFactor + FLOAT_SLACK) {
      reasons.push(
        `request rate: mesh ${mesh.rps.toPrecision(3)} req/s vs app ${app.rps.toPrecision(3)} req/s (${factor.toFixed(2)}×)`
      );
    }
  } else if (mesh.rps > 0 !== app.rps > 0) {
    reasons.push(`request rate: mesh ${mesh.rps.toPrecision(3)} req/s vs app ${app.rps.toPrecision(3)} req/s`);
  }
  return reasons.length > 0 ? { id: 'disagreement', summary: reasons.join('; ') } : undefined;
}

export function detectCoverage(coverage: Coverage): Flag | undefined {
  if (coverage === 'mesh-only') {
    return { id: 'coverage', summary: 'mesh only: the proxy sees this workload but the app exports no metrics' };
  }
  if (coverage === 'app-only') {
    return { id: 'coverage', summary: 'app only: the app exports metrics but no meshed traffic reaches it' };
  }
  return undefined;
}

export function detectFlags(input: DetectionInput, thresholds: Thresholds): Flag[] {
  return [
    detectGrpcTrap(input.mesh, input.app, thresholds),
    detectBoundaryLatency(input.app, input.outsideAppP95, thresholds),
    detectDisagreement(input.mesh, input.app, thresholds),
    detectCoverage(input.coverage),
  ].filter((flag): flag is Flag => flag !== undefined);
}
