/**
 * The queries the overview benchmark (scripts/bench.ts) compares with the plugin's: the PromQL an expert would
 * write by hand for the same per-service figures, one query per figure, and Linkerd's per-deployment dashboard
 * style, one set per service. Also: the series each query selects, read with `count(last_over_time(…))` of each of
 * its selectors, which is what VictoriaMetrics' `-search.maxUniqueTimeseries` limits.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { ServiceSpec } from '../../generator/scenario';
import { destinationGroupLabels, meshGroupLabels } from '../../src/query/overviewQueries';
import { escapeLabelValue } from '../../src/query/promql';
import type { PromApi } from '../../src/query/promApi';
import type { AppSettings } from '../../src/settings/types';

export interface Query {
  name: string;
  expr: string;
}

const HTTP = 'http_server_request_duration_seconds';
const RPC = 'rpc_server_call_duration_seconds';
const QUANTILES = [0.5, 0.95, 0.99];
/** Linkerd's default gRPC failure codes, as the plugin's default settings. */
const FAILING_GRPC = '2|4|7|13|14|15';

/**
 * The simplest PromQL an expert would write for the figures the overview shows per service, one query per figure,
 * grouped by the labels the plugin groups by (all seven workload kinds; both namespace labels of the apps) and
 * leaving the proxies' admin port out as the plugin does: rps, success, the gRPC trap and 5xx shares, the proxies
 * seen on their admin port, p50/p95/p99 and mean for the mesh; the trap as the callers saw it; rps, success,
 * p50/p95/p99 and mean for the app.
 */
export function handWrittenQueries(settings: AppSettings, window: string): Query[] {
  const meshBy = meshGroupLabels(settings).join(', ');
  const dstBy = destinationGroupLabels().join(', ');
  const appBy = 'service_name, service_namespace, k8s_namespace_name';
  const inbound = 'layer="mesh", direction="inbound", target_port!="4191"';
  const outbound = 'layer="mesh", direction="outbound"';
  const meshRps = `sum by (${meshBy}) (rate(response_total{${inbound}}[${window}]))`;
  const meshShare = (matchers: string) =>
    `sum by (${meshBy}) (rate(response_total{${inbound}, ${matchers}}[${window}])) / ${meshRps}`;
  const appSum = (suffix: string, by = appBy) =>
    `sum by (${by}) (rate(${HTTP}${suffix}[${window}])) or sum by (${by}) (rate(${RPC}${suffix}[${window}]))`;
  const appRequests = appSum('_count');
  return [
    { name: 'mesh rps', expr: meshRps },
    { name: 'mesh success', expr: meshShare('classification="success"') },
    { name: 'mesh trap', expr: meshShare(`status_code="200", grpc_status=~"${FAILING_GRPC}"`) },
    { name: 'mesh 5xx', expr: meshShare('status_code=~"5.."') },
    {
      name: 'mesh presence',
      expr: `group by (${meshBy}) (last_over_time(response_total{layer="mesh", direction="inbound", target_port="4191"}[${window}]))`,
    },
    ...QUANTILES.map((q) => ({
      name: `mesh p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (${meshBy}, le) (rate(response_latency_ms_bucket{${inbound}}[${window}])))`,
    })),
    {
      name: 'mesh mean',
      expr:
        `sum by (${meshBy}) (rate(response_latency_ms_sum{${inbound}}[${window}])) / ` +
        `sum by (${meshBy}) (rate(response_latency_ms_count{${inbound}}[${window}]))`,
    },
    {
      name: 'callers trap',
      expr:
        `sum by (${dstBy}) (rate(response_total{${outbound}, status_code="200", grpc_status=~"${FAILING_GRPC}"}[${window}])) / ` +
        `sum by (${dstBy}) (rate(response_total{${outbound}}[${window}]))`,
    },
    { name: 'app rps', expr: appRequests },
    {
      name: 'app success',
      expr:
        `(sum by (${appBy}) (rate(${HTTP}_count{http_response_status_code!~"5.."}[${window}])) ` +
        `or sum by (${appBy}) (rate(${RPC}_count{rpc_response_status_code="OK"}[${window}]))) / (${appRequests})`,
    },
    ...QUANTILES.map((q) => ({
      name: `app p${q * 100}`,
      expr: `histogram_quantile(${q}, ${appSum('_bucket', `${appBy}, le`)})`,
    })),
    { name: 'app mean', expr: `(${appSum('_sum')}) / (${appRequests})` },
  ];
}

/** Linkerd's per-deployment dashboard, extended to the app layer: the same core figures for one service. */
export function perServiceQueries(service: ServiceSpec, window: string): Query[] {
  const mesh = `layer="mesh", direction="inbound", target_port!="4191", k8s_namespace_name="${escapeLabelValue(service.namespace)}", k8s_${service.kind}_name="${escapeLabelValue(service.name)}"`;
  const app = `service_namespace="${escapeLabelValue(service.namespace)}", service_name="${escapeLabelValue(service.appServiceName ?? service.name)}"`;
  const responses = `sum(rate(response_total{${mesh}}[${window}]))`;
  const requests = `sum(rate({__name__=~"${HTTP}_count|${RPC}_count", ${app}}[${window}]))`;
  return [
    { name: 'mesh rps', expr: responses },
    {
      name: 'mesh success',
      expr: `sum(rate(response_total{${mesh}, classification="success"}[${window}])) / ${responses}`,
    },
    ...QUANTILES.map((q) => ({
      name: `mesh p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (le) (rate(response_latency_ms_bucket{${mesh}}[${window}])))`,
    })),
    { name: 'app rps', expr: requests },
    {
      name: 'app success',
      expr:
        `(sum(rate(${HTTP}_count{${app}, http_response_status_code!~"5.."}[${window}])) ` +
        `or sum(rate(${RPC}_count{${app}, rpc_response_status_code="OK"}[${window}]))) / ${requests}`,
    },
    ...QUANTILES.map((q) => ({
      name: `app p${q * 100}`,
      expr: `histogram_quantile(${q}, sum by (le) (rate({__name__=~"${HTTP}_bucket|${RPC}_bucket", ${app}}[${window}])))`,
    })),
  ];
}

/**
 * Forms of the app p95 query, to show where the time goes: the core's own (taken from its p95 request), the form
 * it had before (`rate(http) or rate(rpc)` on every raw bucket series, then sum), summing each family before the
 * `or`, and the hand-written query.
 */
export function diagnosisVariants(coreAppP95: string, handAppP95: string, window: string): Query[] {
  const p95 = /^label_replace\(histogram_quantile\(0\.95, (.*)\), "quantile", "0\.95", "", ""\)$/.exec(coreAppP95);
  if (!p95) {
    throw new Error(`the core's app p95 request is not in a form this benchmark recognises:\n${coreAppP95}`);
  }
  const by = 'service_name, service_namespace, k8s_namespace_name, le';
  const notMesh = 'layer!="mesh"';
  return [
    { name: 'core: one selector {__name__=~"http|rpc"}, layer!="mesh"', expr: `histogram_quantile(0.95, ${p95[1]})` },
    {
      name: 'one selector, without layer!="mesh"',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate({__name__=~"${HTTP}_bucket|${RPC}_bucket"}[${window}])))`,
    },
    {
      name: 'former core: rate(http) or rate(rpc), then sum',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate(${HTTP}_bucket{${notMesh}}[${window}]) or rate(${RPC}_bucket{${notMesh}}[${window}])))`,
    },
    {
      name: 'sum each family, then or',
      expr: `histogram_quantile(0.95, sum by (${by}) (rate(${HTTP}_bucket{${notMesh}}[${window}])) or sum by (${by}) (rate(${RPC}_bucket{${notMesh}}[${window}])))`,
    },
    { name: 'hand-written app p95', expr: handAppP95 },
  ];
}

/** Each vector selector of a query with the range it reads (the lookback, 5 minutes, for a bare selector). */
export function selectorsOf(expr: string): Array<{ selector: string; range: string }> {
  const found: Array<{ selector: string; range: string }> = [];
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.name === 'MatrixSelector') {
        const [, selector, range] = /^(.*)\[([^\]]+)\]$/s.exec(expr.slice(ref.from, ref.to)) ?? [];
        if (selector && range) {
          found.push({ selector, range });
        }
        return false;
      }
      if (ref.name === 'VectorSelector') {
        found.push({ selector: expr.slice(ref.from, ref.to), range: '5m' });
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The most series any one selector of the query matches over its range: VictoriaMetrics refuses a query whose
 * search matches more than `-search.maxUniqueTimeseries` (300,000 by default in 1.79).
 */
export async function maxSeriesPerSelector(api: PromApi, expr: string, time: number): Promise<number> {
  const counts = await Promise.all(
    selectorsOf(expr).map(async ({ selector, range }) => {
      const samples = await api.instant(`count(last_over_time(${selector}[${range}]))`, time);
      return samples[0]?.value ?? 0;
    })
  );
  return Math.max(0, ...counts);
}
