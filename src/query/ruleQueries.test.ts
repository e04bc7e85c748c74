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
  buildAppLatencyQuery,
  buildAppRequestsQuery,
  buildMeshCallersQuery,
  buildMeshLatencyQuery,
  buildMeshResponsesQuery,
  PRESENCE_LABEL,
} from './overviewQueries';
import { byClause, escapeLabelValue, type LabelMatcher } from './promql';
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

  it('the recorded rates are the overview’s queries at a 60 s window, text for text', () => {
    expect(rateOf(sources.meshCallers, '60s')).toBe(buildMeshCallersQuery(options));
    expect(rateOf(sources.appRequests, '60s')).toBe(buildAppRequestsQuery(options));
    const presence =
      `label_replace(group ${byClause(sources.meshAdmin.groupBy)} (last_over_time(${sources.meshAdmin.selector}[60s])), ` +
      `"${PRESENCE_LABEL}", "admin", "", "")`;
    expect(buildMeshResponsesQuery(options)).toBe(`${rateOf(sources.meshResponses, '60s')} or ${presence}`);
    const meshLatency = buildMeshLatencyQuery(options);
    const appLatency = buildAppLatencyQuery(options);
    expect(meshLatency).toContain(`histogram_quantile(0.95, ${rateOf(sources.meshLatencyBucket, '60s')})`);
    expect(meshLatency).toContain(
      `${rateOf(sources.meshLatencySum, '60s')} / ${rateOf(sources.meshLatencyCount, '60s')}`
    );
    expect(appLatency).toContain(`histogram_quantile(0.95, ${rateOf(sources.appLatencyBucket, '60s')})`);
    expect(appLatency).toContain(`${rateOf(sources.appLatencySum, '60s')} / ${rateOf(sources.appLatencyCount, '60s')}`);
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
    expect(mesh.groupings).toEqual([[namespace, 'meshlens_kind']]);
    expect(callers.groupings).toEqual([[namespace, 'meshlens_kind', 'le']]);
    expect(app.groupings).toEqual([[namespace, 'workload']]);
    // The callers' destination namespace becomes the schema's namespace label.
    expect(callers.strings).toEqual(expect.arrayContaining([namespace, 'dst_namespace']));
  });
});

describe('workload precedence and labels', () => {
  const settings = settingsFor('otel', 'stable', 'service_name');

  it('tags the lowest-precedence kind first, so the first kind of schema.ts’ order wins', () => {
    const expr = meshPerWorkload(settings, 'x');
    const replicaset = expr.indexOf('"replicaset/$1"');
    const deployment = expr.indexOf('"deployment/$1"');
    // Nested calls: the innermost one, applied first, has its arguments written first; deployment's comes last.
    expect(replicaset).toBeGreaterThan(0);
    expect(deployment).toBeGreaterThan(replicaset);
  });

  it('puts the schema’s own workload label back and drops the helper label', () => {
    const strings = parse(meshPerWorkload(settings, 'x')).strings;
    expect(strings).toEqual(
      expect.arrayContaining(['k8s_statefulset_name', 'statefulset/(.*)', 'workload', '[^/]*/(.*)'])
    );
    const linkerd = parse(meshPerWorkload(settingsFor('linkerd', 'stable', 'service_name'), 'x')).strings;
    expect(linkerd).toEqual(expect.arrayContaining(['k8s_job', 'job/(.*)', 'deployment', 'deployment/(.*)']));
  });
});

describe('join overrides become label_replace calls with escaped values', () => {
  const hostile = { appService: 'cur.rency"api\\$1', namespace: 'sh(op', workload: 'cur$rency' };
  const settings: AppSettings = { ...settingsFor('otel', 'stable', 'service_name'), joinOverrides: [hostile] };

  it('parses and matches the override’s app service literally, in its namespace or none', () => {
    const parsed = parse(appPerWorkload(settings, 'x'));
    expect(parsed.errors).toBe(0);
    const key = '(?:sh\\(op)?/cur\\.rency"api\\\\\\$1';
    expect(parsed.strings).toEqual(expect.arrayContaining([key]));
    // `$` in a replacement would be a group reference: doubled, the workload stays literal.
    expect(parsed.strings).toEqual(expect.arrayContaining(['cur$$rency', 'sh(op']));
    const regex = new RegExp(`^${key}$`);
    expect(regex.test('sh(op/cur.rency"api\\$1')).toBe(true);
    expect(regex.test('/cur.rency"api\\$1')).toBe(true);
    expect(regex.test('other/cur.rency"api\\$1')).toBe(false);
    expect(regex.test('sh(op/curxrency"api\\$1')).toBe(false);
  });

  it('adds nothing without overrides', () => {
    expect(appPerWorkload(settingsFor('otel', 'stable', 'service_name'), 'x')).not.toContain('label_join');
  });
});

describe('recordedSelector', () => {
  it('takes recording-rule names, which label names cannot be, and refuses anything else', () => {
    expect(recordedSelector('meshlens:workload:x:rate1m')).toBe('meshlens:workload:x:rate1m');
    expect(recordedSelector('a:b', [{ label: 'grpc_status', op: '!=', value: '' }])).toBe('a:b{grpc_status!=""}');
    expect(() => recordedSelector('a b')).toThrow(/metric name/);
  });
});
