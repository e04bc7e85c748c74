import { parser } from '@prometheus-io/lezer-promql';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  type AppServiceLabel,
  type AppSettings,
  type LabelSchema,
  type SemconvVersion,
} from '../settings/types';
import {
  buildAppLatencyQueries,
  buildAppRequestsQuery,
  buildMeshCallersQuery,
  buildMeshLatencyQueries,
  buildMeshResponsesQuery,
  PRESENCE_LABEL,
} from './overviewQueries';
import { byClause, escapeLabelValue, sumRate, type LabelMatcher } from './promql';
import {
  appFailureMatcherSets,
  appPerWorkload,
  callersPerWorkload,
  HTTP_5XX,
  meshFailureMatcherSets,
  meshPerWorkload,
  meshTrapMatchers,
  overviewRateSources,
  rateOf,
  recordedSelector,
  type RateSource,
} from './ruleQueries';
import { appRate, statusQueries } from './serviceQueries';

const COMBINATIONS: Array<[LabelSchema, SemconvVersion, AppServiceLabel]> = [];
for (const schema of ['otel', 'linkerd'] as const) {
  for (const semconv of ['stable', 'legacy'] as const) {
    for (const service of ['service_name', 'job'] as const) {
      COMBINATIONS.push([schema, semconv, service]);
    }
  }
}

function settingsFor(labelSchema: LabelSchema, semconv: SemconvVersion, appServiceLabel: AppServiceLabel): AppSettings {
  return {
    ...DEFAULT_SETTINGS,
    labelSchema,
    meshSelector: DEFAULT_MESH_SELECTORS[labelSchema],
    semconv,
    appServiceLabel,
  };
}

/** The PromQL text of a matcher, as promql.ts writes it. */
const text = (m: LabelMatcher) => `${m.label}${m.op}"${escapeLabelValue(m.value)}"`;

interface Parsed {
  errors: number;
  strings: string[];
  groupings: string[][];
}

function parse(expr: string): Parsed {
  const parsed: Parsed = { errors: 0, strings: [], groupings: [] };
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        parsed.errors++;
      }
      if (ref.name === 'StringLiteral') {
        parsed.strings.push(JSON.parse(expr.slice(ref.from, ref.to)));
      }
      if (ref.name === 'GroupingLabels') {
        parsed.groupings.push(ref.node.getChildren('LabelName').map((n) => expr.slice(n.from, n.to)));
      }
    },
  });
  return parsed;
}

describe.each(COMBINATIONS)('schema %s, semconv %s, app service label %s', (schema, semconv, serviceLabel) => {
  const settings = settingsFor(schema, semconv, serviceLabel);
  const sources = overviewRateSources(settings);
  const options = { settings, windowSeconds: 60 };

  // The overview reads each source as increase() over its window divided by it; the rule as rate() over 1 min.
  const overviewForm = (source: RateSource) => sumRate(source.selector, source.groupBy, 60);

  it('the recorded rates read the overview’s selectors and groupings: its queries at a 60 s window, text for text', () => {
    expect(overviewForm(sources.meshCallers)).toBe(buildMeshCallersQuery(options));
    expect(overviewForm(sources.appRequests)).toBe(buildAppRequestsQuery(options));
    const presence =
      `label_replace(group ${byClause(sources.meshAdmin.groupBy)} (last_over_time(${sources.meshAdmin.selector}[60s])), ` +
      `"${PRESENCE_LABEL}", "admin", "", "")`;
    expect(buildMeshResponsesQuery(options)).toBe(`${overviewForm(sources.meshResponses)} or ${presence}`);
    const meshLatency = buildMeshLatencyQueries(options)
      .map((p) => p.expr)
      .join('\n');
    const appLatency = buildAppLatencyQueries(options)
      .map((p) => p.expr)
      .join('\n');
    expect(meshLatency).toContain(`histogram_quantile(0.95, ${overviewForm(sources.meshLatencyBucket)})`);
    expect(meshLatency).toContain(
      `${overviewForm(sources.meshLatencySum)} / ${overviewForm(sources.meshLatencyCount)}`
    );
    expect(appLatency).toContain(`histogram_quantile(0.95, ${overviewForm(sources.appLatencyBucket)})`);
    expect(appLatency).toContain(`${overviewForm(sources.appLatencySum)} / ${overviewForm(sources.appLatencyCount)}`);
  });

  it('records each source as rate() over its window with the overview’s matchers and grouping', () => {
    for (const source of Object.values(sources)) {
      const rule = parse(rateOf(source, '1m'));
      const overview = parse(overviewForm(source));
      expect(rule.errors).toBe(0);
      expect(rule.strings).toEqual(overview.strings);
      expect(rule.groupings).toEqual(overview.groupings);
      expect(rateOf(source, '1m')).toMatch(/\(rate\(.*\[1m\]\)\)$/s);
    }
  });

  it('counts as failed what the drill-down counts, in both layers', () => {
    const ref = { namespace: 'shop', workload: 'payments' };
    const appErrors = appRate(settings, ref, '_count', true);
    for (const set of appFailureMatcherSets(settings)) {
      expect(appErrors).toContain(set.map(text).join(','));
    }
    const { trapShare } = statusQueries(settings, ref);
    expect(trapShare[0].expr).toContain(meshTrapMatchers(settings).map(text).join(','));
    expect(trapShare[2].expr).toContain(`status_code=~"${HTTP_5XX}"`);
    expect(meshFailureMatcherSets(settings)).toHaveLength(2);
  });

  it('sums mesh, callers’ and app series into one series per workload that parses', () => {
    const mesh = parse(meshPerWorkload(settings, 'x'));
    const callers = parse(callersPerWorkload(settings, 'x', ['le']));
    const app = parse(appPerWorkload(settings, 'x'));
    const namespace = schema === 'otel' ? 'k8s_namespace_name' : 'namespace';
    expect([mesh.errors, callers.errors, app.errors]).toEqual([0, 0, 0]);
    expect(mesh.groupings).toEqual([['meshlens_kind'], [namespace, 'meshlens_kind']]);
    expect(callers.groupings).toEqual([['meshlens_kind'], [namespace, 'meshlens_kind', 'le']]);
    expect(app.groupings).toEqual([[namespace, 'workload']]);
  });
});

type Labels = Record<string, string>;

/**
 * Runs the label functions and sums of an expression over series, with Prometheus' semantics: label_replace's
 * regex anchored, `$1`/`${1}`/`$$` expanded, an empty result removing the label; label_join; sum by and without.
 */
function evaluate(expr: string, input: Array<{ labels: Labels; value: number }>) {
  type Node = NonNullable<ReturnType<typeof parser.parse>['topNode']['firstChild']>;
  const text = (n: { from: number; to: number }) => expr.slice(n.from, n.to);
  const set = (labels: Labels, name: string, value: string) => {
    if (value === '') {
      delete labels[name];
    } else {
      labels[name] = value;
    }
  };
  const run = (node: Node): Array<{ labels: Labels; value: number }> => {
    if (node.name === 'VectorSelector') {
      return input.map((s) => ({ labels: { ...s.labels }, value: s.value }));
    }
    if (node.name === 'ParenExpr') {
      return run(node.firstChild!);
    }
    if (node.name === 'FunctionCall') {
      const name = text(node.getChild('FunctionIdentifier')!);
      const args: Node[] = [];
      for (let c = node.getChild('FunctionCallBody')!.firstChild; c; c = c.nextSibling) {
        args.push(c);
      }
      const series = run(args[0]);
      const strings = args.slice(1).map((a) => JSON.parse(text(a)) as string);
      if (name === 'label_replace') {
        const [dst, replacement, src, regex] = strings;
        const re = new RegExp(`^(?:${regex})$`);
        for (const s of series) {
          const m = re.exec(s.labels[src] ?? '');
          if (m) {
            const value = replacement.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (all, braced, bare) =>
              all === '$$' ? '$' : (m[Number(braced ?? bare)] ?? '')
            );
            set(s.labels, dst, value);
          }
        }
        return series;
      }
      if (name === 'label_join') {
        const [dst, separator, ...sources] = strings;
        for (const s of series) {
          set(s.labels, dst, sources.map((l) => s.labels[l] ?? '').join(separator));
        }
        return series;
      }
      throw new Error(`unexpected function ${name}`);
    }
    if (node.name === 'AggregateExpr') {
      const modifier = node.getChild('AggregateModifier')!;
      const names = modifier.getChild('GroupingLabels')!.getChildren('LabelName').map(text);
      const without = modifier.getChild('Without') !== null;
      const groups = new Map<string, { labels: Labels; value: number }>();
      for (const s of run(node.getChild('FunctionCallBody')!.firstChild!)) {
        const labels = Object.fromEntries(
          Object.entries(s.labels).filter(([k]) => (without ? !names.includes(k) : names.includes(k)))
        );
        const key = JSON.stringify(Object.entries(labels).sort());
        const group = groups.get(key) ?? { labels, value: 0 };
        group.value += s.value;
        groups.set(key, group);
      }
      return [...groups.values()];
    }
    throw new Error(`unexpected node ${node.name}`);
  };
  return sortSeries(run(parser.parse(expr).topNode.firstChild!));
}

/** Series in one order, each one's labels by name: what two evaluations are compared in. */
function sortSeries(series: Array<{ labels: Labels; value: number }>) {
  const key = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());
  return series
    .map((s) => ({ labels: Object.fromEntries(Object.entries(s.labels).sort()), value: s.value }))
    .sort((a, b) => key(a.labels).localeCompare(key(b.labels)));
}

describe('one series per workload, as boundary/aggregate reads them', () => {
  const otel = settingsFor('otel', 'stable', 'service_name');
  const linkerd = settingsFor('linkerd', 'stable', 'service_name');

  it('names the workload by the first kind of schema.ts’ order that is set, and sums a rollout into one', () => {
    const series: Array<{ labels: Labels; value: number }> = [
      {
        labels: {
          k8s_namespace_name: 'shop',
          k8s_deployment_name: 'pay',
          k8s_replicaset_name: 'pay-1',
          status_code: '200',
        },
        value: 1,
      },
      {
        labels: {
          k8s_namespace_name: 'shop',
          k8s_deployment_name: 'pay',
          k8s_replicaset_name: 'pay-2',
          status_code: '500',
        },
        value: 2,
      },
      { labels: { k8s_namespace_name: 'shop', k8s_statefulset_name: 'db' }, value: 4 },
      {
        labels: { k8s_namespace_name: 'ops', k8s_cronjob_name: 'nightly', k8s_job_name: 'nightly-29461000' },
        value: 8,
      },
      { labels: { k8s_namespace_name: 'ops', k8s_job_name: 'once' }, value: 16 },
    ];
    expect(evaluate(meshPerWorkload(otel, 'x'), series)).toEqual(
      sortSeries([
        { labels: { k8s_namespace_name: 'ops', k8s_cronjob_name: 'nightly', workload: 'nightly' }, value: 8 },
        { labels: { k8s_namespace_name: 'ops', k8s_job_name: 'once', workload: 'once' }, value: 16 },
        { labels: { k8s_namespace_name: 'shop', k8s_deployment_name: 'pay', workload: 'pay' }, value: 3 },
        { labels: { k8s_namespace_name: 'shop', k8s_statefulset_name: 'db', workload: 'db' }, value: 4 },
      ])
    );
  });

  it('reads the callers’ dst_* labels into the schema’s own, `le` kept', () => {
    const series: Array<{ labels: Labels; value: number }> = [
      { labels: { dst_namespace: 'shop', dst_statefulset: 'db', le: '10' }, value: 1 },
      { labels: { dst_namespace: 'shop', dst_k8s_job: 'once', le: '10' }, value: 2 },
    ];
    expect(evaluate(callersPerWorkload(linkerd, 'x', ['le']), series)).toEqual(
      sortSeries([
        { labels: { namespace: 'shop', k8s_job: 'once', le: '10', workload: 'once' }, value: 2 },
        { labels: { namespace: 'shop', le: '10', statefulset: 'db', workload: 'db' }, value: 1 },
      ])
    );
  });

  it('joins apps by service_namespace, else k8s_namespace_name, and name; an override in its namespace or none', () => {
    const settings: AppSettings = {
      ...linkerd,
      joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
    };
    const series: Array<{ labels: Labels; value: number }> = [
      { labels: { service_name: 'web', service_namespace: 'shop', k8s_namespace_name: 'other' }, value: 1 },
      { labels: { service_name: 'email', k8s_namespace_name: 'notify' }, value: 2 },
      { labels: { service_name: 'currency-api', k8s_namespace_name: 'shop' }, value: 4 },
      { labels: { service_name: 'currency-api' }, value: 8 },
      { labels: { service_name: 'currency-api', service_namespace: 'other' }, value: 16 },
      { labels: { service_name: 'lonely' }, value: 32 },
    ];
    expect(evaluate(appPerWorkload(settings, 'x'), series)).toEqual(
      sortSeries([
        { labels: { namespace: 'notify', workload: 'email' }, value: 2 },
        { labels: { namespace: 'other', workload: 'currency-api' }, value: 16 },
        { labels: { namespace: 'shop', workload: 'currency' }, value: 12 },
        { labels: { namespace: 'shop', workload: 'web' }, value: 1 },
        { labels: { workload: 'lonely' }, value: 32 },
      ])
    );
  });

  it('reads `job` as namespace/name, or a bare name', () => {
    const settings = settingsFor('otel', 'stable', 'job');
    const series: Array<{ labels: Labels; value: number }> = [
      { labels: { job: 'shop/web' }, value: 1 },
      { labels: { job: 'a/b/c' }, value: 2 },
      { labels: { job: 'bare' }, value: 4 },
    ];
    expect(evaluate(appPerWorkload(settings, 'x'), series)).toEqual(
      sortSeries([
        { labels: { k8s_namespace_name: 'a/b', workload: 'c' }, value: 2 },
        { labels: { k8s_namespace_name: 'shop', workload: 'web' }, value: 1 },
        { labels: { workload: 'bare' }, value: 4 },
      ])
    );
  });

  it('matches an override’s names literally, whatever they hold', () => {
    const hostile = { appService: 'cur.rency"api\\$1', namespace: 'sh(op', workload: 'cur$rency' };
    const settings: AppSettings = { ...otel, joinOverrides: [hostile] };
    expect(parse(appPerWorkload(settings, 'x')).errors).toBe(0);
    const series: Array<{ labels: Labels; value: number }> = [
      { labels: { service_name: hostile.appService, k8s_namespace_name: 'sh(op' }, value: 1 },
      { labels: { service_name: 'curXrency"api\\$1', k8s_namespace_name: 'sh(op' }, value: 2 },
    ];
    expect(evaluate(appPerWorkload(settings, 'x'), series)).toEqual(
      sortSeries([
        { labels: { k8s_namespace_name: 'sh(op', workload: 'cur$rency' }, value: 1 },
        { labels: { k8s_namespace_name: 'sh(op', workload: 'curXrency"api\\$1' }, value: 2 },
      ])
    );
  });

  it('adds nothing for overrides when there are none', () => {
    expect(appPerWorkload(otel, 'x')).not.toContain('meshlens_app');
  });
});

describe('recordedSelector', () => {
  it('takes recording-rule names, which label names cannot be, and refuses anything else', () => {
    expect(recordedSelector('meshlens:workload:x:rate1m')).toBe('meshlens:workload:x:rate1m');
    expect(recordedSelector('a:b', [{ label: 'grpc_status', op: '!=', value: '' }])).toBe('a:b{grpc_status!=""}');
    expect(() => recordedSelector('a b')).toThrow(/metric name/);
  });
});
