/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// The `yaml` package's browser build is an ES module, which jest does not load: resolve its Node build instead.
import { parse } from 'yaml';
import { DEFAULT_SETTINGS } from '../settings/types';
import { buildReport } from './budget';
import {
  collectorMetricName,
  collectorSnippets,
  metricRelabelRules,
  ottlSnippet,
  ottlString,
  OTTL_NOTE,
  scrapeTimeSnippet,
  SCRAPE_TIME_NOTE,
  yamlString,
  type RelabelRule,
} from './snippets';
import type { DropSelection } from './types';

const LATENCY = ['response_latency_ms_bucket', 'response_latency_ms_count', 'response_latency_ms_sum'];

/** Walks a parsed YAML document; undefined where the path does not exist. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') {
      return undefined;
    }
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** The rules of the snippet's only scrape job, as the Collector would read them (after `$$` → `$`). */
function scrapeRules(yamlText: string, receiver = 'prometheus/mesh'): { jobName: string; rules: RelabelRule[] } {
  const jobs = at(parse(yamlText), 'receivers', receiver, 'config', 'scrape_configs');
  expect(jobs).toHaveLength(1);
  const unescape = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(/\$\$/g, '$')
      : Array.isArray(value)
        ? value.map(unescape)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]))
          : value;
  return {
    jobName: unescape(at(jobs, 0, 'job_name')) as string,
    rules: unescape(at(jobs, 0, 'metric_relabel_configs')) as RelabelRule[],
  };
}

describe('yamlString and ottlString', () => {
  it.each([
    'plain',
    '',
    "it's",
    'a "quoted" value',
    'back\\slash',
    '$1 and ${env:HOME} and $$',
    'colon: hash # dash - [flow] {map}',
    'ünïcødé ✓',
  ])('%j survives YAML and the Collector’s $ expansion', (value) => {
    const parsed = at(parse(`key: ${yamlString(value)}`), 'key') as string;
    expect(parsed.replace(/\$\$/g, '$')).toBe(value);
  });

  it.each([
    ['plain', '"plain"'],
    ['a "b"', '"a \\"b\\""'],
    ['c:\\d', '"c:\\\\d"'],
  ])('OTTL literal of %j is %s', (value, literal) => {
    expect(ottlString(value)).toBe(literal);
  });
});

describe('metricRelabelRules', () => {
  const cases: Array<[string, DropSelection, RelabelRule[]]> = [
    ['nothing', { labels: [], families: [] }, []],
    [
      'families',
      { labels: [], families: ['request_total', 'tcp_open_total', 'request_total'] },
      [{ source_labels: ['__name__'], regex: 'request_total|tcp_open_total', action: 'drop' }],
    ],
    [
      'labels everywhere',
      { labels: [{ label: 'target_addr' }, { label: 'srv_name' }], families: [] },
      [{ regex: 'srv_name|target_addr', action: 'labeldrop' }],
    ],
    [
      'a label from some families only',
      { labels: [{ label: 'client_id', families: LATENCY }], families: [] },
      [
        {
          source_labels: ['__name__'],
          regex: 'response_latency_ms_bucket|response_latency_ms_count|response_latency_ms_sum',
          target_label: 'client_id',
          replacement: '',
          action: 'replace',
        },
      ],
    ],
    [
      'a label everywhere wins over the same label for some families',
      {
        labels: [{ label: 'authority', families: ['request_total'] }, { label: 'authority' }],
        families: [],
      },
      [{ regex: 'authority', action: 'labeldrop' }],
    ],
    [
      'a label of a dropped family only: nothing to relabel',
      { labels: [{ label: 'client_id', families: ['request_total'] }], families: ['request_total'] },
      [{ source_labels: ['__name__'], regex: 'request_total', action: 'drop' }],
    ],
    [
      'recording-rule style names are escaped for the regex',
      { labels: [], families: ['job:request_total:rate5m'] },
      [{ source_labels: ['__name__'], regex: 'job:request_total:rate5m', action: 'drop' }],
    ],
    [
      'blocked labels and app families are left out',
      {
        labels: [
          { label: 'le' },
          { label: 'job' },
          { label: 'instance' },
          { label: '__name__' },
          { label: 'http_route', families: ['http_server_request_duration_seconds_bucket'] },
        ],
        families: ['rpc_server_duration_milliseconds_count'],
      },
      [],
    ],
  ];

  it.each(cases)('%s', (_, selection, rules) => {
    expect(metricRelabelRules(selection)).toEqual(rules);
    // The YAML says the same.
    const snippet = scrapeTimeSnippet(selection);
    if (rules.length > 0) {
      expect(scrapeRules(snippet.yaml).rules).toEqual(rules);
    } else {
      expect(parse(snippet.yaml)).toBeNull();
      expect(snippet.yaml).toContain('# Nothing to drop at scrape time.');
    }
  });

  it.each([
    [{ labels: [{ label: '' }], families: [] }, /a label name cannot be empty/],
    [{ labels: [], families: ['bad name'] }, /not a valid Prometheus metric name/],
    [{ labels: [{ label: 'a', families: ['x|.*'] }], families: [] }, /not a valid Prometheus metric name/],
  ])('refuses %j', (selection, error) => {
    expect(() => metricRelabelRules(selection)).toThrow(error);
    expect(() => collectorSnippets(selection)).toThrow(error);
  });
});

describe('label names classic PromQL cannot write (OTel attributes stored with their dots)', () => {
  const selection: DropSelection = {
    labels: [{ label: 'k8s.pod.name' }, { label: 'x"y$\'ü', families: ['response_total'] }],
    families: [],
  };

  it('are dropped by name, exactly, at scrape time', () => {
    const { rules } = scrapeRules(scrapeTimeSnippet(selection).yaml);
    const labeldrop = rules.find((r) => r.action === 'labeldrop')!;
    const regex = new RegExp(`^(?:${labeldrop.regex})$`);
    expect(['k8s.pod.name', 'k8s_pod_name', 'k8sXpodXname'].map((n) => regex.test(n))).toEqual([true, false, false]);
    expect(rules.find((r) => r.action === 'replace')).toMatchObject({ target_label: 'x"y$\'ü', replacement: '' });
  });

  it('say what the per-family rule needs of the receiver', () => {
    expect(scrapeTimeSnippet(selection).caveats).toEqual([
      expect.stringMatching(/^x"y\$'ü is not a classic label name: .* only a receiver built on Prometheus 3/),
    ]);
  });

  it('are dropped by name, exactly, in OTTL', () => {
    const statements = at(parse(ottlSnippet(selection).yaml), 'processors', 'transform/meshlens-budget');
    expect(at(statements, 'metric_statements', 0, 'statements')).toEqual([
      'delete_key(attributes, "k8s.pod.name")',
      'delete_key(attributes, "x\\"y$$\'ü") where metric.name == "response_total"',
    ]);
  });
});

describe('scrapeTimeSnippet', () => {
  const selection: DropSelection = {
    labels: [{ label: 'target_addr' }, { label: 'le' }],
    families: ['request_total', 'http_server_request_duration_seconds_sum'],
  };

  it('is the receiver’s scrape job with rules to append, its cost note, and what it left out', () => {
    const snippet = scrapeTimeSnippet(selection);
    expect(snippet.method).toBe('scrape-time');
    expect(snippet.note).toBe(SCRAPE_TIME_NOTE);
    expect(snippet.yaml.startsWith(`# ${SCRAPE_TIME_NOTE}\n`)).toBe(true);
    expect(scrapeRules(snippet.yaml)).toEqual({
      jobName: 'linkerd-proxy',
      rules: [
        { source_labels: ['__name__'], regex: 'request_total', action: 'drop' },
        { regex: 'target_addr', action: 'labeldrop' },
      ],
    });
    expect(snippet.skipped.map((s) => s.what)).toEqual(['family http_server_request_duration_seconds_sum', 'label le']);
    expect(snippet.skipped[0].reason).toMatch(/OTLP/);
    expect(snippet.caveats).toEqual([]);
  });

  it.each([
    ['linkerd-proxy', 'prometheus/mesh'],
    ["it's $HOME", 'prometheus/other'],
    ['a "quoted" job: #1', 'prometheus'],
  ])('names job %j of receiver %s, escaped', (jobName, receiver) => {
    const snippet = scrapeTimeSnippet(selection, { jobName, receiver });
    expect(scrapeRules(snippet.yaml, receiver).jobName).toBe(jobName);
  });

  it('refuses a receiver name that is not a Collector component id', () => {
    expect(() => scrapeTimeSnippet(selection, { receiver: 'prometheus/mesh:\n  evil: true' })).toThrow(
      /not a valid Collector component/
    );
  });
});

describe('ottlSnippet', () => {
  interface OttlDoc {
    filter?: string[];
    statements?: string[];
    processors: string[];
  }

  function ottl(yamlText: string, name = 'meshlens-budget', pipeline = 'metrics/mesh'): OttlDoc {
    const doc: unknown = parse(yamlText);
    const filter = at(doc, 'processors', `filter/${name}`);
    const transform = at(doc, 'processors', `transform/${name}`);
    if (filter) {
      expect(at(filter, 'error_mode')).toBe('ignore');
      expect(Object.keys(at(filter, 'metrics') as object)).toEqual(['metric']);
    }
    if (transform) {
      expect(at(transform, 'error_mode')).toBe('ignore');
      expect(at(transform, 'metric_statements')).toHaveLength(1);
      expect(at(transform, 'metric_statements', 0, 'context')).toBe('datapoint');
    }
    return {
      filter: at(filter, 'metrics', 'metric') as string[] | undefined,
      statements: at(transform, 'metric_statements', 0, 'statements') as string[] | undefined,
      processors: at(doc, 'service', 'pipelines', pipeline, 'processors') as string[],
    };
  }

  const cases: Array<[string, DropSelection, OttlDoc, string[]]> = [
    [
      'a counter and a whole histogram',
      { labels: [], families: ['request_total', ...LATENCY] },
      {
        filter: ['name == "request_total" or name == "response_latency_ms"'],
        statements: undefined,
        processors: ['memory_limiter', 'filter/meshlens-budget', 'batch'],
      },
      [],
    ],
    [
      'labels everywhere and on some families',
      {
        labels: [{ label: 'target_addr' }, { label: 'client_id', families: ['response_total', 'request_total'] }],
        families: [],
      },
      {
        filter: undefined,
        statements: [
          'delete_key(attributes, "client_id") where metric.name == "request_total" or metric.name == "response_total"',
          'delete_key(attributes, "target_addr")',
        ],
        processors: ['memory_limiter', 'transform/meshlens-budget', 'batch'],
      },
      [],
    ],
    [
      'both, filter first',
      { labels: [{ label: 'srv_name' }], families: ['tcp_open_total'] },
      {
        filter: ['name == "tcp_open_total"'],
        statements: ['delete_key(attributes, "srv_name")'],
        processors: ['memory_limiter', 'filter/meshlens-budget', 'transform/meshlens-budget', 'batch'],
      },
      [],
    ],
    [
      'a label of a histogram is a label of all of it',
      { labels: [{ label: 'client_id', families: ['response_latency_ms_bucket'] }], families: [] },
      {
        filter: undefined,
        statements: ['delete_key(attributes, "client_id") where metric.name == "response_latency_ms"'],
        processors: ['memory_limiter', 'transform/meshlens-budget', 'batch'],
      },
      [
        'client_id is removed from all of response_latency_ms (response_latency_ms_bucket, response_latency_ms_sum, ' +
          'response_latency_ms_count): in the Collector a histogram is one metric.',
      ],
    ],
  ];

  it.each(cases)('%s', (_, selection, expected, caveats) => {
    const snippet = ottlSnippet(selection);
    expect(snippet.method).toBe('ottl');
    expect(snippet.note).toBe(OTTL_NOTE);
    expect(ottl(snippet.yaml)).toEqual(expected);
    expect(snippet.caveats).toEqual(caveats);
    expect(snippet.skipped).toEqual([]);
  });

  it('leaves out part of a histogram, which the Collector cannot drop on its own', () => {
    const snippet = ottlSnippet({ labels: [], families: ['response_latency_ms_sum', 'response_latency_ms_count'] });
    expect(snippet.skipped.map((s) => s.what)).toEqual([
      'family response_latency_ms_count',
      'family response_latency_ms_sum',
    ]);
    expect(snippet.skipped[0].reason).toMatch(/histogram is one metric/);
    expect(parse(snippet.yaml)).toBeNull();
    expect(snippet.yaml).toContain('# Nothing to drop with OTTL.');
    expect(snippet.yaml).toContain('# Left out: family response_latency_ms_count:');
  });

  it('drops no labels of a metric the filter already drops', () => {
    const snippet = ottlSnippet({ labels: [{ label: 'client_id', families: LATENCY }], families: LATENCY });
    expect(ottl(snippet.yaml).statements).toBeUndefined();
  });

  it.each([
    ['request_total', false, 'request_total'],
    ['request_total', true, 'request'],
    ['tcp_open_connections', true, 'tcp_open_connections'],
    ['response_latency_ms_count', true, 'response_latency_ms'],
    ['response_latency_ms_bucket', false, 'response_latency_ms'],
  ])('%s is %s inside the Collector with trim_metric_suffixes %s', (family, trim, name) => {
    expect(collectorMetricName(family, trim)).toBe(name);
  });

  it('uses trimmed names when the receiver trims suffixes', () => {
    const snippet = ottlSnippet(
      { labels: [{ label: 'client_id', families: ['response_total'] }], families: ['request_total'] },
      { trimMetricSuffixes: true }
    );
    expect(ottl(snippet.yaml)).toMatchObject({
      filter: ['name == "request"'],
      statements: ['delete_key(attributes, "client_id") where metric.name == "response"'],
    });
  });

  it.each([
    [
      ['memory_limiter', 'batch'],
      ['memory_limiter', 'filter/x', 'batch'],
    ],
    [
      ['memory_limiter', 'k8sattributes', 'batch'],
      ['memory_limiter', 'k8sattributes', 'filter/x', 'batch'],
    ],
    [['memory_limiter'], ['memory_limiter', 'filter/x']],
    [[], ['filter/x']],
  ])('fits into a pipeline with processors %j', (existing, processors) => {
    const snippet = ottlSnippet(
      { labels: [], families: ['tcp_open_total'] },
      { pipelineProcessors: existing, processorName: 'x', pipeline: 'metrics/boundary' }
    );
    expect(ottl(snippet.yaml, 'x', 'metrics/boundary').processors).toEqual(processors);
  });
});

describe('collectorSnippets', () => {
  it('gives scrape time first, then OTTL, both warning about drops that merge series', () => {
    const report = buildReport(
      {
        evaluatedAtSeconds: 0,
        requests: 0,
        absentFamilies: [],
        gaps: [],
        labelNameSyntax: 'classic',
        families: [
          {
            family: 'response_total',
            layer: 'mesh',
            series: 12,
            labels: [
              { label: 'client_id', distinctValues: 2, seriesWithout: 6 },
              { label: 'target_addr', distinctValues: 3, seriesWithout: 12 },
            ],
          },
          {
            family: 'request_total',
            layer: 'mesh',
            series: 6,
            labels: [{ label: 'client_id', distinctValues: 2, seriesWithout: 3 }],
          },
        ],
      },
      { settings: DEFAULT_SETTINGS }
    );
    const snippets = collectorSnippets(
      { labels: [{ label: 'client_id' }, { label: 'target_addr' }], families: ['request_total'] },
      { report }
    );
    expect(snippets.map((s) => s.method)).toEqual(['scrape-time', 'ottl']);
    for (const snippet of snippets) {
      expect(snippet.caveats).toEqual([
        'Dropping client_id merges series that differed only by it (response_total 12 → 6): the merged series ' +
          'collide, and only one of their values survives each scrape, not their sum.',
      ]);
    }
  });
});
