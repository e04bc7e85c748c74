import { parser } from '@prometheus-io/lezer-promql';
import { LINKERD_BUCKETS_MS } from '../../generator/distribution';
import { recordedNames } from '../query/recordedNames';
import { MESH_BUCKET_LE_PARTS, overviewRateSources, rateOf } from '../query/ruleQueries';
import { buildTraceQL, type TraceEvidence } from '../query/traceLinks';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  type AppServiceLabel,
  type AppSettings,
  type LabelSchema,
  type SemconvVersion,
} from '../settings/types';
import { durationText, resolveRuleOptions } from './options';
import { ALERT_NAMES, buildRuleGroups, isAlertingRule, type AlertingRule, type RecordingRule, type RuleGroup } from '.';

const COMBINATIONS: Array<[LabelSchema, SemconvVersion, AppServiceLabel]> = [];
for (const schema of ['otel', 'linkerd'] as const) {
  for (const semconv of ['stable', 'legacy'] as const) {
    for (const service of ['service_name', 'job'] as const) {
      COMBINATIONS.push([schema, semconv, service]);
    }
  }
}

function settingsFor(
  labelSchema: LabelSchema,
  semconv: SemconvVersion = 'stable',
  appServiceLabel: AppServiceLabel = 'service_name'
): AppSettings {
  return {
    ...DEFAULT_SETTINGS,
    labelSchema,
    meshSelector: DEFAULT_MESH_SELECTORS[labelSchema],
    semconv,
    appServiceLabel,
  };
}

interface Selector {
  metric: string;
  matchers: Array<{ label: string; op: string; value: string }>;
}

interface Parsed {
  errors: number;
  selectors: Selector[];
  strings: string[];
  groupings: string[][];
}

/** Only escapes on which Go (PromQL) and JSON agree: JSON.parse is then exact. */
function decode(literal: string): string {
  expect(literal).toMatch(/^"(?:[^"\\\u0000-\u001f]|\\["\\nrt])*"$/);
  return JSON.parse(literal);
}

function parse(expr: string): Parsed {
  const parsed: Parsed = { errors: 0, selectors: [], strings: [], groupings: [] };
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        parsed.errors++;
      }
      if (ref.name === 'StringLiteral') {
        parsed.strings.push(decode(text(ref)));
      }
      if (ref.name === 'GroupingLabels') {
        parsed.groupings.push(ref.node.getChildren('LabelName').map(text));
      }
      if (ref.name === 'VectorSelector') {
        const identifier = ref.node.getChild('Identifier');
        const matchers = ref.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
        parsed.selectors.push({
          metric: identifier ? text(identifier) : '',
          matchers: matchers.map((m) => ({
            label: text(m.getChild('LabelName') ?? m),
            op: text(m.getChild('MatchOp') ?? m),
            value: decode(text(m.getChild('StringLiteral') ?? m)),
          })),
        });
      }
    },
  });
  return parsed;
}

function rules(groups: RuleGroup[]) {
  const all = groups.flatMap((g) => g.rules);
  return {
    records: all.filter((r): r is RecordingRule => !isAlertingRule(r)),
    alerts: all.filter(isAlertingRule),
  };
}

const NAMESPACE_LABEL: Record<LabelSchema, string> = { otel: 'k8s_namespace_name', linkerd: 'namespace' };

describe.each(COMBINATIONS)('schema %s, semconv %s, app service label %s', (schema, semconv, serviceLabel) => {
  const settings = settingsFor(schema, semconv, serviceLabel);
  const groups = buildRuleGroups(settings);
  const { records, alerts } = rules(groups);

  it('has a rates group and an alerts group, both every 30s', () => {
    expect(groups.map((g) => [g.name, g.interval])).toEqual([
      ['meshlens-rates', '30s'],
      ['meshlens-alerts', '30s'],
    ]);
  });

  it.each([...records.map((r) => [r.record, r.expr]), ...alerts.map((a) => [a.alert, a.expr])])(
    '%s parses as PromQL',
    (_name, expr) => {
      expect(parse(expr).errors).toBe(0);
    }
  );

  it('names every recorded series meshlens:<level>:<metric>:<operations>, once but the split mesh buckets', () => {
    for (const { record } of records) {
      expect(record).toMatch(/^meshlens:[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
    }
    const bucket = recordedNames(settings, 60).meshLatencyBucket;
    const others = records.filter((r) => r.record !== bucket);
    expect(new Set(others.map((r) => r.record)).size).toBe(others.length);
    expect(records.filter((r) => r.record === bucket)).toHaveLength(MESH_BUCKET_LE_PARTS.length);
  });

  it('splits the mesh bucket rule over disjoint le sets that hold every bound, each summing as the whole would', () => {
    const bucket = recordedNames(settings, 60).meshLatencyBucket;
    const parts = records.filter((r) => r.record === bucket);
    const whole = rateOf(overviewRateSources(settings).meshLatencyBucket, '1m');
    // Linkerd's bounds, and others a proxy version might have: each falls in exactly one part.
    const bounds = [...LINKERD_BUCKETS_MS.map(String), '+Inf', '0.5', '7', '25000', '100000', '1e+06'];
    for (const le of bounds) {
      const holding = parts.filter((part) => {
        const m = parse(part.expr).selectors[0].matchers.find((x) => x.label === 'le')!;
        const matches = new RegExp(`^(?:${m.value})$`).test(le);
        return m.op === '=~' ? matches : !matches;
      });
      expect([le, holding.length]).toEqual([le, 1]);
    }
    for (const part of parts) {
      // The whole rule's expression with one more matcher: the same grouping, the same family and the rest.
      expect(part.expr.replace(/,le(=~|!~)"[^"]*"/, '')).toBe(whole);
    }
  });

  it('reads only recorded series (or the raw families, in the rates group)', () => {
    const recorded = new Set(records.map((r) => r.record));
    const [rates, detections] = groups;
    for (const rule of detections.rules) {
      for (const selector of parse(rule.expr).selectors) {
        expect([selector.metric, recorded.has(selector.metric)]).toEqual([selector.metric, true]);
      }
    }
    // Each rate reads a raw family, before any rule of the alerts group reads it.
    for (const rule of rates.rules) {
      expect(parse(rule.expr).selectors.every((s) => !recorded.has(s.metric))).toBe(true);
    }
  });

  it('gives every alert a severity, the schema’s namespace label to join on, figures and links', () => {
    expect(new Set(alerts.map((a) => a.alert))).toEqual(new Set(Object.values(ALERT_NAMES)));
    for (const alert of alerts) {
      expect(alert.labels.severity).toMatch(/^(critical|warning|info)$/);
      expect(alert.expr).toContain(`on (${NAMESPACE_LABEL[schema]}, workload)`);
      expect(alert.annotations.summary).toContain(`{{ $labels.${NAMESPACE_LABEL[schema]} }}/{{ $labels.workload }}`);
      expect(alert.annotations.description).toContain('$value');
      expect(alert.annotations.drilldown_url).toMatch(
        new RegExp(
          `^http://localhost:3000/a/meshlens-boundary-app/overview/service/\\{\\{ or \\$labels\\.${NAMESPACE_LABEL[schema]} "-" \\| urlquery \\}\\}/\\{\\{ \\$labels\\.workload \\| urlquery \\}\\}/(boundary|grpc)$`
        )
      );
      expect(alert.annotations.traces_url).toContain('http://localhost:3000/explore?schemaVersion=1&panes=');
      expect(alert.for).toMatch(/^\d+[smh]$/);
    }
  });
});

describe('the two label schemas', () => {
  const otel = rules(buildRuleGroups(settingsFor('otel')));
  const linkerd = rules(buildRuleGroups(settingsFor('linkerd')));
  const rawSelectors = (r: ReturnType<typeof rules>) =>
    r.records.flatMap((rule) => parse(rule.expr).selectors).filter((s) => !s.metric.startsWith('meshlens:'));
  const meshSelectors = (r: ReturnType<typeof rules>) =>
    rawSelectors(r).filter((s) => s.metric === 'response_total' || s.metric.startsWith('response_latency_ms'));

  it('select the mesh by layer="mesh" (Collector) or job="linkerd-proxy" (linkerd-viz)', () => {
    for (const s of meshSelectors(otel)) {
      expect(s.matchers[0]).toEqual({ label: 'layer', op: '=', value: 'mesh' });
      expect(s.matchers.some((m) => m.label === 'job')).toBe(false);
    }
    for (const s of meshSelectors(linkerd)) {
      expect(s.matchers[0]).toEqual({ label: 'job', op: '=', value: 'linkerd-proxy' });
      expect(s.matchers.some((m) => m.value === 'mesh')).toBe(false);
    }
    expect(meshSelectors(otel)).toHaveLength(meshSelectors(linkerd).length);
  });

  it('leave the admin port out of the service traffic and record it on its own', () => {
    const inbound = meshSelectors(linkerd).filter((s) => s.matchers.some((m) => m.value === 'inbound'));
    const admin = inbound.filter((s) => s.matchers.some((m) => m.label === 'target_port' && m.op === '='));
    expect(admin).toHaveLength(1);
    for (const s of inbound.filter((x) => !admin.includes(x))) {
      expect(s.matchers).toContainEqual({ label: 'target_port', op: '!=', value: '4191' });
    }
  });

  it('group by each schema’s workload labels', () => {
    const groupings = (r: ReturnType<typeof rules>) => parse(r.records[0].expr).groupings[0];
    expect(groupings(otel).slice(0, 3)).toEqual(['k8s_namespace_name', 'k8s_deployment_name', 'k8s_statefulset_name']);
    expect(groupings(linkerd).slice(0, 3)).toEqual(['namespace', 'deployment', 'statefulset']);
    expect(groupings(linkerd)).toContain('k8s_job');
  });

  it('read the same app families, not filtered by the mesh selector', () => {
    const app = (r: ReturnType<typeof rules>) => rawSelectors(r).filter((s) => s.metric === '');
    expect(app(linkerd)).toEqual(app(otel));
    expect(app(otel)[0].matchers).toContainEqual({ label: 'layer', op: '!=', value: 'mesh' });
  });

  it('join and label alerts by namespace="…" (linkerd) or k8s_namespace_name="…" (otel)', () => {
    const trap = (r: ReturnType<typeof rules>) =>
      r.alerts.find((a) => a.alert === ALERT_NAMES.grpcTrap) as AlertingRule;
    expect(trap(otel).expr).toContain('on (k8s_namespace_name, workload)');
    expect(trap(linkerd).expr).toContain('on (namespace, workload)');
    expect(trap(linkerd).annotations.summary).toContain('{{ $labels.namespace }}');
  });
});

describe('thresholds and options', () => {
  const settings: AppSettings = {
    ...settingsFor('otel'),
    thresholds: {
      grpcTrapPercent: 2.5,
      boundaryLatencyMs: 80,
      boundaryLatencyPercent: 40,
      disagreementPoints: 3,
      disagreementRateFactor: 2,
    },
  };
  const { alerts, records } = rules(buildRuleGroups(settings, { sloObjective: 0.99 }));
  const expr = (name: string, label?: [string, string]) =>
    alerts
      .filter((a) => a.alert === name && (!label || a.labels[label[0]] === label[1]))
      .map((a) => a.expr)
      .join('\n');

  it('come from the settings', () => {
    expect(expr(ALERT_NAMES.grpcTrap)).toContain('>= 0.025');
    expect(expr(ALERT_NAMES.boundaryLatency)).toContain('> 80');
    expect(expr(ALERT_NAMES.boundaryLatency)).toContain('(0.4 * ');
    // "More than 3 points" must not fire on 3.0000000000000004 (boundary/detect's FLOAT_SLACK).
    expect(expr(ALERT_NAMES.disagreement, ['reason', 'success'])).toContain('* 100 > 3.000000001');
    expect(expr(ALERT_NAMES.disagreement, ['reason', 'request-rate'])).toContain('> 2.000000001');
    expect(expr(ALERT_NAMES.budgetBurn, ['window', '1h'])).toContain('> 0.144');
    expect(expr(ALERT_NAMES.budgetBurn, ['window', '6h'])).toContain('> 0.06');
  });

  it('burn-rate alerts read the error ratio over 5m, 30m, 1h and 6h', () => {
    const ratios = records.filter((r) => r.record.startsWith('meshlens:workload:mesh_errors:'));
    expect(ratios.map((r) => r.record.split(':')[3])).toEqual([
      'ratio_rate5m',
      'ratio_rate30m',
      'ratio_rate1h',
      'ratio_rate6h',
    ]);
    expect(ratios.map((r) => parse(r.expr).errors)).toEqual([0, 0, 0, 0]);
  });

  it('shortens every `for` at once for tests, and the evaluation interval and windows', () => {
    const groups = buildRuleGroups(settings, {
      allForSeconds: 2,
      evaluationIntervalSeconds: 1,
      alertWindowSeconds: 60,
    });
    const short = rules(groups);
    expect(groups.map((g) => g.interval)).toEqual(['1s', '1s']);
    expect(new Set(short.alerts.map((a) => a.for))).toEqual(new Set(['2s']));
    expect(short.records.some((r) => r.record === 'meshlens:workload:mesh_grpc_trap:ratio_rate1m')).toBe(true);
  });

  it('leaves the `query` template function out for a file vmalert can replay, and nothing else', () => {
    const withQueries = buildRuleGroups(settings);
    const replayable = buildRuleGroups(settings, { annotationQueries: false });
    const strip = (groups: RuleGroup[]) =>
      groups.map((g) => g.rules.map((r) => (isAlertingRule(r) ? { ...r, annotations: {} } : r)));
    expect(strip(replayable)).toEqual(strip(withQueries));
    expect(JSON.stringify(withQueries)).toContain('| query }}');
    expect(JSON.stringify(replayable)).not.toContain('| query }}');
  });

  it.each([
    [{ rateWindowSeconds: 0 }, /rateWindowSeconds/],
    [{ alertWindowSeconds: 2.5 }, /alertWindowSeconds/],
    [{ sloObjective: 1 }, /sloObjective/],
    [{ allForSeconds: -1 }, /forSeconds/],
    [{ grafanaUrl: 'http://grafana/{{ $labels.x }}' }, /grafanaUrl/],
    [{ grafanaUrl: 'grafana:3000' }, /grafanaUrl/],
  ])('refuses %j', (input, message) => {
    expect(() => resolveRuleOptions(input)).toThrow(message);
  });

  it('writes durations in their largest whole unit', () => {
    expect([0, 1, 30, 60, 90, 300, 1800, 3600, 21600].map(durationText)).toEqual([
      '0s',
      '1s',
      '30s',
      '1m',
      '90s',
      '5m',
      '30m',
      '1h',
      '6h',
    ]);
    expect(resolveRuleOptions({ grafanaUrl: 'https://grafana.example.com/sub/' }).grafanaUrl).toBe(
      'https://grafana.example.com/sub'
    );
  });
});

describe('escaping', () => {
  const settings: AppSettings = {
    ...settingsFor('otel'),
    meshSelector: { label: 'layer', value: 'me"sh\\' },
    joinOverrides: [{ appService: 'a"pi\\', namespace: 'sh"op', workload: 'cur{{rency}}' }],
  };
  const { records, alerts } = rules(buildRuleGroups(settings));

  it('keeps hostile label values inside their string literals', () => {
    for (const rule of [...records, ...alerts]) {
      expect(parse(rule.expr).errors).toBe(0);
    }
    const mesh = records.flatMap((r) => parse(r.expr).selectors).filter((s) => s.metric === 'response_total');
    expect(mesh[0].matchers[0]).toEqual({ label: 'layer', op: '=', value: 'me"sh\\' });
    const appRequests = records.find((r) => r.record === 'meshlens:workload:app_requests:rate5m') as RecordingRule;
    expect(parse(appRequests.expr).strings).toEqual(
      expect.arrayContaining(['(?:sh"op)?/a"pi\\\\', 'sh"op/cur{{rency}}'])
    );
  });

  it('writes override values into the traces link as Go string literals', () => {
    const link = alerts[0].annotations.traces_url;
    expect(link).toContain('(eq $labels.k8s_namespace_name "sh\\"op") (eq $labels.workload "cur{{rency}}")');
    expect(link).toContain('{{ $service = "a\\"pi\\\\" }}');
  });
});

describe('the Explore link', () => {
  /**
   * What the Go template renders for an alert of `shop/payments` whose app is `service`, where its escapes are plain
   * string operations and each signal lookup answers `lookups(expression)`.
   */
  function render(template: string, service: string, lookups: (expression: string) => string = () => '48'): string {
    const escapeQuotes = (s: string) => s.replace(/([\\"])/g, '\\$1');
    return template
      .replace(/^\{\{ \$service := [^}]*\}\}(\{\{ if .*?\{\{ end \}\})*/, '')
      .replace(
        /\{\{ \$service((?: \| reReplaceAll "[^"\\]*(?:\\.[^"\\]*)*" "[^"]*")*) \| urlquery \}\}/g,
        (_m, passes: string) => {
          const count = (passes.match(/reReplaceAll/g) ?? []).length;
          let value = service;
          for (let i = 0; i < count; i++) {
            value = escapeQuotes(value);
          }
          return encodeURIComponent(value);
        }
      )
      .replace(/\{\{ (?:or )?\$labels\.k8s_namespace_name(?: "-")? \| urlquery \}\}/g, 'shop')
      .replace(/\{\{ \$labels\.workload \| urlquery \}\}/g, 'payments')
      .replace(/\{\{ with printf "(.*?)" .*? \| query \}\}.*?\{\{ end \}\}/g, (_m, expression: string) =>
        lookups(expression)
      );
  }

  const settings: AppSettings = {
    ...settingsFor('otel'),
    tracesDatasourceUid: 'my-tempo',
    tracesDatasourceType: 'tempo',
  };
  const { alerts } = rules(buildRuleGroups(settings, { grafanaUrl: 'https://grafana.example.com' }));
  const target = { appService: 'pay"ments', workload: 'payments', namespace: 'shop' };
  const conventions = { semconv: settings.semconv, grpcFailureCodes: settings.grpcFailureCodes };
  // The app's p95 is 48.75 ms; the boundary link asks for server spans under 48 ms and callers waiting over 99 ms.
  const lookups = (expression: string) =>
    expression.startsWith('ceil(') && expression.endsWith(' + 50)')
      ? '99'
      : expression.startsWith('floor(')
        ? '48'
        : '?';

  it.each([
    [ALERT_NAMES.grpcTrap, { kind: 'grpc-failures', side: 'server' }],
    [ALERT_NAMES.boundaryLatency, { kind: 'slow-boundary', calleeUnderMs: 48, callerOverMs: 99 }],
    [ALERT_NAMES.coverage, { kind: 'caller-spans' }],
  ] as Array<[string, TraceEvidence]>)(
    '%s opens Explore on the configured Tempo with the %p evidence',
    (name, evidence) => {
      const alert = alerts.find((a) => a.alert === name) as AlertingRule;
      const url = new URL(render(alert.annotations.traces_url, 'pay"ments', lookups));
      expect(url.origin + url.pathname).toBe('https://grafana.example.com/explore');
      const panes = JSON.parse(url.searchParams.get('panes') ?? '');
      expect(panes.mesh.datasource).toBe('my-tempo');
      expect(panes.mesh.queries[0].query).toBe(buildTraceQL(target, evidence, conventions));
      expect(panes.mesh.range).toEqual({ from: 'now-1h', to: 'now' });
    }
  );

  it('searches Jaeger by service with a JSON escape only, and sends to the drill-down what Jaeger cannot ask', () => {
    const jaeger: AppSettings = { ...settings, tracesDatasourceType: 'jaeger', tracesDatasourceUid: 'jaeger' };
    const jaegerAlerts = rules(buildRuleGroups(jaeger, { grafanaUrl: 'https://grafana.example.com' })).alerts;
    const trap = jaegerAlerts[0];
    const url = new URL(render(trap.annotations.traces_url, 'pay"ments'));
    const query = JSON.parse(url.searchParams.get('panes') ?? '').mesh.queries[0];
    expect(query).toMatchObject({ queryType: 'search', service: 'pay"ments', tags: 'span.kind=server error=true' });
    const boundary = jaegerAlerts.find((a) => a.alert === ALERT_NAMES.boundaryLatency) as AlertingRule;
    expect(render(boundary.annotations.traces_url, 'pay"ments', lookups)).toBe(
      'https://grafana.example.com/a/meshlens-boundary-app/overview/service/shop/payments/traces'
    );
  });
});
