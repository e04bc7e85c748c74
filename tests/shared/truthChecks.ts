import type { ServiceRow } from '../../src/boundary/types';
import type { LatencyTruth, QuantileTruth, ServiceTruth, SideTruth } from '../../generator/truth';

/**
 * What a test observed for one service, from the core's rows or from the page's data attributes.
 * A field that is absent was not observed; a field present with `undefined` means "no data".
 */
export interface ObservedService {
  key: string;
  coverage?: string;
  flags: string[];
  meshRps?: number;
  meshSuccess?: number;
  meshTrapShare?: number;
  /** Where the trap was read: the callee's proxy, or its callers' (proxies that do not classify inbound gRPC). */
  meshTrapEvidence?: string;
  meshHttpErrorShare?: number;
  meshP50?: number;
  meshP95?: number;
  meshP99?: number;
  appRps?: number;
  appSuccess?: number;
  appP50?: number;
  appP95?: number;
  appP99?: number;
  meshMean?: number;
  appMean?: number;
  outsideAppMean?: number;
  outsideAppP95?: number;
  outsideAppP95Bounds?: { lower: number; upper: number };
}

export function observeRow(row: ServiceRow): ObservedService {
  return {
    key: row.key,
    coverage: row.coverage,
    flags: row.flags.map((f) => f.id),
    meshRps: row.mesh?.rps,
    meshSuccess: row.mesh?.successRate,
    meshTrapShare: row.mesh?.grpcTrapShare,
    meshTrapEvidence: row.mesh?.trapEvidence,
    meshHttpErrorShare: row.mesh?.httpErrorShare,
    meshP50: row.mesh?.latency.p50,
    meshP95: row.mesh?.latency.p95,
    meshP99: row.mesh?.latency.p99,
    appRps: row.app?.rps,
    appSuccess: row.app?.successRate,
    appP50: row.app?.latency.p50,
    appP95: row.app?.latency.p95,
    appP99: row.app?.latency.p99,
    meshMean: row.mesh?.latency.mean,
    appMean: row.app?.latency.mean,
    outsideAppMean: row.outsideApp.mean,
    outsideAppP95: row.outsideApp.p95,
    outsideAppP95Bounds: row.outsideApp.p95Bounds,
  };
}

/** Rates and success rates: within 1 % of the truth. */
function checkRate(problems: string[], what: string, measured: number | undefined, truth: number | undefined) {
  if (truth === undefined || measured === undefined) {
    if (truth !== measured) {
      problems.push(`${what}: measured ${measured}, truth ${truth}`);
    }
    return;
  }
  const error = truth === 0 ? Math.abs(measured) : Math.abs(measured - truth) / truth;
  if (error > 0.01) {
    problems.push(`${what}: measured ${measured}, truth ${truth} (${(error * 100).toFixed(2)} % off)`);
  }
}

/**
 * Shares of traffic (trap, 5xx): within 1 % of their value, or within 0.1 point of all traffic, since a
 * share of 0.05 % is a handful of whole requests in the window and counters count whole requests.
 */
function checkShare(problems: string[], what: string, measured: number | undefined, truth: number | undefined) {
  if (truth === undefined || measured === undefined) {
    if (truth !== measured) {
      problems.push(`${what}: measured ${measured}, truth ${truth}`);
    }
    return;
  }
  if (Math.abs(measured - truth) > Math.max(0.01 * truth, 0.001)) {
    problems.push(`${what}: measured ${measured}, truth ${truth}`);
  }
}

/**
 * Quantiles: inside the bucket that holds the true quantile, and within 5 % of that bucket's width of where
 * interpolation over exact buckets puts it (whole-request counts move the interpolation a little, and a
 * quantile sitting on a bucket bound may come out just across it).
 */
function checkQuantile(
  problems: string[],
  what: string,
  measured: number | undefined,
  truth: QuantileTruth | undefined
) {
  if (!truth || measured === undefined) {
    if (truth !== undefined || measured !== undefined) {
      problems.push(`${what}: measured ${measured}, truth ${truth ? truth.expected : 'no data'}`);
    }
    return;
  }
  const slack = 0.05 * (truth.upper - truth.lower) + 1e-6;
  if (measured < truth.lower - slack || measured > truth.upper + slack || Math.abs(measured - truth.expected) > slack) {
    problems.push(
      `${what}: measured ${measured}, expected ${truth.expected} in bucket (${truth.lower}, ${truth.upper}], exact ${truth.exact}`
    );
  }
}

/**
 * Time outside the app. The mean difference is arithmetic on two means each within 1 %, so it may be off by 1 %
 * of their sum. The p95 difference is two interpolations: it must lie between the bounds of the buckets holding
 * both true p95s, and near where exact buckets put it (each quantile's slack, added).
 */
function checkOutsideApp(problems: string[], k: string, observed: ObservedService, truth: ServiceTruth) {
  const expected = truth.outsideApp;
  const meanSum = (truth.mesh?.latency?.mean ?? 0) + (truth.app?.latency?.mean ?? 0);
  if (has(observed, 'outsideAppMean')) {
    const measured = observed.outsideAppMean;
    if (!expected || measured === undefined) {
      if (expected !== undefined || measured !== undefined) {
        problems.push(`${k} outside app mean: measured ${measured}, truth ${expected?.mean}`);
      }
    } else if (Math.abs(measured - expected.mean) > 0.01 * meanSum + 1e-6) {
      problems.push(`${k} outside app mean: measured ${measured}, truth ${expected.mean} (±${0.01 * meanSum})`);
    }
  }
  if (has(observed, 'outsideAppP95')) {
    const measured = observed.outsideAppP95;
    const meshP95 = truth.mesh?.latency?.p95;
    const appP95 = truth.app?.latency?.p95;
    if (!expected || !meshP95 || !appP95 || measured === undefined) {
      if (expected !== undefined || measured !== undefined) {
        problems.push(`${k} outside app p95: measured ${measured}, truth ${expected?.p95.expected}`);
      }
      return;
    }
    const slack = 0.05 * (meshP95.upper - meshP95.lower + appP95.upper - appP95.lower) + 1e-6;
    const { lower, upper } = expected.p95;
    if (measured < lower - slack || measured > upper + slack || Math.abs(measured - expected.p95.expected) > slack) {
      problems.push(
        `${k} outside app p95: measured ${measured}, expected ${expected.p95.expected} in (${lower}, ${upper}) ±${slack}`
      );
    }
  }
  if (has(observed, 'outsideAppP95Bounds') && expected) {
    // The range shown may be wider than the truth's (an estimate on a bucket bound takes both buckets beside it),
    // never narrower: a narrower range would be evidence the buckets do not hold.
    const shown = observed.outsideAppP95Bounds;
    const { lower, upper, exact } = expected.p95;
    if (
      !shown ||
      shown.lower > lower + 1e-9 ||
      shown.upper < upper - 1e-9 ||
      exact < shown.lower ||
      exact > shown.upper
    ) {
      problems.push(
        `${k} outside app p95 range: shown ${JSON.stringify(shown)}, truth (${lower}, ${upper}), exact ${exact}`
      );
    }
  }
}

function has<K extends keyof ObservedService>(observed: ObservedService, key: K): boolean {
  return key in observed;
}

/** Every difference between what was observed and the truth, as readable lines; empty when they agree. */
export function compareToTruth(observed: ObservedService, truth: ServiceTruth): string[] {
  const problems: string[] = [];
  const k = truth.key;
  if (observed.key !== truth.key) {
    problems.push(`row ${observed.key} compared with truth ${truth.key}`);
  }
  if (has(observed, 'coverage') && observed.coverage !== truth.coverage) {
    problems.push(`${k} coverage: ${observed.coverage}, truth ${truth.coverage}`);
  }
  const quantiles = (prefix: 'mesh' | 'app', latency: LatencyTruth | undefined) => {
    for (const q of ['P50', 'P95', 'P99'] as const) {
      const field = `${prefix}${q}` as const;
      if (has(observed, field)) {
        checkQuantile(
          problems,
          `${k} ${prefix} ${q.toLowerCase()}`,
          observed[field],
          latency?.[q.toLowerCase() as 'p50']
        );
      }
    }
  };
  if (has(observed, 'meshRps')) {
    checkRate(problems, `${k} mesh rps`, observed.meshRps, truth.mesh?.rps);
  }
  if (has(observed, 'meshSuccess')) {
    checkRate(problems, `${k} mesh success`, observed.meshSuccess, truth.mesh?.successRate);
  }
  if (has(observed, 'meshTrapShare')) {
    checkShare(problems, `${k} gRPC trap share`, observed.meshTrapShare, truth.mesh?.grpcTrapShare);
  }
  if (has(observed, 'meshTrapEvidence') && observed.meshTrapEvidence !== truth.mesh?.trapEvidence) {
    problems.push(`${k} trap evidence: ${observed.meshTrapEvidence}, truth ${truth.mesh?.trapEvidence}`);
  }
  if (has(observed, 'meshHttpErrorShare')) {
    checkShare(problems, `${k} mesh HTTP 5xx share`, observed.meshHttpErrorShare, truth.mesh?.httpErrorShare);
  }
  quantiles('mesh', truth.mesh?.latency);
  if (has(observed, 'appRps')) {
    checkRate(problems, `${k} app rps`, observed.appRps, truth.app?.rps);
  }
  if (has(observed, 'appSuccess')) {
    checkRate(problems, `${k} app success`, observed.appSuccess, truth.app?.successRate);
  }
  quantiles('app', truth.app?.latency);
  if (has(observed, 'meshMean')) {
    checkRate(problems, `${k} mesh mean`, observed.meshMean, truth.mesh?.latency?.mean);
  }
  if (has(observed, 'appMean')) {
    checkRate(problems, `${k} app mean`, observed.appMean, truth.app?.latency?.mean);
  }
  checkOutsideApp(problems, k, observed, truth);
  const flags = [...observed.flags].sort().join(' ');
  const truthFlags = [...truth.flags].sort().join(' ');
  if (flags !== truthFlags) {
    problems.push(`${k} flags: [${flags}], truth [${truthFlags}]`);
  }
  return problems;
}

/** What one end of an edge showed: the fields a page or the core gives (rps, success, p95, mean, mTLS). */
export interface ObservedSide {
  rps?: number;
  successRate?: number;
  p95?: number;
  mean?: number;
  mtlsShare?: number;
}

/**
 * One end of an edge against the truth: rates, success and means within 1 % (means are ratios of two rates),
 * the p95 inside its bucket, the mTLS share exact (requests come with an identity or without).
 */
export function compareSide(what: string, observed: ObservedSide | undefined, truth: SideTruth | undefined): string[] {
  const problems: string[] = [];
  if (!observed || !truth) {
    return observed === truth || (observed === undefined && truth === undefined)
      ? []
      : [`${what}: shown ${JSON.stringify(observed)}, truth ${JSON.stringify(truth)}`];
  }
  checkRate(problems, `${what} rps`, observed.rps, truth.rps);
  checkRate(problems, `${what} success`, observed.successRate, truth.successRate);
  checkRate(problems, `${what} mean`, observed.mean, truth.mean);
  checkQuantile(problems, `${what} p95`, observed.p95, truth.p95);
  if (truth.mtlsShare !== undefined && observed.mtlsShare !== truth.mtlsShare) {
    problems.push(`${what} mTLS: shown ${observed.mtlsShare}, truth ${truth.mtlsShare}`);
  }
  return problems;
}
