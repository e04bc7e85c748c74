import { parser } from '@prometheus-io/lezer-promql';
import type { Sample } from '../query/sample';
import { buildSeries } from '../../generator/series';
import { stored, targetLabels } from '../../generator/worlds';
import { demoScenario } from '../../generator/scenarios';
import { PromQueryError, type MetricsApi } from '../query/promApi';
import { eq, matcher } from '../query/promql';
import { LINKERD_ROUTE_FAMILY_PATTERN, meshMatchers } from '../query/schema';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type LabelSchema, type SemconvVersion } from '../settings/types';

/** The default mesh selector of the OTel Collector world: `layer="mesh"`. */
const MESH = meshMatchers(DEFAULT_SETTINGS);
import { keptFamilies } from './families';
import {
  distinctValuesQuery,
  evaluateCounts,
  familySeriesQuery,
  fetchCardinality,
  fetchDropPlan,
  mapLimit,
  measureCardinality,
  packSubqueries,
  probeLabelNameSyntax,
  seriesWithoutQuery,
  type QueryLimits,
} from './measure';

type Labels = Record<string, string>;

function assertParses(expr: string): void {
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(node.from);
      }
    },
  });
  expect({ expr, errors }).toEqual({ expr, errors: [] });
}

// ---- a store in memory that answers exactly the query shapes the budget sends ----------------------------------

const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g;
const SELECTOR = '([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[^}"]|"(?:[^"\\\\]|\\\\.)*")*\\})';
const SUBQUERY = new RegExp(
  `label_replace\\(count\\((?:count (by|without) \\(([^)]*)\\) \\(${SELECTOR}\\)|${SELECTOR})\\), "meshlens_key", "(\\d+)", "", ""\\)`,
  'g'
);

function unquote(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

function matches(labels: Labels, selector: string): boolean {
  return [...selector.matchAll(MATCHER)].every(([, name, op, quoted]) => {
    const value = unquote(quoted);
    const actual = labels[name] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(actual);
      default:
        return !new RegExp(`^(?:${value})$`).test(actual);
    }
  });
}

const keyOf = (labels: Labels, keep: (name: string) => boolean) =>
  JSON.stringify(
    Object.keys(labels)
      .filter(keep)
      .sort()
      .map((k) => [k, labels[k]])
  );

interface FakeStore {
  api: MetricsApi;
  requests: string[];
}

function fakeStore(series: Labels[]): FakeStore {
  const requests: string[] = [];
  const select = (name: string | undefined, selector: string) =>
    series.filter((s) => (name === undefined || s.__name__ === name) && matches(s, selector));
  return {
    requests,
    api: {
      async instant(expr: string): Promise<Sample[]> {
        requests.push(expr);
        assertParses(expr);
        const families = /^count by \(__name__\) \((\{.*\})\)$/.exec(expr);
        if (families) {
          const counts = new Map<string, number>();
          for (const s of select(undefined, families[1])) {
            counts.set(s.__name__, (counts.get(s.__name__) ?? 0) + 1);
          }
          return [...counts].map(([name, value]) => ({ labels: { __name__: name }, value }));
        }
        const parts = [...expr.matchAll(SUBQUERY)];
        expect(parts).toHaveLength(expr.split(' or label_replace(').length);
        return parts.flatMap(([, how, list, groupedName, groupedSelector, name, selector, key]): Sample[] => {
          if (how === undefined) {
            const found = select(name, selector).length;
            return found > 0 ? [{ labels: { meshlens_key: key }, value: found }] : [];
          }
          const grouping = list.split(', ');
          const found = select(groupedName, groupedSelector);
          const keep = (label: string) =>
            label !== '__name__' && (how === 'by' ? grouping.includes(label) : !grouping.includes(label));
          const groups = new Set(found.map((s) => keyOf(s, keep)));
          return groups.size > 0 ? [{ labels: { meshlens_key: key }, value: groups.size }] : [];
        });
      },
      async labelNames(selector: string): Promise<string[]> {
        requests.push(`labels ${selector}`);
        assertParses(selector);
        const [, name, rest] = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})$/.exec(selector)!;
        return [...new Set(select(name, rest).flatMap((s) => Object.keys(s)))].sort();
      },
      async labelValues(): Promise<string[]> {
        throw new Error('the budget reads no label values');
      },
    },
  };
}

function demoSeries(schema: LabelSchema, semconv: SemconvVersion): Labels[] {
  return (
    buildSeries(demoScenario(), { semconv, world: schema })
      .filter((s) => stored(s.name, s.target, schema))
      // A store keeps no label whose value is empty (Linkerd writes `grpc_status=""`, `srv_group=""` …).
      .map((s) =>
        Object.fromEntries(
          Object.entries({ ...targetLabels(s.target, schema), ...s.labels, __name__: s.name }).filter(
            ([, value]) => value !== ''
          )
        )
      )
  );
}

/** A mesh of `pods` pods each called by 3 callers with 2 statuses: series grow with pods, labels do not. */
function syntheticMesh(pods: number): Labels[] {
  const series: Labels[] = [];
  for (let pod = 0; pod < pods; pod++) {
    for (let caller = 0; caller < 3; caller++) {
      for (const status of ['200', '503']) {
        series.push({
          __name__: 'response_total',
          layer: 'mesh',
          direction: 'inbound',
          k8s_pod_name: `pod-${pod}`,
          client_id: `caller-${caller}`,
          status_code: status,
        });
      }
    }
    series.push({ __name__: 'tcp_open_connections', layer: 'mesh', k8s_pod_name: `pod-${pod}` });
  }
  return series;
}

/** Brute force over the series: what the report must say. */
function bruteForce(series: Labels[], family: string, layerMatch: (s: Labels) => boolean) {
  const of = series.filter((s) => s.__name__ === family && layerMatch(s));
  const unique = new Map(of.map((s) => [keyOf(s, () => true), s]));
  const sets = [...unique.values()];
  const names = [...new Set(sets.flatMap((s) => Object.keys(s)))].filter((n) => n !== '__name__').sort();
  return {
    series: sets.length,
    labels: names.map((label) => ({
      label,
      distinctValues: new Set(sets.map((s) => s[label]).filter(Boolean)).size,
      seriesWithout: new Set(sets.map((s) => keyOf(s, (k) => k !== label))).size,
    })),
  };
}

// ---- tests -------------------------------------------------------------------------------------------------------

describe('query text', () => {
  it.each([
    [
      familySeriesQuery(['request_total', 'a:b'], [eq('layer', 'mesh')]),
      'count by (__name__) ({__name__=~"request_total|a:b",layer="mesh"})',
    ],
    [
      distinctValuesQuery('response_total', 'client_id', [eq('layer', 'mesh')]),
      'count(count by (client_id) (response_total{layer="mesh",client_id!=""}))',
    ],
    [
      seriesWithoutQuery('response_total', ['client_id', 'le'], [matcher('layer', '!=', 'mesh')]),
      'count(count without (client_id, le) (response_total{layer!="mesh"}))',
    ],
    [
      seriesWithoutQuery('x', ['a'], [eq('job', 'a"} or vector(1) #\\')]),
      'count(count without (a) (x{job="a\\"} or vector(1) #\\\\"}))',
    ],
  ])('%s', (expr, expected) => {
    expect(expr).toBe(expected);
    assertParses(expr);
  });

  it.each([
    () => distinctValuesQuery('response_total', 'a-b', []),
    () => seriesWithoutQuery('response_total', ['ok', 'not ok'], []),
    () => seriesWithoutQuery('bad name', ['ok'], []),
  ])('refuses names PromQL cannot hold (%#)', (build) => {
    expect(build).toThrow(/not a valid Prometheus label name/);
  });
});

describe('packSubqueries', () => {
  const subs = Array.from({ length: 45 }, (_, i) => ({
    expr: `count(count without (l${i}) (response_total{layer="mesh"}))`,
    cost: 1000 * (i + 1),
  }));

  it.each<[QueryLimits, number[]]>([
    // 1k + … + 20k series, then 21k + … + 37k = 493k: the series budget binds before the count.
    [{}, [20, 17, 8]],
    [{ maxSubqueries: 45, maxSeriesPerRequest: Infinity }, [45]],
    [{ maxSubqueries: 1 }, Array.from({ length: 45 }, () => 1)],
    [{ maxQueryLength: 300 }, Array.from({ length: 23 }, (_, i) => (i < 22 ? 2 : 1))],
    [{ maxQueryLength: 10 }, Array.from({ length: 45 }, () => 1)],
    // Series read: 1k + 2k + … ; 10k fits 1k–4k, then 5k, 6k, 7k, 8k, 9k, 10k alone, and so on.
    [
      { maxSeriesPerRequest: 10_000, maxSubqueries: 100, maxQueryLength: 1e6 },
      [4, 1, 1, 1, 1, 1, 1, ...Array(35).fill(1)],
    ],
    [
      { maxSeriesPerRequest: 100_000, maxSubqueries: 100, maxQueryLength: 1e6 },
      [13, 6, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1],
    ],
  ])('with %j packs %j sub-queries per request', (limits, sizes) => {
    const packs = packSubqueries(subs, limits);
    expect(packs.map((p) => p.keys.length)).toEqual(sizes);
    expect(packs.flatMap((p) => p.keys)).toEqual(subs.map((_, i) => i));
    for (const pack of packs) {
      assertParses(pack.expr);
      if (pack.keys.length > 1) {
        expect(pack.expr.length).toBeLessThanOrEqual(limits.maxQueryLength ?? 8000);
        const cost = pack.keys.reduce((sum, k) => sum + subs[k].cost, 0);
        expect(cost).toBeLessThanOrEqual(limits.maxSeriesPerRequest ?? 500_000);
      }
    }
  });

  it('makes no request for nothing', async () => {
    const store = fakeStore([]);
    expect(await evaluateCounts(store.api, [], 0)).toEqual([]);
    expect(store.requests).toEqual([]);
  });
});

describe('mapLimit', () => {
  it.each([1, 3, 10])('keeps at most %d tasks in flight and the order of the results', async (limit) => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit(
      Array.from({ length: 12 }, (_, i) => i),
      limit,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, (12 - i) % 4));
        running--;
        return i * 2;
      }
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
    expect(peak).toBeLessThanOrEqual(limit);
  });
});

describe('measureCardinality', () => {
  it.each([
    ['otel', 'stable'],
    ['linkerd', 'legacy'],
  ] as Array<[LabelSchema, SemconvVersion]>)(
    'counts the demo (%s schema, %s semconv) exactly',
    async (schema, semconv) => {
      const series = demoSeries(schema, semconv);
      const store = fakeStore(series);
      const mesh = meshMatchers({ ...DEFAULT_SETTINGS, meshSelector: DEFAULT_MESH_SELECTORS[schema] });
      const selector = DEFAULT_MESH_SELECTORS[schema];
      const measurement = await measureCardinality(store.api, { semconv, mesh, timeSeconds: 1000 });
      const specs = keptFamilies(semconv);
      expect(measurement.absentFamilies).toEqual([]);
      expect(measurement.families.map((f) => f.family)).toEqual(specs.map((s) => s.family));
      for (const family of measurement.families) {
        const meshSeries = (s: Labels) => s[selector.label] === selector.value;
        const isMesh = (s: Labels) => (family.layer === 'mesh' ? meshSeries(s) : s.layer !== 'mesh');
        expect({ family: family.family, series: family.series, labels: family.labels }).toEqual({
          family: family.family,
          ...bruteForce(series, family.family, isMesh),
        });
      }
      const pairs = measurement.families.reduce((s, f) => s + f.labels.length, 0);
      expect(measurement.requests).toBe(store.requests.length);
      // Family counts, label names, the bucket layouts (3 each), the other labels (2 each), 20 to a request.
      const buckets = measurement.families.filter((f) => f.histogram?.part === 'bucket').length;
      expect(measurement.families.filter((f) => f.uniformBuckets).length).toBe(buckets);
      // The side costs, brute force: admin-port series among the kept mesh families, and the route families.
      const keptMesh = new Set(specs.filter((f) => f.layer === 'mesh').map((f) => f.family));
      const meshSeries = series.filter((s) => s[selector.label] === selector.value);
      const routeFamilies = new Map<string, number>();
      for (const s of meshSeries.filter((s) => new RegExp(`^(?:${LINKERD_ROUTE_FAMILY_PATTERN})$`).test(s.__name__))) {
        routeFamilies.set(s.__name__, (routeFamilies.get(s.__name__) ?? 0) + 1);
      }
      expect(measurement.meshSideCosts?.adminSeries).toBe(
        meshSeries.filter((s) => keptMesh.has(s.__name__) && s.target_port === '4191').length
      );
      expect(measurement.meshSideCosts?.adminSeries).toBeGreaterThan(0);
      // The reference Collector keeps only the legacy families; linkerd-viz's Prometheus stores them all.
      expect(routeFamilies.size > 0).toBe(schema === 'linkerd');
      expect(new Map(measurement.meshSideCosts?.routeFamilies.map((r) => [r.family, r.series]))).toEqual(routeFamilies);
      expect(measurement.requests).toBe(
        4 + measurement.families.length + Math.ceil((3 * buckets) / 20) + Math.ceil((2 * pairs - 2 * buckets) / 20)
      );
    }
  );

  it('makes as many requests for 5,000 pods as for 5: bounded by families and labels, not series', async () => {
    const counts = await Promise.all(
      [5, 500, 5000].map(async (pods) => {
        const store = fakeStore(syntheticMesh(pods));
        const m = await measureCardinality(store.api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
        expect(m.families.find((f) => f.family === 'response_total')?.series).toBe(pods * 6);
        return m.requests;
      })
    );
    // 2 family counts, 2 side costs, 2 label-name requests, (5 + 2) labels × 2 sub-queries in one packed request.
    expect(counts).toEqual([7, 7, 7]);
  });

  it.each<[string, (histogram: number) => string[]]>([
    ['uniform bounds', () => ['5', '10', '+Inf']],
    ['two proxy versions with different bounds', (h) => (h % 2 ? ['5', '10', '+Inf'] : ['5', '50', '100', '+Inf'])],
    ['a histogram missing its +Inf bucket', (h) => (h === 0 ? ['5', '10'] : ['5', '10', '+Inf'])],
    ['one bound only on some histograms', (h) => (h < 3 ? ['5', '+Inf'] : ['+Inf'])],
  ])('counts histogram buckets exactly with %s', async (_, bounds) => {
    const series: Labels[] = [];
    for (let h = 0; h < 8; h++) {
      for (const le of bounds(h)) {
        series.push({
          __name__: 'response_latency_ms_bucket',
          layer: 'mesh',
          k8s_pod_name: `pod-${h % 4}`,
          client_id: `caller-${h >> 2}`,
          status_code: h % 3 ? '200' : '503',
          le,
        });
      }
    }
    const store = fakeStore(series);
    const m = await measureCardinality(store.api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    const [family] = m.families;
    expect({ series: family.series, labels: family.labels }).toEqual(
      bruteForce(series, 'response_latency_ms_bucket', () => true)
    );
    const uniform = new Set(Array.from({ length: 8 }, (__, h) => bounds(h).join())).size === 1;
    expect(family.uniformBuckets).toBe(uniform && bounds(0).includes('+Inf'));
    if (family.uniformBuckets) {
      // Every label but le read through the +Inf series.
      const perLabel = store.requests.filter((r) => r.includes('meshlens_key') && r.includes('client_id'));
      expect(perLabel.join()).toMatch(/le="\+Inf",client_id!=""/);
    }
  });

  it('lists the kept families without series as absent, and leaves out labels no active series has', async () => {
    const store = fakeStore(syntheticMesh(2));
    const base = store.api;
    const api: MetricsApi = {
      ...base,
      labelNames: async (selector, start, end) => [...(await base.labelNames(selector, start, end)), 'gone_label'],
    };
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.families.map((f) => f.family)).toEqual(['response_total', 'tcp_open_connections']);
    expect(m.absentFamilies.map((f) => f.family)).toContain('request_total');
    expect(m.absentFamilies.map((f) => f.family)).toContain('http_server_request_duration_seconds_bucket');
    expect(m.families[1].labels.map((l) => l.label)).toEqual(['k8s_pod_name', 'layer']);
  });

  it('applies extra matchers to every selector, escaped', async () => {
    const series = syntheticMesh(3).map((s) => ({ ...s, job: s.k8s_pod_name === 'pod-0' ? 'a"b' : 'other' }));
    const store = fakeStore(series);
    const m = await measureCardinality(store.api, {
      semconv: 'stable',
      mesh: MESH,
      timeSeconds: 0,
      matchers: [eq('job', 'a"b')],
    });
    expect(m.families.find((f) => f.family === 'response_total')?.series).toBe(6);
    expect(store.requests.every((r) => r.includes('job="a\\"b"'))).toBe(true);
  });

  it('passes the evaluation time and the lookback to the store', async () => {
    const times: number[] = [];
    const ranges: Array<[number, number]> = [];
    const store = fakeStore(syntheticMesh(1));
    const api: MetricsApi = {
      ...store.api,
      instant: (expr, time) => {
        times.push(time);
        return store.api.instant(expr, time);
      },
      labelNames: (selector, start, end) => {
        ranges.push([start, end]);
        return store.api.labelNames(selector, start, end);
      },
    };
    await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 5000, lookbackSeconds: 120 });
    expect(new Set(times)).toEqual(new Set([5000]));
    expect(new Set(ranges.map((r) => r.join('-')))).toEqual(new Set(['4880-5000']));
  });

  it('fails with the store’s error', async () => {
    const api: MetricsApi = {
      instant: async () => {
        throw new PromQueryError('http', 'the metrics datasource rejected the query: bad', 400);
      },
      labelNames: async () => [],
      labelValues: async () => [],
    };
    await expect(measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 })).rejects.toThrow(
      PromQueryError
    );
  });
});

describe('measureCardinality when part of the store fails', () => {
  const refusal = (what: string) =>
    new PromQueryError('http', `the metrics datasource failed (HTTP 503): ${what}`, 503);

  /** The synthetic mesh plus one app family, with some requests failing. */
  function failingStore(fails: (request: string) => string | undefined): MetricsApi {
    const app = [{ __name__: 'http_server_request_duration_seconds_count', service_name: 'a', http_route: '/x' }];
    const { api } = fakeStore([...syntheticMesh(2), ...app]);
    return {
      ...api,
      instant: async (expr, time) => {
        const failure = fails(expr);
        if (failure) {
          throw refusal(failure);
        }
        return api.instant(expr, time);
      },
      labelNames: async (selector, start, end) => {
        const failure = fails(`labels ${selector}`);
        if (failure) {
          throw refusal(failure);
        }
        return api.labelNames(selector, start, end);
      },
    };
  }

  it('measures the other layer when one layer’s series cannot be counted, and lists that layer', async () => {
    const api = failingStore((r) =>
      r.startsWith('count by (__name__)') && r.includes('layer!="mesh"') ? 'app' : undefined
    );
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.families.map((f) => f.family)).toEqual(['response_total', 'tcp_open_connections']);
    expect(m.absentFamilies.every((f) => f.layer === 'mesh')).toBe(true);
    expect(m.gaps).toEqual([
      { layer: 'app', reason: 'its series could not be counted: the metrics datasource failed (HTTP 503): app' },
    ]);
  });

  it('keeps the report when the side costs cannot be counted, and lists them', async () => {
    const api = failingStore((r) => (r.includes('target_port="4191"') ? 'side' : undefined));
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.meshSideCosts).toBeUndefined();
    expect(m.families.find((f) => f.family === 'response_total')).toMatchObject({ series: 12 });
    expect(m.gaps).toEqual([
      {
        layer: 'mesh',
        reason:
          "the admin server's and Linkerd's route families' series could not be counted: the metrics datasource " +
          'failed (HTTP 503): side',
      },
    ]);
  });

  it('keeps a family’s series when its label names cannot be read, and lists it', async () => {
    const api = failingStore((r) => (r.startsWith('labels tcp_open_connections') ? 'labels' : undefined));
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.families.find((f) => f.family === 'tcp_open_connections')).toMatchObject({ series: 2, labels: [] });
    expect(m.families.find((f) => f.family === 'response_total')?.labels).toHaveLength(5);
    expect(m.gaps).toEqual([
      {
        layer: 'mesh',
        family: 'tcp_open_connections',
        reason: 'its label names could not be read: the metrics datasource failed (HTTP 503): labels',
      },
    ]);
  });

  it('lists the labels of a packed request that failed, and keeps the others', async () => {
    const api = failingStore((r) => (r.includes('meshlens_key') && r.includes('http_route') ? 'pack' : undefined));
    const m = await measureCardinality(api, {
      semconv: 'stable',
      mesh: MESH,
      timeSeconds: 0,
      maxSubqueries: 2,
    });
    expect(m.families.find((f) => f.family === 'response_total')?.labels).toHaveLength(5);
    expect(m.gaps).toEqual([
      {
        layer: 'app',
        family: 'http_server_request_duration_seconds_count',
        labels: ['http_route'],
        reason: 'could not be counted: the metrics datasource failed (HTTP 503): pack',
      },
    ]);
  });

  it('fails with the store’s error when neither layer can be counted', async () => {
    const api = failingStore((r) => (r.startsWith('count by (__name__)') ? 'down' : undefined));
    await expect(measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 })).rejects.toThrow(
      'the metrics datasource failed (HTTP 503): down'
    );
  });
});

describe('label names classic PromQL cannot write', () => {
  const series = [
    { __name__: 'tcp_open_connections', layer: 'mesh', 'k8s.pod.name': 'p1', ünï: 'a' },
    { __name__: 'tcp_open_connections', layer: 'mesh', 'k8s.pod.name': 'p2', ünï: 'a' },
  ];

  /** The fake store answers classic queries; `accepts` says which probe syntax this store's parser takes. */
  function storeAccepting(accepts: 'quoted' | 'escaped' | 'none') {
    const { api, requests } = fakeStore(series);
    const asked: string[] = [];
    const instant: MetricsApi['instant'] = async (expr, time) => {
      if (expr.includes('vector(1)')) {
        asked.push(expr);
        const quoted = expr.includes('"meshlens.probe-ü"');
        if ((accepts === 'quoted' && quoted) || (accepts === 'escaped' && expr.includes('meshlens\\.probe\\-\\ü'))) {
          return [{ labels: {}, value: 1 }];
        }
        throw new PromQueryError('http', 'the metrics datasource rejected the query: unexpected token', 422);
      }
      return api.instant(expr, time);
    };
    return { api: { ...api, instant }, asked, requests };
  }

  it('asks the store how it writes them, the standard quoted way first', async () => {
    const quoted = storeAccepting('quoted');
    expect(await probeLabelNameSyntax(quoted.api, 0)).toEqual({ syntax: 'quoted', refusals: [] });
    expect(quoted.asked).toEqual(['count by ("meshlens.probe-ü") (vector(1))']);
    const escaped = storeAccepting('escaped');
    expect((await probeLabelNameSyntax(escaped.api, 0)).syntax).toBe('escaped');
    expect(escaped.asked[1]).toBe('count by (meshlens\\.probe\\-\\ü) (vector(1))');
  });

  it('lists them with the store’s refusal when it takes neither way, and measures the rest', async () => {
    const { api } = storeAccepting('none');
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.families[0]).toMatchObject({ family: 'tcp_open_connections', series: 2 });
    expect(m.families[0].labels.map((l) => l.label)).toEqual(['layer']);
    expect(m.gaps).toEqual([
      {
        layer: 'mesh',
        family: 'tcp_open_connections',
        labels: ['k8s.pod.name', 'ünï'],
        reason: expect.stringMatching(
          /^these names have characters other than letters, digits and _, and this store’s PromQL takes neither .*unexpected token/
        ),
      },
    ]);
    expect(m.labelNameSyntax).toBe('classic');
  });

  it('writes them in the syntax found, in every query that names them', async () => {
    const { api, requests } = storeAccepting('escaped');
    const m = await measureCardinality(api, { semconv: 'stable', mesh: MESH, timeSeconds: 0 });
    expect(m.labelNameSyntax).toBe('escaped');
    expect(requests.some((r) => r.includes('count by (k8s\\.pod\\.name)'))).toBe(true);
    // Only what classic names cannot hold is escaped: ü and ï, not the n between them.
    expect(requests.some((r) => r.includes('without (\\ün\\ï)'))).toBe(true);
  });
});

describe('fetchCardinality and fetchDropPlan', () => {
  it('asks the store only for families losing two or more labels', async () => {
    const store = fakeStore(demoSeries('otel', 'stable'));
    const report = await fetchCardinality(store.api, { settings: DEFAULT_SETTINGS, mesh: MESH, timeSeconds: 0 });
    expect(report.requests).toBe(store.requests.length);
    const before = store.requests.length;

    const single = await fetchDropPlan(
      store.api,
      report,
      { labels: [{ label: 'client_id' }], families: [] },
      { mesh: MESH }
    );
    expect(store.requests.length).toBe(before);
    const latency = single.families.find((f) => f.family === 'response_latency_ms_bucket')!;
    expect(latency.seriesAfter).toBe(latency.seriesBefore - 260);

    const several = await fetchDropPlan(
      store.api,
      report,
      {
        labels: [{ label: 'client_id' }, { label: 'k8s_pod_name' }, { label: 'k8s_node_name' }],
        families: ['request_total'],
      },
      { mesh: MESH }
    );
    expect(store.requests.length).toBe(before + 1);
    const series = demoSeries('otel', 'stable').filter((s) => s.__name__ === 'response_total');
    const without = new Set(
      series.map((s) => keyOf(s, (k) => !['client_id', 'k8s_pod_name', 'k8s_node_name'].includes(k)))
    );
    expect(several.families.find((f) => f.family === 'response_total')?.seriesAfter).toBe(without.size);
    expect(several.families.find((f) => f.family === 'request_total')?.seriesAfter).toBe(0);
  });
});
