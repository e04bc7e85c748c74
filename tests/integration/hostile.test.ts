/**
 * The hostile scenario end to end (generator/scenarios/hostile.json, docs/scenarios.md "The hostile scenario"):
 * names as hostile as Kubernetes and OpenTelemetry allow, written into VictoriaMetrics and Prometheus, must come
 * back right everywhere the plugin shows or links them. The overview's figures equal the truth; each row's
 * drill-down link opens that service (the URL goes through Grafana's history and react-router, as in the browser)
 * and every selector of every drill-down chart, run against the store, selects that service's series only; the map
 * has the truth's edges; the cardinality budget measures every label and its drop plan is exact; the boundary
 * dashboard's queries, with Grafana's variable escaping, select each workload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { hostileScenario, scenarioOverrides } from '../../generator/scenarios';
import { computeEdgeTruth, computeTruth } from '../../generator/truth';
import { runOverview } from '../../src/boundary/runOverview';
import { runServiceMap } from '../../src/boundary/runServiceMap';
import { collectorSnippets, fetchCardinality, fetchDropPlan } from '../../src/cardinality';
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../src/constants';
import { readServiceParams, servicePath } from '../../src/components/ServiceLink/servicePath';
import { meshMatchers } from '../../src/query/schema';
import {
  appServiceFor,
  boundaryLatencyQueries,
  requestRateQueries,
  statusQueries,
  successQueries,
  tcpQueries,
  type ServiceRef,
} from '../../src/query/serviceQueries';
import { DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { compareToTruth, observeRow } from '../shared/truthChecks';
import { loadScenarioInto, type LoadedStore, type StoreKind } from './harness';

// Grafana's locationService runs on history v4, which ships no types: the part of it used here.
const { createMemoryHistory } = jest.requireActual<{
  createMemoryHistory(): { push(path: string): void; replace(path: string): void; location: { pathname: string } };
}>('history');
const { matchRoutes } = jest.requireActual<typeof import('react-router-dom')>('react-router-dom');

const WINDOW_MINUTES = 30;
const scenario = hostileScenario();
const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  metricsDatasourceUid: 'test',
  joinOverrides: scenarioOverrides(scenario),
};
const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
const edgeTruth = computeEdgeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
const meshed = scenario.services.filter((s) => s.layers.includes('mesh'));
const appNames = scenario.services.filter((s) => s.layers.includes('app')).map((s) => s.appServiceName ?? s.name);

/**
 * The drill-down a link opens, as in the browser: the URL parser, Grafana's history (decodeURI on the push and on
 * scenes' replace), react-router's route.
 */
function openDrilldown(path: string) {
  const history = createMemoryHistory();
  history.push(new URL(`${path}/boundary`, 'http://grafana').pathname);
  history.replace(history.location.pathname);
  const route = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/:namespace/:service/*`;
  const match = matchRoutes([{ path: route }], history.location.pathname);
  return match ? readServiceParams(match[0].params) : undefined;
}

/** The series selectors of a query (lezer's VectorSelector nodes), as written. */
function selectorsOf(expr: string): string[] {
  const selectors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        throw new Error(`does not parse at ${node.from}: ${expr}`);
      }
      if (node.name === 'VectorSelector') {
        selectors.push(expr.slice(node.from, node.to));
        return false;
      }
      return undefined;
    },
  });
  return selectors;
}

/** Whether a series belongs to the service: its own mesh series, its callers' series towards it, or its app's. */
function belongsTo(labels: Record<string, string>, ref: ServiceRef): boolean {
  const own = labels.k8s_namespace_name === ref.namespace && labels.k8s_deployment_name === ref.workload;
  const towards = labels.dst_namespace === ref.namespace && labels.dst_deployment === ref.workload;
  const app =
    labels.service_name === appServiceFor(settings, ref) &&
    (labels.service_namespace ?? labels.k8s_namespace_name) === ref.namespace;
  return labels.layer === 'mesh' ? own || towards : app;
}

describe.each<StoreKind>(['victoria-metrics', 'prometheus'])('the hostile scenario on %s', (kind) => {
  let loaded: LoadedStore;

  beforeAll(async () => {
    loaded = await loadScenarioInto(kind, scenario, { schema: 'otel', semconv: 'stable', minutes: 40 });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('holds every name as it was written', async () => {
    const t = loaded.window(WINDOW_MINUTES).to;
    const apps = await loaded.api.instant(
      'group by (service_name) ({__name__=~"http_server_request_duration_seconds_count|rpc_server_call_duration_seconds_count"})',
      t
    );
    expect(apps.map((s) => s.labels.service_name).sort()).toEqual([...appNames].sort());
    const workloads = await loaded.api.instant(
      'group by (k8s_namespace_name, k8s_deployment_name) (response_total{layer="mesh"})',
      t
    );
    expect(workloads.map((s) => `${s.labels.k8s_namespace_name}/${s.labels.k8s_deployment_name}`).sort()).toEqual(
      meshed.map((s) => `${s.namespace}/${s.name}`).sort()
    );
  });

  it('shows every service once on the overview, with the truth’s figures and flags', async () => {
    const { rows } = await runOverview(loaded.api, settings, loaded.window(WINDOW_MINUTES));
    expect(rows.map((r) => r.key).sort()).toEqual(truth.map((t) => t.key).sort());
    const problems = truth.flatMap((t) => {
      const row = rows.find((r) => r.key === t.key)!;
      return compareToTruth(observeRow(row), t);
    });
    expect(problems).toEqual([]);
    const flagged = (list: Array<{ key: string; flags: unknown[] }>) =>
      list
        .filter((r) => r.flags.length > 0)
        .map((r) => r.key)
        .sort();
    expect(flagged(rows)).toEqual(flagged(truth));
  });

  it('links each row to its own drill-down, whose every chart selects that service only', async () => {
    const window = loaded.window(WINDOW_MINUTES);
    const { rows } = await runOverview(loaded.api, settings, window);
    const problems: string[] = [];
    for (const row of rows) {
      const opened = openDrilldown(servicePath({ namespace: row.namespace, service: row.service }));
      if (opened?.namespace !== row.namespace || opened?.service !== row.service) {
        problems.push(`${JSON.stringify(row.key)} opens ${JSON.stringify(opened)}`);
        continue;
      }
      const ref: ServiceRef = { namespace: opened.namespace, workload: opened.service };
      const status = statusQueries(settings, ref);
      const tcp = tcpQueries(settings, ref);
      const queries = [
        ...boundaryLatencyQueries(settings, ref),
        ...successQueries(settings, ref),
        ...requestRateQueries(settings, ref),
        ...status.byGrpcStatus,
        ...status.byHttpStatus,
        ...status.trapShare,
        ...tcp.connections,
        ...tcp.bytes,
        ...tcp.closeErrors,
      ];
      let selected = 0;
      for (const query of queries) {
        for (const selector of selectorsOf(query.expr.replaceAll('$__rate_interval', '5m'))) {
          const series = await loaded.api.instant(`last_over_time(${selector}[${WINDOW_MINUTES}m])`, window.to);
          selected += series.length;
          for (const { labels } of series.filter((s) => !belongsTo(s.labels, ref))) {
            problems.push(`${row.key} ${query.refId} selects ${JSON.stringify(labels)}`);
          }
        }
      }
      if (selected === 0) {
        problems.push(`${row.key}: the drill-down selects nothing`);
      }
      // The request-rate chart's figures at the window's end equal the truth.
      const expected = truth.find((t) => t.key === row.key)!;
      for (const query of requestRateQueries(settings, ref)) {
        const [sample] = await loaded.api.instant(
          query.expr.replaceAll('$__rate_interval', `${WINDOW_MINUTES}m`),
          window.to
        );
        const want = query.refId === 'mesh_rps' ? expected.mesh?.rps : expected.app?.rps;
        const got = sample?.value;
        if (want === undefined ? got !== undefined : got === undefined || Math.abs(got - want) > want * 0.01) {
          problems.push(`${row.key} ${query.refId}: ${got} req/s, truth ${want}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(truth.length);
  });

  it('draws the truth’s edges on the map', async () => {
    const map = await runServiceMap(loaded.api, settings, loaded.window(WINDOW_MINUTES));
    expect(map.failures).toEqual([]);
    expect(map.edges.map((e) => `${e.source}->${e.target}`).sort()).toEqual(
      edgeTruth.map((e) => `${e.source}->${e.target}`).sort()
    );
  });

  it('measures every label of the hostile series, and plans a drop exactly', async () => {
    const report = await fetchCardinality(loaded.api, {
      settings,
      mesh: meshMatchers(settings),
      timeSeconds: loaded.endMs / 1000,
    });
    expect(report.gaps).toEqual([]);
    const label = (family: string, name: string) =>
      report.families.find((f) => f.family === family)?.labels.find((l) => l.label === name)?.distinctValues;
    expect(label('response_total', 'k8s_deployment_name')).toBe(meshed.length);
    const grpcApps = scenario.services.filter((s) => s.layers.includes('app') && s.protocol === 'grpc').length;
    expect(label('http_server_request_duration_seconds_count', 'service_name')).toBe(appNames.length - grpcApps);
    expect(label('rpc_server_call_duration_seconds_count', 'service_name')).toBe(grpcApps);

    // Dropping the workload and pod labels from the responses merges every workload's series of one namespace.
    const selection = { labels: [{ label: 'k8s_deployment_name' }, { label: 'k8s_pod_name' }], families: [] };
    const plan = await fetchDropPlan(loaded.api, report, selection, { mesh: meshMatchers(settings) });
    const [merged] = await loaded.api.instant(
      'count(count without (k8s_deployment_name, k8s_pod_name) (response_total{layer="mesh"}))',
      loaded.endMs / 1000
    );
    expect(plan.families.find((f) => f.family === 'response_total')?.seriesAfter).toBe(merged.value);
    // The snippets for it are valid YAML that names the labels exactly.
    const [scrapeTime] = collectorSnippets(selection, { report });
    const rules = JSON.stringify(parse(scrapeTime.yaml));
    expect(rules).toContain('"regex":"k8s_deployment_name|k8s_pod_name","action":"labeldrop"');
  });

  it('the boundary dashboard selects each workload, with Grafana’s variable escaping', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(__dirname, '../../src/dashboards/service-boundary.json'), 'utf8')
    ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const rps = dashboard.panels.find((p) => p.title.startsWith('Requests per second'))!.targets[0].expr;
    // A single-value variable, classic escaping (grafana-prometheus-datasource `escaping.ts`,
    // prometheusRegularEscape): backslashes and single quotes.
    const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
    const problems: string[] = [];
    for (const service of meshed) {
      const expr = rps
        .replace(/\$namespace/g, escape(service.namespace))
        .replace(/\$\{kind\}/g, 'k8s_deployment_name')
        .replace(/\$service/g, escape(service.name))
        .replace(/\$__rate_interval/g, `${WINDOW_MINUTES}m`);
      const [sample] = await loaded.api.instant(expr, loaded.window(WINDOW_MINUTES).to);
      const want = truth.find((t) => t.key === `${service.namespace}/${service.name}`)!.mesh!.rps;
      if (!sample || Math.abs(sample.value - want) > want * 0.01) {
        problems.push(`${service.namespace}/${service.name}: ${sample?.value} req/s, truth ${want}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
