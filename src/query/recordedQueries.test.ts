import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import { RATES_EVALUATION, recordedNames } from './recordedNames';
import { buildOverviewQueries, type OverviewQueryOptions } from './overviewQueries';
import {
  buildCoverageQuery,
  buildRecordedBucketSelectors,
  buildRecordedOverviewQueries,
  COVERAGE_LABEL,
} from './recordedQueries';

interface Parsed {
  errors: number;
  metrics: string[];
  /** The labels of every `by (…)` or `without (…)`. */
  groupings: string[][];
  strings: string[];
  durations: string[];
}

function parse(expr: string): Parsed {
  const parsed: Parsed = { errors: 0, metrics: [], groupings: [], strings: [], durations: [] };
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  parser.parse(expr).iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        parsed.errors++;
      }
      if (ref.name === 'VectorSelector') {
        const identifier = ref.node.getChild('Identifier');
        parsed.metrics.push(identifier ? text(identifier) : '');
      }
      if (ref.name === 'GroupingLabels') {
        parsed.groupings.push(ref.node.getChildren('LabelName').map(text));
      }
      if (ref.name === 'StringLiteral') {
        parsed.strings.push(JSON.parse(text(ref)));
      }
      if (ref.name === 'DurationExpr') {
        parsed.durations.push(text(ref));
      }
    },
  });
  return parsed;
}

const SETTINGS: AppSettings[] = (['otel', 'linkerd'] as const).flatMap((labelSchema) =>
  (['stable', 'legacy'] as const).flatMap((semconv) =>
    (['service_name', 'job'] as const).map((appServiceLabel) => ({
      ...DEFAULT_SETTINGS,
      labelSchema,
      meshSelector: DEFAULT_MESH_SELECTORS[labelSchema],
      semconv,
      appServiceLabel,
    }))
  )
);

const HOSTILE = 'a"} or vector(1) # \\';

describe.each(SETTINGS.map((s) => [`${s.labelSchema} ${s.semconv} ${s.appServiceLabel}`, s]))('%s', (_n, settings) => {
  const names = recordedNames(settings, 60);

  describe.each([undefined, 'shop', HOSTILE])('namespace %j', (namespace) => {
    const options: OverviewQueryOptions = { settings, windowSeconds: 1800, namespace };
    const raw = buildOverviewQueries(options);
    const recorded = buildRecordedOverviewQueries(options);

    it('sends the raw overview’s requests, with the same refIds and parts, all parsing', () => {
      expect(recorded.map((q) => [q.refId, q.part])).toEqual(raw.map((q) => [q.refId, q.part]));
      for (const q of recorded) {
        const parsed = parse(q.expr);
        expect(parsed.errors).toBe(0);
        expect(new Set(parsed.durations)).toEqual(new Set(['1800s']));
        // A recorded series carries the raw query's grouping labels already (ruleQueries.test.ts): nothing is
        // aggregated again, so the samples keep them.
        expect(parsed.groupings).toEqual([]);
      }
    });

    it('reads only the recorded series, by the rules’ own names', () => {
      const metrics = new Set(recorded.flatMap((q) => parse(q.expr).metrics));
      expect(metrics).toEqual(new Set([...Object.values(names), RATES_EVALUATION]));
    });

    it('keeps a hostile namespace one string literal', () => {
      if (namespace) {
        const mesh = recorded.find((q) => q.refId === 'meshResponses')!.expr;
        expect(parse(mesh).strings).toContain(namespace);
      }
      expect(parse(buildCoverageQuery(options)).errors).toBe(0);
    });
  });

  it('turns rates into the mean of the recorded rates over the window’s evaluations, ratios into plain sums', () => {
    const queries = buildRecordedOverviewQueries({ settings, windowSeconds: 3600 });
    const requests = queries.find((q) => q.refId === 'appRequests')!.expr;
    expect(requests).toMatch(/^sum_over_time\(meshlens:service_status:[a-z_]+:rate1m(\{[^}]*\})?\[3600s\]\) \/ /);
    expect(requests).toContain(`/ scalar(max(count_over_time(${RATES_EVALUATION}[3600s])))`);
    const p95 = queries.find((q) => q.refId === 'meshLatency' && q.part === '0.95')!.expr;
    expect(p95).toBe(
      `label_replace(histogram_quantile(0.95, sum_over_time(${names.meshLatencyBucket}[3600s])), "quantile", "0.95", "", "")`
    );
  });

  it('reads bucket bounds from the recorded bucket series', () => {
    const selectors = buildRecordedBucketSelectors({ settings, windowSeconds: 60 });
    expect(selectors.mesh).toBe(names.meshLatencyBucket);
    expect(selectors.app.startsWith(names.appLatencyBucket)).toBe(true);
  });
});

describe('the coverage query', () => {
  it('counts raw and recorded series of both layers at both edges of the window', () => {
    const expr = buildCoverageQuery({ settings: DEFAULT_SETTINGS, windowSeconds: 3600 });
    const parsed = parse(expr);
    expect(parsed.errors).toBe(0);
    expect(parsed.strings.filter((s) => s.includes(':'))).toEqual([
      'mesh:raw:start',
      'mesh:raw:end',
      'mesh:recorded:start',
      'mesh:recorded:end',
      'app:raw:start',
      'app:raw:end',
      'app:recorded:start',
      'app:recorded:end',
    ]);
    expect(parsed.strings).toContain(COVERAGE_LABEL);
    // Two evaluations of the rules at each edge: the start is the window's first minute.
    expect(parsed.durations).toEqual(Array(8).fill('60s'));
    expect(expr.match(/offset 3540s/g)).toHaveLength(4);
    // Recorded series count only with the settings' labels.
    expect(expr).toContain('meshlens:workload_outcome:response_total:rate1m{k8s_namespace_name!=""}');
    expect(expr).toContain('meshlens:service_status:app_server_duration_seconds_count:rate1m{service_name!=""}');
  });

  it('checks the one edge of a window no longer than an edge, without an offset', () => {
    const expr = buildCoverageQuery({ settings: DEFAULT_SETTINGS, windowSeconds: 45 });
    expect(expr).not.toContain('offset');
    expect(parse(expr).durations).toEqual(Array(8).fill('45s'));
  });
});
