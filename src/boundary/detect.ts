import type { Thresholds } from '../settings/types';
import { formatMs, formatPercent } from './format';
import type { AppFigures, Coverage, Flag, MeshFigures, OutsideApp } from './types';

/** "More than 2 points" must not fire on 1 − 0.98, which floating point makes 2.0000000000000018. */
export const FLOAT_SLACK = 1e-9;

export interface DetectionInput {
  coverage: Coverage;
  mesh?: MeshFigures;
  app?: AppFigures;
  outsideApp: OutsideApp;
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

/**
 * Boundary latency: time outside the app above both the absolute and the relative threshold, decided on evidence
 * the buckets cannot blur: the exact mean difference (against the app's mean), or the p95 difference when even its
 * lowest bound (the buckets' range) is above both limits (against the app's p95). The summary says which.
 */
export function detectBoundaryLatency(
  app: AppFigures | undefined,
  outside: OutsideApp,
  t: Thresholds
): Flag | undefined {
  const limit = (appFigure: number) => Math.max(t.boundaryLatencyMs, (t.boundaryLatencyPercent / 100) * appFigure);
  const limits = `limits ${formatMs(t.boundaryLatencyMs)} and ${t.boundaryLatencyPercent} % of the app's figure`;
  const appMean = app?.latency.mean;
  if (outside.mean !== undefined && appMean !== undefined && outside.mean > limit(appMean)) {
    return {
      id: 'boundary-latency',
      summary:
        `${formatMs(outside.mean)} on average spent outside the app (mesh mean ${formatMs(appMean + outside.mean)}, ` +
        `app mean ${formatMs(appMean)}: exact, from both layers' sums and counts); ${limits}`,
    };
  }
  const appP95 = app?.latency.p95;
  const lowest = outside.p95Bounds?.lower;
  if (lowest !== undefined && appP95 !== undefined && lowest > limit(appP95)) {
    return {
      id: 'boundary-latency',
      summary:
        `at least ${formatMs(lowest)} at p95 spent outside the app (the histograms' buckets allow ` +
        `${formatMs(lowest)} to ${formatBound(outside.p95Bounds!.upper)}; app p95 ${formatMs(appP95)}); ${limits}`,
    };
  }
  return undefined;
}

function formatBound(ms: number): string {
  return Number.isFinite(ms) ? formatMs(ms) : 'more';
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
    detectBoundaryLatency(input.app, input.outsideApp, thresholds),
    detectDisagreement(input.mesh, input.app, thresholds),
    detectCoverage(input.coverage),
  ].filter((flag): flag is Flag => flag !== undefined);
}
