import { otlpMetricsSource, otlpTraceSource, otlpTracesRequest } from '../otlp';
import type { Scenario } from '../scenario';
import { describeNetworkError } from '../../scripts/lib/promHttpApi';
import type { SemconvVersion } from '../../src/settings/types';

export interface OtlpEmitterOptions {
  scenario: Scenario;
  semconv: SemconvVersion;
  /** The Collector's OTLP/HTTP base URL, e.g. http://otel-collector:4318. */
  endpoint: string;
  /** Unix ms at which every counter was 0 (the proxies' start). */
  startedAtMs: number;
  /** Unix ms from which the scenario's changes are placed back (`minutesBeforeEnd`), as for the proxies. */
  endMs: number;
  intervalMs: number;
  tracesPerService: number;
  log: (message: string) => void;
}

export interface OtlpEmitter {
  stop(): void;
}

async function post(url: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
}

/**
 * Exports the scenario's app layer like the apps' SDKs would: every interval, each pod's cumulative histograms
 * and the traces sampled in the interval just ended. A Collector that is not up yet is retried at the next
 * interval; the log says so once, and again when export works.
 */
export function startOtlpEmitter(options: OtlpEmitterOptions): OtlpEmitter {
  const metrics = otlpMetricsSource(options.scenario, options.semconv, options.startedAtMs, options.endMs);
  const traces = otlpTraceSource(options.scenario, {
    semconv: options.semconv,
    tracesPerService: options.tracesPerService,
    endMs: options.endMs,
  });
  let windowStartMs = Date.now();
  let failing: string | undefined;
  let running = false;

  const exportOnce = async () => {
    if (running) {
      return;
    }
    running = true;
    const nowMs = Date.now();
    // The first export, at start, has no elapsed window to sample requests from.
    const spans = nowMs - windowStartMs >= 1000 ? traces.spansIn({ startMs: windowStartMs, endMs: nowMs }) : [];
    windowStartMs = nowMs;
    try {
      await Promise.all([
        ...metrics.requestsAt(nowMs).map((body) => post(`${options.endpoint}/v1/metrics`, body)),
        ...(spans.length > 0 ? [post(`${options.endpoint}/v1/traces`, otlpTracesRequest(spans))] : []),
      ]);
      if (failing !== undefined) {
        options.log(`OTLP export to ${options.endpoint} works again`);
      }
      failing = undefined;
    } catch (error) {
      const message = describeNetworkError(error);
      if (failing !== message) {
        options.log(
          `OTLP export to ${options.endpoint} failed, retrying every ${options.intervalMs / 1000} s: ${message}`
        );
      }
      failing = message;
    } finally {
      running = false;
    }
  };

  void exportOnce();
  const timer = setInterval(() => void exportOnce(), options.intervalMs);
  return { stop: () => clearInterval(timer) };
}
