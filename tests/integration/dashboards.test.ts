import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser as traceQLParser } from '@grafana/lezer-traceql';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { otlpTraceSource } from '../../generator/otlp';
import { demoScenario } from '../../generator/scenarios';
import { LINKERD_GRPC_FAILURE_CODES } from '../../src/settings/types';
import { interpolate as interpolateLink, isKeptPaneId, readExploreUrl, type LinkFormat } from '../shared/grafanaLinks';
import { dashboardTrapTraceQL } from '../shared/dashboardQueries';
import { evaluateTraceQL, groupTraces } from '../shared/traceqlEvaluator';
import { loadScenarioInto, type LoadedStore } from './harness';

interface Target {
  refId: string;
  expr: string;
}
interface Panel {
  title: string;
  targets: Target[];
}

const DIR = join(__dirname, '../../src/dashboards');
/** The dashboards: every JSON file of src/dashboards but the revision record. */
const DASHBOARDS = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'revisions.json');

interface Selection {
  service: string;
  /** The `kind` variable's value: the label naming the workload. */
  kind: string;
}

/** The demo's gRPC-trap service (a deployment) and its catalog (a statefulset). */
const TRAP: Selection = { service: 'payments', kind: 'k8s_deployment_name' };
const STATEFULSET: Selection = { service: 'catalog', kind: 'k8s_statefulset_name' };

/** What Grafana would put in for the template variables. */
function interpolate(expr: string, selection: Selection = TRAP): string {
  return expr
    .replace(/\$namespace/g, 'shop')
    .replace(/\$\{kind\}/g, selection.kind)
    .replace(/\$service/g, selection.service)
    .replace(/\$__rate_interval/g, '1m');
}

describe('provisioned dashboards on the demo scenario', () => {
  let loaded: LoadedStore;
  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', demoScenario(), {
      schema: 'otel',
      semconv: 'stable',
      minutes: 30,
    });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('ships both dashboards, each with a datasource variable and no hard-coded datasource uid', () => {
    expect(DASHBOARDS.sort()).toEqual(['mesh-pipeline-cost.json', 'service-boundary.json']);
    for (const file of DASHBOARDS) {
      const text = readFileSync(join(DIR, file), 'utf8');
      const dashboard = JSON.parse(text);
      expect(dashboard.templating.list[0]).toMatchObject({
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
      });
      const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]).filter((uid) => uid !== dashboard.uid);
      expect(uids.every((uid) => uid === '${datasource}')).toBe(true);
    }
  });

  it('links the trap panel to its failing traces in Explore, on the dashboard’s traces datasource', () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
      panels: Array<{ title: string; links?: Array<{ title: string; url: string }> }>;
    };
    expect(dashboard.templating.list.find((v) => v.name === 'traces')).toMatchObject({
      type: 'datasource',
      query: 'tempo',
    });
    const trap = dashboard.panels.find((p) => p.title.startsWith('gRPC trap'));
    const link = trap?.links?.find((l) => l.url.startsWith('/explore?'));
    const [pane] = Object.values(readExploreUrl(link!.url).panes ?? {});
    expect(pane.datasource).toBe('${traces}');
    expect(pane.queries?.[0].datasource).toMatchObject({ uid: '${traces}' });
    // The dashboard cannot know the apps' conventions: it asks for Linkerd's failure codes in both generations.
    expect(pane.queries?.[0].query).toBe(dashboardTrapTraceQL('${service}'));
    // Whatever the conventions, it finds exactly the failing calls of the trap's app among the generator's traces.
    for (const semconv of ['stable', 'legacy'] as const) {
      const source = otlpTraceSource(demoScenario(), { semconv, tracesPerService: 25 });
      const requests = [0, 1, 2, 3].flatMap((i) => source.requestsIn({ startMs: i * 15_000, endMs: (i + 1) * 15_000 }));
      const spans = requests.flatMap((r) => [r.clientSpan, r.serverSpan].filter((s) => s !== undefined));
      const query = String(pane.queries?.[0].query).replace('${service}', 'payments');
      const ids = (list: ReadableSpan[]) => list.map((s) => s.spanContext().spanId).sort();
      const failing = requests
        .filter((r) => r.callee === 'shop/payments' && r.serverSpan)
        .filter((r) => LINKERD_GRPC_FAILURE_CODES.includes(r.outcome.grpcCode ?? 0))
        .map((r) => r.serverSpan!);
      expect(failing.length).toBeGreaterThan(0);
      expect(ids(evaluateTraceQL(query, groupTraces(spans)))).toEqual(ids(failing));
    }
  });

  test.each([
    ['mesh-pipeline-cost.json', TRAP],
    ['service-boundary.json', TRAP],
    ['service-boundary.json', STATEFULSET],
  ] as Array<[string, Selection]>)('every panel of %s returns data for %o', async (file, selection) => {
    expect(DASHBOARDS).toContain(file);
    const dashboard = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { panels: Panel[] };
    const empty: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const samples = await loaded.api.instant(interpolate(target.expr, selection), loaded.endMs / 1000);
        if (samples.length === 0 || samples.some((s) => !Number.isFinite(s.value))) {
          empty.push(`${panel.title} / ${target.refId}`);
        }
      }
    }
    expect(empty).toEqual([]);
  });

  it('offers the services of the chosen workload kind', async () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; query: string | { query: string } }> };
    };
    const service = dashboard.templating.list.find((v) => v.name === 'service')!;
    const labelValues = /^label_values\((.+), (\S+)\)$/.exec(
      typeof service.query === 'string' ? service.query : service.query.query
    )!;
    const names = async (selection: Selection) => {
      const samples = await loaded.api.instant(
        `count by (${interpolate(labelValues[2], selection)}) (${interpolate(labelValues[1], selection)})`,
        loaded.endMs / 1000
      );
      return samples.map((s) => s.labels[selection.kind]).sort();
    };
    expect(await names(STATEFULSET)).toEqual(['catalog']);
    expect(await names(TRAP)).toContain('payments');
  });

  it('the boundary dashboard shows the trap: 8 % failed with HTTP 200 for payments', async () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as { panels: Panel[] };
    const trap = dashboard.panels.find((p) => p.title.startsWith('gRPC trap'))!.targets[0];
    const [sample] = await loaded.api.instant(interpolate(trap.expr).replaceAll('[1m]', '[10m]'), loaded.endMs / 1000);
    expect(sample.value).toBeCloseTo(0.08, 2);
  });
});

/*
 * Explore links in the shipped dashboards.
 *
 * Grafana never decodes a link before it interpolates it: link_srv.ts (`getLinkUrl`, `getDataLinkUIModel`) runs the
 * template service over the literal `url`, and the variable syntax (scenes `VARIABLE_REGEX`) matches only `$`,
 * `${…}` and `[[…]]` as written. A `panes` written percent-encoded (`%24%7Btraces%7D`) reaches Explore with
 * `${traces}` in it. So the links keep `panes` as raw JSON with the variables in it, and encode only what Explore's
 * own URL reading (urlUtil.parseKeyValue) would mangle: `+` (a space), `&` (ends the parameter) and `#` (starts
 * the fragment). The pane's `range` comes from `${__from}`/`${__to}` (Explore v1 reads the range of each pane, not
 * the top-level `from`/`to` that `${__url_time_range}` gives), and `orgId=${__org.id}` keeps the viewer's org.
 *
 * Why a panel link and not an `internal` data link: `internal` links (`{ datasourceUid, query }`, built by
 * @grafana/data `mapInternalLinkToExplore`) exist only on field data links, which Grafana shows on a clicked data
 * point, and the trap series is empty exactly when a service is healthy; panel links (`panel.links`) go through
 * link_srv.ts `getDataLinkUIModel`, which reads only `url` (and `onBuildUrl`), never `internal`. A panel-header link
 * is always there, so the link is a `url` that interpolates as Grafana does it.
 *
 * Both formats a link can get are followed (see tests/shared/grafanaLinks.ts): `glob`, what Grafana 13's scenes
 * dashboards give panel links (dashboard-scene `getPanelLinks` drops the format argument), and `uriencode`, what
 * link_srv asks for. The values below need no escaping in either, as real ones do not: datasource uids, Kubernetes
 * workload names (DNS-1123 labels), epoch milliseconds and org ids.
 *
 * After interpolation link_srv passes the href through `textUtil.sanitizeUrl` (@braintree/sanitize-url, 7.0.1 in
 * Grafana's lockfile), which strips control characters and decodes `&#…` HTML entities; the link has neither, so
 * the href Explore gets is the interpolated text. (sanitize-url 7.0.2 and later also percent-decode the whole URL,
 * which would turn the `%26%26` of TraceQL back into `&&`; grafana/grafana#132413 tracks that bump, and the
 * plugin-e2e spec tests/grafana/dashboards.spec.ts follows the rendered link on a real Grafana.)
 */

/** What Grafana puts in for the link's variables: the stack's Tempo, the trap service, a range and org 1. */
const LINK_VALUES = {
  traces: 'tempo',
  service: TRAP.service,
  __from: '1700000000000',
  __to: '1700003600000',
  __org: { id: '1', name: 'Main Org.' },
};

/** The variables an Explore link to the trap's traces must hand to Grafana literally. */
const TRACE_LINK_VARIABLES = ['${traces}', '${service}', '${__from}', '${__to}', '${__org.id}'];

/** The link the boundary dashboard shipped before: its whole `panes` percent-encoded, so nothing interpolated. */
const PERCENT_ENCODED_LINK =
  '/explore?schemaVersion=1&panes=%7B%22t%22%3A%7B%22datasource%22%3A%22%24%7Btraces%7D%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22datasource%22%3A%7B%22type%22%3A%22tempo%22%2C%22uid%22%3A%22%24%7Btraces%7D%22%7D%2C%22queryType%22%3A%22traceql%22%2C%22query%22%3A%22%7B%20resource.service.name%20%3D%20%5C%22%24%7Bservice%7D%5C%22%20%26%26%20span.rpc.grpc.status_code%20!%3D%200%20%7D%22%7D%5D%2C%22range%22%3A%7B%22from%22%3A%22%24%7B__from%7D%22%2C%22to%22%3A%22%24%7B__to%7D%22%7D%7D%7D';

interface DashboardLink {
  where: string;
  title: string;
  url: string;
}

interface DashboardJson {
  revision?: unknown;
  links?: Array<{ title?: string; url?: string }>;
  panels: Array<{
    title: string;
    links?: Array<{ title?: string; url?: string }>;
    fieldConfig?: { defaults?: { links?: Array<{ title?: string; url?: string }> } };
  }>;
}

function readDashboard(file: string): DashboardJson {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as DashboardJson;
}

/** Every link of a dashboard with its `url` as the file has it (JSON-unescaped, never URL-decoded). */
function linksOf(file: string): DashboardLink[] {
  const dashboard = readDashboard(file);
  const links: DashboardLink[] = [];
  const add = (where: string, list?: Array<{ title?: string; url?: string }>) =>
    (list ?? []).forEach((l) => l.url !== undefined && links.push({ where, title: l.title ?? '', url: l.url }));
  add(`${file} (dashboard links)`, dashboard.links);
  for (const panel of dashboard.panels) {
    add(`${file} / ${panel.title}`, panel.links);
    add(`${file} / ${panel.title} (field links)`, panel.fieldConfig?.defaults?.links);
  }
  return links;
}

function parsesAsTraceQL(query: string): boolean {
  let ok = true;
  traceQLParser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        ok = false;
      }
    },
  });
  return ok;
}

/**
 * Why Explore would not open the trap's traces from this link, as Grafana would follow it; empty when it would.
 * The link text is checked as written, then interpolated in `format` and read the way Explore reads its URL.
 */
function traceLinkProblems(url: string, format: LinkFormat): string[] {
  const problems: string[] = [];
  for (const variable of TRACE_LINK_VARIABLES) {
    if (!url.includes(variable)) {
      problems.push(`${variable} is not in the link as written, so Grafana does not put its value in`);
    }
  }
  for (const [char, effect] of [
    ['+', 'becomes a space'],
    ['#', 'starts the fragment'],
  ]) {
    if (url.includes(char)) {
      problems.push(`a raw ${char} ${effect} in Explore's URL; write ${encodeURIComponent(char)}`);
    }
  }
  const href = interpolateLink(url, LINK_VALUES, format);
  const left = href.match(/\$\{[^}]*\}|\$\w+|\[\[[^\]]*\]\]/g);
  if (left) {
    problems.push(`left uninterpolated: ${left.join(', ')}`);
  }
  // textUtil.sanitizeUrl would change an href with control characters or `&#` entities.
  if (/[\u0000-\u001F\u007F-\u009F]|&#\w/.test(href)) {
    problems.push('the href has control characters or an HTML entity, which sanitizeUrl would alter');
  }
  const { path, params, panes } = readExploreUrl(href);
  if (path !== '/explore') {
    problems.push(`opens ${path}, not /explore`);
  }
  if (params.schemaVersion !== '1') {
    problems.push(`schemaVersion is ${String(params.schemaVersion)}, not 1`);
  }
  if (params.orgId !== LINK_VALUES.__org.id) {
    problems.push(`orgId is ${String(params.orgId)}, not the viewer's org ${LINK_VALUES.__org.id}`);
  }
  if (!panes) {
    problems.push(`panes is not JSON once Explore has read it: ${String(params.panes)}`);
    return problems;
  }
  const entries = Object.entries(panes);
  if (entries.length !== 1) {
    problems.push(`${entries.length} panes instead of one`);
    return problems;
  }
  const [[key, pane]] = entries;
  if (!isKeptPaneId(key)) {
    problems.push(`pane id ${key} is replaced by Explore (three characters of nanoid's alphabet expected)`);
  }
  if (pane.datasource !== LINK_VALUES.traces) {
    problems.push(`the pane's datasource is ${JSON.stringify(pane.datasource)}, not ${LINK_VALUES.traces}`);
  }
  const query = pane.queries?.[0];
  if (pane.queries?.length !== 1 || !query) {
    problems.push('the pane has no single query');
    return problems;
  }
  if (JSON.stringify(query.datasource) !== JSON.stringify({ type: 'tempo', uid: LINK_VALUES.traces })) {
    problems.push(`the query's datasource is ${JSON.stringify(query.datasource)}`);
  }
  if (query.queryType !== 'traceql') {
    problems.push(`the query type is ${String(query.queryType)}, not traceql`);
  }
  const expected = dashboardTrapTraceQL(LINK_VALUES.service);
  if (query.query !== expected) {
    problems.push(`the TraceQL is ${JSON.stringify(query.query)}, not ${JSON.stringify(expected)}`);
  } else if (!parsesAsTraceQL(expected)) {
    problems.push('the TraceQL does not parse');
  }
  // Explore v1 keeps a pane's range only when both ends are strings (migrators/v1.ts `applyDefaults`).
  if (JSON.stringify(pane.range) !== JSON.stringify({ from: LINK_VALUES.__from, to: LINK_VALUES.__to })) {
    problems.push(`the pane's range is ${JSON.stringify(pane.range)}, not the dashboard's`);
  }
  return problems;
}

describe('Explore links of the shipped dashboards', () => {
  const exploreLinks = DASHBOARDS.flatMap(linksOf).filter((l) => l.url.startsWith('/explore'));

  it('link the trap panel to its failing traces', () => {
    const trap = readDashboard('service-boundary.json').panels.find((p) => p.title.startsWith('gRPC trap'));
    expect(trap?.links?.find((l) => l.url?.startsWith('/explore'))?.title).toBe('Traces of these failures (Explore)');
    expect(exploreLinks.map((l) => l.where)).toEqual(['service-boundary.json / gRPC trap: failures behind HTTP 200']);
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
    };
    expect(dashboard.templating.list.find((v) => v.name === 'traces')).toMatchObject({
      type: 'datasource',
      query: 'tempo',
    });
  });

  test.each(['glob', 'uriencode'] as LinkFormat[])(
    'open Explore on Tempo with the service’s TraceQL and the dashboard’s range and org (%s)',
    (format) => {
      for (const link of exploreLinks) {
        expect({ link: link.where, problems: traceLinkProblems(link.url, format) }).toEqual({
          link: link.where,
          problems: [],
        });
      }
    }
  );

  it('give Explore the same state whichever format Grafana interpolates a panel link with', () => {
    for (const link of exploreLinks) {
      const glob = readExploreUrl(interpolateLink(link.url, LINK_VALUES, 'glob'));
      const uriencode = readExploreUrl(interpolateLink(link.url, LINK_VALUES, 'uriencode'));
      expect(glob.panes).toEqual(uriencode.panes);
    }
  });

  it('reject the percent-encoded link the boundary dashboard used to ship', () => {
    const problems = traceLinkProblems(PERCENT_ENCODED_LINK, 'glob');
    expect(problems).toEqual(
      expect.arrayContaining([
        '${traces} is not in the link as written, so Grafana does not put its value in',
        '${service} is not in the link as written, so Grafana does not put its value in',
        '${__org.id} is not in the link as written, so Grafana does not put its value in',
        'the pane\'s datasource is "${traces}", not tempo',
      ])
    );
    // Explore decodes it into the literal variable text, which no datasource is called.
    const [pane] = Object.values(readExploreUrl(PERCENT_ENCODED_LINK).panes ?? {});
    expect(pane.queries?.[0].query).toBe('{ resource.service.name = "${service}" && span.rpc.grpc.status_code != 0 }');
  });

  it('model Grafana’s interpolation and Explore’s URL reading faithfully on known inputs', () => {
    // Variables are found in the literal text only; an unknown one stays as written.
    expect(interpolateLink('a=${service}&b=%24%7Bservice%7D&c=${nope}', LINK_VALUES, 'glob')).toBe(
      'a=payments&b=%24%7Bservice%7D&c=${nope}'
    );
    expect(interpolateLink('${__org.id}/${__org.name}/${__org}', LINK_VALUES, 'glob')).toBe('1/Main Org./1');
    expect(interpolateLink('${service}', { service: 'a b&c' }, 'uriencode')).toBe('a%20b&c');
    expect(interpolateLink('${service:raw}', { service: 'a b' }, 'uriencode')).toBe('a b');
    // parseKeyValue: `+` is a space, `&` ends a parameter, and everything else is percent-decoded.
    expect(readExploreUrl('/explore?q=a+b%2Bc%26d&e#f=g').params).toEqual({ q: 'a b+c&d', e: true });
  });
});

/*
 * Revisions of the shipped dashboards.
 *
 * Grafana re-imports an app's dashboards at startup only when the plugin's version string changed since it last
 * looked, and then only those whose `revision` differs from the imported copy's
 * (grafana/grafana pkg/services/plugindashboards/service/dashboard_updater.go, `updateAppDashboards` and
 * `syncPluginDashboards`):
 *
 *   if pluginDef.Info.Version != pluginSetting.PluginVersion {
 *       du.syncPluginDashboards(serviceCtx, serviceRequester, pluginDef, pluginSetting.OrgID)
 *   }
 *   ...
 *   // update updated ones
 *   if dash.ImportedRevision != dash.Revision {
 *       if err := du.autoUpdateAppDashboard(ctx, requester, dash, orgID); err != nil {
 *
 * where both revisions are `Data.Get("revision").MustInt64(1)` (plugindashboards/service/service.go): a missing or
 * non-integer revision reads as 1. So every change to a dashboard's JSON bumps its `revision` (an integer), and a
 * release that changes a dashboard also bumps the plugin version. src/dashboards/revisions.json records, for each
 * dashboard, the revision and the sha256 of its content (the parsed JSON re-serialised without `revision`, so
 * reformatting does not count); the test below fails when the content changed and the revision did not, and prints
 * the entry to record once it has. docs/grafana-contracts.md says the same for whoever edits a dashboard.
 */
const REVISIONS_FILE = join(DIR, 'revisions.json');

function contentChecksum(file: string): string {
  const { revision: _revision, ...content } = readDashboard(file) as DashboardJson & Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

describe('revisions of the shipped dashboards', () => {
  const recorded = JSON.parse(readFileSync(REVISIONS_FILE, 'utf8')) as Record<
    string,
    { revision: number; sha256: string }
  >;

  it('give every dashboard an integer revision of at least 1', () => {
    for (const file of DASHBOARDS) {
      const { revision } = readDashboard(file);
      expect({ file, revision, integer: Number.isInteger(revision) && (revision as number) >= 1 }).toEqual({
        file,
        revision,
        integer: true,
      });
    }
  });

  it('record exactly the shipped dashboards', () => {
    expect(Object.keys(recorded).sort()).toEqual([...DASHBOARDS].sort());
  });

  test.each(DASHBOARDS)('bump the revision of %s whenever its content changes', (file) => {
    const revision = readDashboard(file).revision;
    if (typeof revision !== 'number' || !Number.isInteger(revision)) {
      throw new Error(`${file} has no integer "revision": Grafana reads it as 1 and never re-imports a change`);
    }
    const sha256 = contentChecksum(file);
    const entry = recorded[file];
    const record = `record in src/dashboards/revisions.json: "${file}": ${JSON.stringify({ revision, sha256 })}`;
    if (entry?.sha256 === sha256) {
      expect({ file, revision }).toEqual({ file, revision: entry.revision });
      return;
    }
    if (entry && revision <= entry.revision) {
      throw new Error(
        `${file} changed since revision ${entry.revision} was recorded, but its "revision" is still ${revision}: ` +
          `set it to ${entry.revision + 1} (Grafana re-imports only a changed revision), then ${record.replace(
            `"revision":${revision}`,
            `"revision":${entry.revision + 1}`
          )}`
      );
    }
    throw new Error(`${file} is at a new revision: ${record}`);
  });
});
