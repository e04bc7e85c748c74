/**
 * Annotation templates (Go text/template with Prometheus' functions, which vmalert and the Mimir and Thanos rulers
 * share): the figures behind an alert, looked up by name from the signals, and the links to Mesh Lens and to the
 * traces. Label values are escaped for where they land: `%q` in PromQL, `urlquery` in URLs, TraceQL's and JSON's
 * quotes and backslashes in the Explore link.
 */
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../constants';
import { WORKLOAD_LABEL } from '../query/ruleQueries';
import { MESH_LABELS } from '../query/schema';
import { buildExploreUrl, buildTraceQuery, isJaegerLimit, type TraceEvidence } from '../query/traceLinks';
import type { AppSettings } from '../settings/types';
import { signalName, type SignalKey } from './names';
import type { RuleOptions } from './options';

/** Stand-ins replaced by template text once the URL is built (sentinels no name or duration can contain). */
const SERVICE = 'MESHLENSSERVICESENTINEL';
const WORKLOAD = 'meshlensworkloadsentinel';
const NAMESPACE = 'meshlensnamespacesentinel';
const UNDER = 987654321;
const OVER = 987654322;

export type ValueFormat = 'percent' | 'ms' | 'rps' | 'points';

const FORMATTERS: Record<ValueFormat, string> = {
  percent: 'humanizePercentage',
  ms: 'printf "%.1f ms"',
  rps: 'printf "%.3g req/s"',
  points: 'printf "%.1f points"',
};

/** `$value` in a format. */
export function valueTemplate(format: ValueFormat): string {
  return `{{ $value | ${FORMATTERS[format]} }}`;
}

export class Templates {
  readonly namespaceLabel: string;

  constructor(
    private readonly settings: AppSettings,
    private readonly options: RuleOptions
  ) {
    this.namespaceLabel = MESH_LABELS[settings.labelSchema].namespace;
  }

  /** `shop/payments`. */
  service(): string {
    return `{{ $labels.${this.namespaceLabel} }}/{{ $labels.${WORKLOAD_LABEL} }}`;
  }

  /** A signal of the alert's workload, formatted, or `fallback` where it has none. */
  signal(key: SignalKey, windowSeconds: number, format: ValueFormat, fallback = 'no data'): string {
    if (!this.options.annotationQueries) {
      return 'n/a (see the drill-down)';
    }
    return this.lookUp(key, windowSeconds, FORMATTERS[format], fallback);
  }

  /**
   * `query` of the signal's series of the alert's workload (values escaped by `%q`), through `formatter`; `wrap`
   * puts PromQL around it (`floor(…)`, `ceil(… + 50)`).
   */
  private lookUp(
    key: SignalKey,
    windowSeconds: number,
    formatter: string,
    fallback: string,
    wrap: (selector: string) => string = (selector) => selector
  ): string {
    const ns = this.namespaceLabel;
    const selector = wrap(`${signalName(key, windowSeconds)}{${ns}=%q,${WORKLOAD_LABEL}=%q}`);
    return (
      `{{ with printf "${selector}" $labels.${ns} $labels.${WORKLOAD_LABEL} | query }}` +
      `{{ . | first | value | ${formatter} }}{{ else }}${fallback}{{ end }}`
    );
  }

  /** The service's drill-down in Mesh Lens, on one of its tabs. */
  drilldownUrl(tab: 'boundary' | 'grpc' | 'peers' | 'tcp' | 'traces'): string {
    const ns = `{{ or $labels.${this.namespaceLabel} "-" | urlquery }}`;
    const workload = `{{ $labels.${WORKLOAD_LABEL} | urlquery }}`;
    return `${this.options.grafanaUrl}${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/${ns}/${workload}/${tab}`;
  }

  /**
   * Explore on the traces datasource with the service's traces that show `evidence` over the last hour, or the
   * drill-down's Traces tab where Jaeger cannot express it. The app's `service.name` is the workload's, or its join
   * override's.
   */
  tracesUrl(evidence: TraceEvidence): string {
    return this.exploreUrl(evidence, (url) => url);
  }

  /**
   * The slow-boundary traces: callers' spans longer than the app's p95 (looked up) plus the limit, over a server
   * span shorter than that p95.
   */
  slowBoundaryTracesUrl(appP95: { key: SignalKey; windowSeconds: number }, limitMs: string): string {
    if (!this.options.annotationQueries) {
      return this.drilldownUrl('traces');
    }
    const evidence: TraceEvidence = { kind: 'slow-boundary', calleeUnderMs: UNDER, callerOverMs: OVER };
    return this.exploreUrl(evidence, (url) =>
      url
        .replace(
          `${UNDER}ms`,
          `${this.lookUp(appP95.key, appP95.windowSeconds, 'printf "%.0f"', '0', (p95) => `floor(${p95})`)}ms`
        )
        .replace(
          `${OVER}ms`,
          `${this.lookUp(appP95.key, appP95.windowSeconds, 'printf "%.0f"', '0', (p95) => `ceil(${p95} + ${limitMs})`)}ms`
        )
    );
  }

  private exploreUrl(evidence: TraceEvidence, fill: (url: string) => string): string {
    const datasource =
      this.settings.tracesDatasourceUid && this.settings.tracesDatasourceType
        ? { type: this.settings.tracesDatasourceType, uid: this.settings.tracesDatasourceUid }
        : this.options.tracesDatasource;
    const target = { appService: SERVICE, workload: WORKLOAD, namespace: NAMESPACE };
    const conventions = { semconv: this.settings.semconv, grpcFailureCodes: this.settings.grpcFailureCodes };
    const query = buildTraceQuery(datasource, target, evidence, conventions);
    if (isJaegerLimit(query)) {
      return this.drilldownUrl('traces');
    }
    const url = fill(buildExploreUrl(this.options.grafanaUrl, query, { from: 'now-1h', to: 'now' }));
    // The service name sits in a TraceQL string (Tempo) inside a JSON string, or in a JSON string (Jaeger);
    // Kubernetes names (namespace, workload) need no escaping there.
    const quoteEscape = ' | reReplaceAll "([\\\\\\\\\\"])" "\\\\${1}"';
    const escapes = datasource.type === 'tempo' ? quoteEscape + quoteEscape : quoteEscape;
    const text = url
      .split(SERVICE)
      .join(`{{ $service${escapes} | urlquery }}`)
      .split(WORKLOAD)
      .join(`{{ $labels.${WORKLOAD_LABEL} | urlquery }}`)
      .split(NAMESPACE)
      .join(`{{ $labels.${this.namespaceLabel} | urlquery }}`);
    return `${this.appServicePrelude()}${text}`;
  }

  /** `{{ $service := … }}`: the workload's name, or the app service a join override maps onto it. */
  private appServicePrelude(): string {
    const ns = this.namespaceLabel;
    const overrides = this.settings.joinOverrides
      .filter((o) => o.appService && o.namespace && o.workload)
      .map(
        (o) =>
          `{{ if and (eq $labels.${ns} ${goString(o.namespace)}) (eq $labels.${WORKLOAD_LABEL} ${goString(o.workload)}) }}` +
          `{{ $service = ${goString(o.appService)} }}{{ end }}`
      );
    return `{{ $service := $labels.${WORKLOAD_LABEL} }}${overrides.join('')}`;
  }
}

/** A Go string literal: JSON's escapes are Go's (`\"`, `\\`, `\n`, `\u00XX`). */
export function goString(value: string): string {
  return JSON.stringify(value);
}
