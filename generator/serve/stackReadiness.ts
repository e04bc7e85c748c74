import { runOverview } from '../../src/boundary/runOverview';
import { scenarioOverrides } from '../scenarios';
import type { Scenario } from '../scenario';
import { computeTruth } from '../truth';
import { buildTraceQL } from '../../src/query/traceLinks';
import { createPromHttpApi, describeNetworkError } from '../../scripts/lib/promHttpApi';
import { DEFAULT_SETTINGS, type SemconvVersion } from '../../src/settings/types';

export interface ReadinessOptions {
  scenario: Scenario;
  semconv: SemconvVersion;
  /** Prometheus API base URL of the store the Collector writes to. */
  storeUrl: string;
  /** Tempo's HTTP API base URL. */
  tempoUrl: string;
  /** The end of the window checked (defaults to now). */
  nowMs?: number;
}

/**
 * What is still missing before Mesh Lens can tell the scenario's story: every service of the truth must be on
 * the overview with its layers (the plugin's own overview queries over the last two minutes), and Tempo must
 * answer the gRPC-trap link's TraceQL. An empty list means ready.
 */
export async function stackReadiness(options: ReadinessOptions): Promise<string[]> {
  const settings = {
    ...DEFAULT_SETTINGS,
    metricsDatasourceUid: 'readiness',
    semconv: options.semconv,
    joinOverrides: scenarioOverrides(options.scenario),
  };
  const truth = computeTruth(options.scenario, { semconv: options.semconv, thresholds: settings.thresholds });
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const problems: string[] = [];

  try {
    const api = createPromHttpApi({ baseUrl: options.storeUrl, timeoutMs: 10_000 });
    const { rows } = await runOverview(api, settings, { from: nowSeconds - 120, to: nowSeconds });
    const coverage = new Map(rows.map((row) => [row.key, row.coverage]));
    const missing = truth.filter((t) => coverage.get(t.key) !== t.coverage).map((t) => `${t.key} (${t.coverage})`);
    if (missing.length > 0) {
      problems.push(`the overview lacks ${missing.length} of ${truth.length} services: ${missing.join(', ')}`);
    }
  } catch (error) {
    problems.push(`the store at ${options.storeUrl} does not answer: ${describeNetworkError(error)}`);
  }

  const trap = truth.find((t) => t.flags.includes('grpc-trap'));
  if (trap) {
    const query = buildTraceQL(
      { appService: trap.appService, workload: trap.service, namespace: trap.namespace },
      { kind: 'grpc-failures', side: 'server' },
      { semconv: options.semconv, grpcFailureCodes: settings.grpcFailureCodes }
    );
    const params = new URLSearchParams({
      q: query,
      limit: '1',
      start: String(nowSeconds - 600),
      end: String(nowSeconds),
    });
    try {
      const response = await fetch(`${options.tempoUrl}/api/search?${params.toString()}`, {
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { traces?: unknown[] };
      if (!response.ok || !body.traces || body.traces.length === 0) {
        problems.push(`Tempo has no trace for ${query} yet`);
      }
    } catch (error) {
      problems.push(`Tempo at ${options.tempoUrl} does not answer: ${describeNetworkError(error)}`);
    }
  }
  return problems;
}
