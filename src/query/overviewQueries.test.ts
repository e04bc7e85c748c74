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
  buildOverviewQueries,
  MEAN,
  type OverviewQuery,
  type OverviewQueryOptions,
} from './overviewQueries';
import { escapeRegex } from './promql';

interface Matcher {
  label: string;
  op: string;
  value: string;
}

interface Selector {
  metric: string;
  matchers: Matcher[];
}

interface ParsedQuery {
  errors: number;
  selectors: Selector[];
  groupings: string[][];
  durations: string[];
  /** `offset` of each range read, and how many range reads there are. */
  offsets: string[];
  ranges: number;
}

/** Only escapes on which Go (PromQL) and JSON agree, and no raw control characters: JSON.parse is then exact. */
const JSON_SAFE_LITERAL = /^"(?:[^"\\\u0000-\u001f]|\\["\\nrt])*"$/;

function decode(literal: string): string {
  expect(literal).toMatch(JSON_SAFE_LITERAL);
  return JSON.parse(literal);
}

function parseQuery(expr: string): ParsedQuery {
  const parsed: ParsedQuery = { errors: 0, selectors: [], groupings: [], durations: [], offsets: [], ranges: 0 };
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        parsed.errors++;
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
      if (ref.name === 'GroupingLabels') {
        parsed.groupings.push(ref.node.getChildren('LabelName').map(text));
      }
      if (ref.name === 'DurationExpr') {
        parsed.durations.push(text(ref));
      }
      if (ref.name === 'OffsetDurationExpr') {
        parsed.offsets.push(text(ref));
      }
      if (ref.name === 'MatrixSelector') {
        parsed.ranges++;
      }
    },
  });
  return parsed;
}

const COMBINATIONS: Array<[LabelSchema, SemconvVersion, AppServiceLabel]> = [];
for (const schema of ['otel', 'linkerd'] as const) {
  for (const semconv of ['stable', 'legacy'] as const) {
    for (const service of ['service_name', 'job'] as const) {
      COMBINATIONS.push([schema, semconv, service]);
    }
  }
}

const MESH_NAMESPACE_LABEL: Record<LabelSchema, string> = { otel: 'k8s_namespace_name', linkerd: 'namespace' };
const KINDS = ['deployment', 'statefulset', 'daemonset', 'cronjob', 'job', 'replicationcontroller', 'replicaset'];
const MESH_WORKLOAD_LABELS: Record<LabelSchema, string[]> = {
  otel: KINDS.map((k) => `k8s_${k}_name`),
  linkerd: KINDS.map((k) => (k === 'job' ? 'k8s_job' : k)),
};
const DESTINATION_GROUP = ['dst_namespace', ...KINDS.map((k) => (k === 'job' ? 'dst_k8s_job' : `dst_${k}`))];
const OUTCOME = ['status_code', 'classification', 'grpc_status', 'error'];
const APP_BASES: Record<SemconvVersion, [string, string]> = {
  stable: ['http_server_request_duration_seconds', 'rpc_server_call_duration_seconds'],
  legacy: ['http_server_duration_milliseconds', 'rpc_server_duration_milliseconds'],
};
const APP_STATUS_LABELS: Record<SemconvVersion, [string, string]> = {
  stable: ['http_response_status_code', 'rpc_response_status_code'],
  legacy: ['http_status_code', 'rpc_grpc_status_code'],
};

const HOSTILE_NAMESPACE = 'a"} or vector(1) # zürich\\';

function settingsFor(labelSchema: LabelSchema, semconv: SemconvVersion, appServiceLabel: AppServiceLabel): AppSettings {
  return {
    ...DEFAULT_SETTINGS,
    labelSchema,
    meshSelector: DEFAULT_MESH_SELECTORS[labelSchema],
    semconv,
    appServiceLabel,
  };
}

const MESH_SELECTOR: Record<LabelSchema, Matcher> = {
  otel: { label: 'layer', op: '=', value: 'mesh' },
  linkerd: { label: 'job', op: '=', value: 'linkerd-proxy' },
};

const m = (label: string, op: string, value: string): Matcher => ({ label, op, value });

describe.each(COMBINATIONS)('schema %s, semconv %s, app service label %s', (schema, semconv, serviceLabel) => {
  const settings = settingsFor(schema, semconv, serviceLabel);

  describe.each([undefined, 'shop', HOSTILE_NAMESPACE])('namespace %j', (namespace) => {
    const options: OverviewQueryOptions = { settings, windowSeconds: 900, namespace };
    const meshNs = namespace ? [m(MESH_NAMESPACE_LABEL[schema], '=', namespace)] : [];
    // Inbound service traffic only: the admin server's scrapes and probes (port 4191) are left out.
    const meshMatchers = [
      MESH_SELECTOR[schema],
      m('direction', '=', 'inbound'),
      m('target_port', '!=', '4191'),
      ...meshNs,
    ];
    const callerMatchers = [
      MESH_SELECTOR[schema],
      m('direction', '=', 'outbound'),
      ...(namespace ? [m('dst_namespace', '=', namespace)] : []),
    ];
    // With `job` the namespace is the job's prefix; with service_name it may sit in either of two labels, so
    // the app queries are not filtered and runOverview keeps the namespace's rows.
    const appNs = namespace && serviceLabel === 'job' ? [m('job', '=~', `${escapeRegex(namespace)}/.+`)] : [];
    const appMatchers = [m('layer', '!=', 'mesh'), ...appNs];
    const appServiceLabels =
      serviceLabel === 'job' ? ['job'] : ['service_name', 'service_namespace', 'k8s_namespace_name'];

    it('builds five queries in eleven requests (each latency figure its own) that all parse', () => {
      const queries = buildOverviewQueries(options);
      expect(queries.map((q) => (q.part ? `${q.refId} ${q.part}` : q.refId))).toEqual([
        'meshResponses',
        'meshLatency 0.5',
        'meshLatency 0.95',
        'meshLatency 0.99',
        'meshLatency mean',
        'meshCallers',
        'appRequests',
        'appLatency 0.5',
        'appLatency 0.95',
        'appLatency 0.99',
        'appLatency mean',
      ]);
      for (const q of queries) {
        const parsed = parseQuery(q.expr);
        expect(parsed.errors).toBe(0);
        expect(parsed.durations.length).toBeGreaterThan(0);
        expect(new Set(parsed.durations)).toEqual(new Set(['900s']));
      }
    });

    it('mesh responses: inbound service traffic grouped by workload and outcome, then the proxies seen on their admin port', () => {
      const parsed = parseQuery(buildMeshResponsesQuery(options));
      const adminMatchers = [
        MESH_SELECTOR[schema],
        m('direction', '=', 'inbound'),
        m('target_port', '=', '4191'),
        ...meshNs,
      ];
      expect(parsed.selectors).toEqual([
        { metric: 'response_total', matchers: meshMatchers },
        { metric: 'response_total', matchers: adminMatchers },
      ]);
      const workload = [MESH_NAMESPACE_LABEL[schema], ...MESH_WORKLOAD_LABELS[schema]];
      expect(parsed.groupings).toEqual([[...workload, ...OUTCOME], workload]);
    });

    it('mesh latency: each quantile from the buckets grouped with le, the mean from _sum and _count', () => {
      const parts = buildMeshLatencyQueries(options).map((p) => parseQuery(p.expr));
      const bucket = { metric: 'response_latency_ms_bucket', matchers: meshMatchers };
      const workload = [MESH_NAMESPACE_LABEL[schema], ...MESH_WORKLOAD_LABELS[schema]];
      expect(parts.map((p) => p.selectors)).toEqual([
        [bucket],
        [bucket],
        [bucket],
        [
          { metric: 'response_latency_ms_sum', matchers: meshMatchers },
          { metric: 'response_latency_ms_count', matchers: meshMatchers },
        ],
      ]);
      const grouping = [...workload, 'le'];
      expect(parts.map((p) => p.groupings)).toEqual([[grouping], [grouping], [grouping], [workload, workload]]);
    });

    it('mesh callers: the callers’ outbound series, grouped by destination workload and outcome', () => {
      const parsed = parseQuery(buildMeshCallersQuery(options));
      expect(parsed.selectors).toEqual([{ metric: 'response_total', matchers: callerMatchers }]);
      expect(parsed.groupings).toEqual([[...DESTINATION_GROUP, ...OUTCOME]]);
    });

    // Both families in one selector: the store reads them in one pass.
    const families = (suffix: string) => {
      const [httpBase, rpcBase] = APP_BASES[semconv];
      return {
        metric: '',
        matchers: [m('__name__', '=~', `${httpBase}${suffix}|${rpcBase}${suffix}`), ...appMatchers],
      };
    };

    it('app requests: _count of both families, never mesh series', () => {
      const parsed = parseQuery(buildAppRequestsQuery(options));
      expect(parsed.selectors).toEqual([families('_count')]);
      expect(parsed.groupings).toEqual([[...appServiceLabels, ...APP_STATUS_LABELS[semconv]]]);
    });

    it('app latency: _bucket of both families for each quantile, the mean from _sum and _count', () => {
      const parts = buildAppLatencyQueries(options).map((p) => parseQuery(p.expr));
      expect(parts.map((p) => p.selectors)).toEqual([
        [families('_bucket')],
        [families('_bucket')],
        [families('_bucket')],
        [families('_sum'), families('_count')],
      ]);
      const grouping = [...appServiceLabels, 'le'];
      expect(parts.map((p) => p.groupings)).toEqual([
        [grouping],
        [grouping],
        [grouping],
        [appServiceLabels, appServiceLabels],
      ]);
    });
  });
});

describe('exact text', () => {
  it('mean latency: each sum over its window, then their ratio', () => {
    const parts = buildMeshLatencyQueries({ settings: DEFAULT_SETTINGS, windowSeconds: 60 });
    expect(parts.find((p) => p.part === MEAN)?.expr).toBe(
      'label_replace((sum by (k8s_namespace_name, k8s_deployment_name, k8s_statefulset_name, k8s_daemonset_name, ' +
        'k8s_cronjob_name, k8s_job_name, k8s_replicationcontroller_name, k8s_replicaset_name) ' +
        '(increase(response_latency_ms_sum{layer="mesh",direction="inbound",target_port!="4191"}[60s])) / 60) / ' +
        '(sum by (k8s_namespace_name, k8s_deployment_name, k8s_statefulset_name, k8s_daemonset_name, ' +
        'k8s_cronjob_name, k8s_job_name, k8s_replicationcontroller_name, k8s_replicaset_name) ' +
        '(increase(response_latency_ms_count{layer="mesh",direction="inbound",target_port!="4191"}[60s])) / 60), ' +
        '"quantile", "mean", "", "")'
    );
  });

  it('mesh responses with the default settings', () => {
    expect(buildMeshResponsesQuery({ settings: DEFAULT_SETTINGS, windowSeconds: 300 })).toBe(
      '(sum by (k8s_namespace_name, k8s_deployment_name, k8s_statefulset_name, k8s_daemonset_name, k8s_cronjob_name, ' +
        'k8s_job_name, k8s_replicationcontroller_name, k8s_replicaset_name, status_code, classification, grpc_status, ' +
        'error) (increase(response_total{layer="mesh",direction="inbound",target_port!="4191"}[300s])) / 300) or ' +
        'label_replace(group by (k8s_namespace_name, k8s_deployment_name, k8s_statefulset_name, k8s_daemonset_name, ' +
        'k8s_cronjob_name, k8s_job_name, k8s_replicationcontroller_name, k8s_replicaset_name) ' +
        '(last_over_time(response_total{layer="mesh",direction="inbound",target_port="4191"}[300s])), ' +
        '"meshlens_presence", "admin", "", "")'
    );
  });

  it('mesh responses on Linkerd’s Prometheus: the linkerd-proxy job, no layer label', () => {
    const settings = settingsFor('linkerd', 'stable', 'service_name');
    expect(buildMeshResponsesQuery({ settings, windowSeconds: 300 })).toContain(
      'increase(response_total{job="linkerd-proxy",direction="inbound",target_port!="4191"}[300s])'
    );
  });

  it('mesh responses with no mesh selector at all: the families’ names alone', () => {
    const settings = { ...DEFAULT_SETTINGS, meshSelector: { label: '', value: '' } };
    expect(buildMeshResponsesQuery({ settings, windowSeconds: 300 })).toContain(
      'increase(response_total{direction="inbound",target_port!="4191"}[300s])'
    );
  });

  it('app requests with legacy semconv and job', () => {
    const settings = settingsFor('linkerd', 'legacy', 'job');
    expect(buildAppRequestsQuery({ settings, windowSeconds: 60 })).toBe(
      '(sum by (job, http_status_code, rpc_grpc_status_code) (' +
        'increase({__name__=~"http_server_duration_milliseconds_count|rpc_server_duration_milliseconds_count",layer!="mesh"}[60s])) / 60)'
    );
  });

  it('escapes the namespace filter in the text itself', () => {
    const expr = buildMeshResponsesQuery({ settings: DEFAULT_SETTINGS, windowSeconds: 60, namespace: 'x"y\\' });
    expect(expr).toContain(String.raw`k8s_namespace_name="x\"y\\"`);
  });
});

describe('window formatting', () => {
  test.each([
    [3600, '3600s'],
    [300, '300s'],
    [1, '1s'],
    [0, '1s'],
    [0.4, '1s'],
    [1.5, '2s'],
    [89.5, '90s'],
    [299.49, '299s'],
    [-30, '1s'],
    [7 * 86400, '604800s'],
  ])('%p seconds → [%s] in every query', (windowSeconds, expected) => {
    for (const [schema, semconv, service] of COMBINATIONS) {
      const queries = buildOverviewQueries({ settings: settingsFor(schema, semconv, service), windowSeconds });
      expect(queries).toHaveLength(11);
      for (const q of queries) {
        const parsed = parseQuery(q.expr);
        expect(parsed.errors).toBe(0);
        expect(new Set(parsed.durations)).toEqual(new Set([expected]));
      }
    }
  });
});

describe('query budget', () => {
  it('does not depend on the namespace or thresholds', () => {
    const variants: OverviewQueryOptions[] = [
      { settings: DEFAULT_SETTINGS, windowSeconds: 60 },
      { settings: DEFAULT_SETTINGS, windowSeconds: 86400, namespace: 'payments' },
      {
        settings: { ...DEFAULT_SETTINGS, joinOverrides: [{ appService: 'a', namespace: 'b', workload: 'c' }] },
        windowSeconds: 5,
        namespace: HOSTILE_NAMESPACE,
      },
    ];
    for (const options of variants) {
      expect(buildOverviewQueries(options)).toHaveLength(11);
    }
  });
});

describe('a baseline: the same queries over an earlier window', () => {
  test.each(COMBINATIONS)(
    'schema %s, semconv %s, %s: every range read goes back by the offset',
    (schema, semconv, label) => {
      const settings = settingsFor(schema, semconv, label);
      const plain = buildOverviewQueries({ settings, windowSeconds: 900 });
      const earlier = buildOverviewQueries({ settings, windowSeconds: 900, offsetSeconds: 86_400 });
      expect(earlier.map((q) => q.refId)).toEqual(plain.map((q) => q.refId));
      earlier.forEach((q, i) => {
        const parsed = parseQuery(q.expr);
        expect(parsed.errors).toBe(0);
        expect(parsed.ranges).toBeGreaterThan(0);
        expect(parsed.offsets).toEqual(Array(parsed.ranges).fill('86400s'));
        // Nothing else changes: the same selectors, groupings and windows.
        const before = parseQuery(plain[i].expr);
        expect(parsed.selectors).toEqual(before.selectors);
        expect(parsed.groupings).toEqual(before.groupings);
        expect(parsed.durations).toEqual(before.durations);
      });
    }
  );

  it('has no offset without one', () => {
    for (const q of buildOverviewQueries({ settings: DEFAULT_SETTINGS, windowSeconds: 900, offsetSeconds: 0 })) {
      expect(parseQuery(q.expr).offsets).toEqual([]);
    }
  });
});

describe('restricted to some services (the timeline of the flagged ones)', () => {
  const only = {
    mesh: [
      { namespace: 'shop', workload: 'web', kind: 'deployment' as const },
      { namespace: HOSTILE_NAMESPACE, workload: 'db.0|x', kind: 'statefulset' as const },
      { namespace: 'shop', workload: 'nightly', kind: 'cronjob' as const },
    ],
    app: [{ namespace: 'shop', service: 'web (api)' }],
  };

  test.each(COMBINATIONS)(
    'schema %s, semconv %s, %s: every selector keeps only those services',
    (schema, semconv, label) => {
      const settings = settingsFor(schema, semconv, label);
      const queries = buildOverviewQueries({ settings, windowSeconds: 60, only });
      // As many requests as unrestricted: the latency queries in their parts.
      expect(queries).toHaveLength(buildOverviewQueries({ settings, windowSeconds: 60 }).length);
      const workloadLabels = (ownLabels: boolean) =>
        ownLabels ? MESH_WORKLOAD_LABELS[schema] : DESTINATION_GROUP.slice(1);
      for (const q of queries) {
        const parsed = parseQuery(q.expr);
        expect(parsed.errors).toBe(0);
        for (const selector of parsed.selectors) {
          const matcher = (name: string) => selector.matchers.find((x) => x.label === name);
          const regex = (name: string) => new RegExp(`^(?:${matcher(name)!.value})$`);
          if (q.refId.startsWith('app')) {
            expect(regex(label).test(label === 'job' ? 'shop/web (api)' : 'web (api)')).toBe(true);
            expect(regex(label).test('web')).toBe(false);
            continue;
          }
          const own = q.refId !== 'meshCallers';
          const [namespace, ...workloads] = own
            ? [MESH_NAMESPACE_LABEL[schema], ...workloadLabels(true)]
            : ['dst_namespace', ...workloadLabels(false)];
          expect(regex(namespace).test(HOSTILE_NAMESPACE)).toBe(true);
          expect(regex(namespace).test('other')).toBe(false);
          const [deployment, statefulset, , cronjob, job, , replicaset] = workloads.map(regex);
          // A series names its workload in one kind's label: the others are absent (empty) or in the list.
          expect(deployment.test('web') && deployment.test('') && !deployment.test('db.0|x')).toBe(true);
          expect(statefulset.test('db.0|x') && !statefulset.test('dbx0') && !statefulset.test('web')).toBe(true);
          // Where both are set, a Deployment's ReplicaSet and a CronJob's Job carry their owner's name.
          expect(replicaset.test('web-5d8f7c9b4') && !replicaset.test('api-5d8f7c9b4')).toBe(true);
          expect(job.test('nightly-29461000') && !job.test('nightly-x')).toBe(true);
          expect(cronjob.test('nightly')).toBe(true);
        }
      }
    }
  );
});

describe('latency by its exact mean alone (the range’s most recent part)', () => {
  test.each(COMBINATIONS)('schema %s, semconv %s, %s: no quantiles, the rest unchanged', (schema, semconv, label) => {
    const settings = settingsFor(schema, semconv, label);
    const full = buildOverviewQueries({ settings, windowSeconds: 300 });
    const meanOnly = buildOverviewQueries({ settings, windowSeconds: 300, meanOnly: true });
    const isLatency = (q: OverviewQuery) => q.refId === 'meshLatency' || q.refId === 'appLatency';
    expect(meanOnly.filter((q) => !isLatency(q))).toEqual(full.filter((q) => !isLatency(q)));
    // One request per latency query, the full query's mean part as it is.
    expect(meanOnly.filter(isLatency)).toEqual(full.filter((q) => isLatency(q) && q.part === MEAN));
    meanOnly.filter(isLatency).forEach((q) => {
      expect(parseQuery(q.expr).errors).toBe(0);
      expect(q.expr).not.toContain('histogram_quantile');
      expect(q.expr).not.toContain('_bucket');
    });
  });
});
