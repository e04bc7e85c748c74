/**
 * The imitation held to a real proxy's `/metrics`: linkerd2's `testutil/prommatch/testdata/sampleMetrics.txt`
 * (copied verbatim to ./testdata/sampleMetrics.txt, whose first line names the source). linkerd2's
 * `.proxy-version` at that file's commit (58650b655ec0) is v2.179.0, but the capture's own
 * `proxy_build_info{git_sha="279b301"}` is linkerd2-proxy 279b30105c6d = `release/v2.175.0`. No label was added or
 * removed between v2.175.0 and v2.179.0 in the files that write these families (`git diff release/v2.175.0
 * release/v2.179.0 -- linkerd/app/core/src/metrics.rs linkerd/app/core/src/transport/labels.rs
 * linkerd/transport-metrics linkerd/http-metrics`), so either reading gives the same deltas below.
 *
 * The generator's oldest generation, 2.14.1, runs proxy v2.210.0: for every (family, direction, peer) in the
 * sample, its label names must be the sample's, plus the labels the proxy gained in between (VERSION_DELTAS), plus
 * those the sample's traffic could not show (TRAFFIC_DELTAS), and minus nothing.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { proxyEndpoints, proxyMetricsText } from '../generate';
import { parseScenario, type Scenario } from '../scenario';
import type { LabelSchema } from '../../src/settings/types';

interface Sample {
  name: string;
  /** In the order written. */
  labels: Array<[string, string]>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  help: Map<string, string>;
  type: Map<string, string>;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;

/** A small reader of the Prometheus text format: `# HELP`, `# TYPE`, other comments skipped, samples in order. */
function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], help: new Map(), type: new Map() };
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      exposition[meta[1] === 'HELP' ? 'help' : 'type'].set(meta[2], meta[3]);
      continue;
    }
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (!match) {
      throw new Error(`not a sample line: ${line}`);
    }
    const labels: Array<[string, string]> = [];
    let rest = match[2] ?? '';
    while (rest !== '') {
      const label = LABEL.exec(rest);
      if (!label) {
        throw new Error(`bad labels in: ${line}`);
      }
      labels.push([label[1], label[2]]);
      rest = rest.slice(label[0].length);
    }
    exposition.samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return exposition;
}

const SAMPLE_TEXT = readFileSync(join(__dirname, 'testdata', 'sampleMetrics.txt'), 'utf8');
const SAMPLE = parseExposition(SAMPLE_TEXT);

const names = (s: Sample) => s.labels.map(([name]) => name);
const label = (s: Sample, name: string) => s.labels.find(([n]) => n === name)?.[1];
/** The comparison key: the metric name (histogram parts apart), `direction` and `peer`. */
const groupOf = (s: Sample) => `${s.name}|${label(s, 'direction') ?? ''}|${label(s, 'peer') ?? ''}`;

const HTTP_FAMILIES = [
  'request_total',
  'response_total',
  'response_latency_ms_bucket',
  'response_latency_ms_count',
  'response_latency_ms_sum',
];
const TCP_FAMILIES = [
  'tcp_open_total',
  'tcp_open_connections',
  'tcp_read_bytes_total',
  'tcp_write_bytes_total',
  'tcp_close_total',
];

interface Group {
  name: string;
  direction: string;
  peer: string;
}

function parseGroup(key: string): Group {
  const [name, direction, peer] = key.split('|');
  return { name, direction, peer };
}

const inboundHttp = (g: Group) => g.direction === 'inbound' && HTTP_FAMILIES.includes(g.name);
const inboundTcpSrc = (g: Group) => g.direction === 'inbound' && g.peer === 'src' && TCP_FAMILIES.includes(g.name);
const classified = (g: Group) => g.name === 'response_total' || g.name === 'control_response_total';

interface Delta {
  labels: string[];
  applies: (g: Group) => boolean;
  /** linkerd2-proxy commit, its first release tag (`git tag --contains`), and its title. */
  commit: string;
  release: string;
  title: string;
  what: string;
}

/**
 * Labels linkerd2-proxy added between the sample's proxy (v2.175.0–v2.179.0) and v2.210.0 (Linkerd stable-2.14.1),
 * found with `git log -S<label> release/v2.179.0..release/v2.210.0 -- linkerd/app/core/src/metrics.rs
 * linkerd/app/core/src/transport/labels.rs`.
 */
const VERSION_DELTAS: Delta[] = [
  {
    labels: ['srv_group'],
    applies: (g) => inboundHttp(g) || inboundTcpSrc(g),
    commit: '5859529bcfeca38d8769cb5827670834aeff3163',
    release: 'v2.180.0',
    title: "Add 'group' labels to describe policy resources (#1738)",
    what: '`ServerLabel` writes `srv_group` before `srv_kind,srv_name`: HTTP and TCP inbound series',
  },
  {
    labels: ['authz_group'],
    applies: inboundHttp,
    commit: '5859529bcfeca38d8769cb5827670834aeff3163',
    release: 'v2.180.0',
    title: "Add 'group' labels to describe policy resources (#1738)",
    what: 'the authorization labels gain `authz_group` before `authz_kind,authz_name`: HTTP inbound series',
  },
  {
    labels: ['route_group', 'route_kind', 'route_name'],
    applies: inboundHttp,
    commit: 'a32f1b02cdb60cb67a6ac05ee78dbd91ee97cfbd',
    release: 'v2.182.0',
    title: 'inbound: Add route authorization labels (#1774)',
    what: '`RouteLabels` between the server and the authorization labels: HTTP inbound series (not TCP)',
  },
  {
    labels: ['grpc_status', 'error'],
    applies: classified,
    commit: 'ecaaf39b4651540548e835613855cf7c39895969',
    release: 'v2.194.0',
    title: 'Configure response classifiers from ClientPolicy routes (#2324)',
    what:
      '`Class::Http` writes `classification,grpc_status="",error=""` where `Class::Default` wrote `classification` ' +
      'alone; every class now writes both (the control-plane client shares the code, prefix `control_`)',
  },
];

/**
 * Labels the generator writes that the sample cannot show, because the captured pod (a slow-cooker client) had
 * no such traffic. Each exists in both proxy versions; the source is given as of `release/v2.210.0`.
 */
const TRAFFIC_DELTAS: Array<Omit<Delta, 'commit' | 'release' | 'title'> & { source: string }> = [
  {
    // The brief for this test listed it as a version delta; it is not one (same code at v2.179.0).
    labels: ['authority'],
    applies: inboundHttp,
    source:
      'linkerd/app/inbound/src/http/router.rs `impl Param<metrics::EndpointLabels> for Logical` (`authority: ' +
      'self.logical…as_http_authority()`) vs linkerd/app/admin/src/stack.rs (`authority: None`)',
    what: "application traffic carries the request's authority; the sample's only inbound HTTP traffic is the admin server's, which never does",
  },
  {
    labels: ['authority', 'dst_service'],
    applies: (g) => g.direction === 'outbound' && g.peer === 'dst',
    source:
      'linkerd/app/outbound/src/http/concrete.rs `Param<OutboundEndpointLabels>` (`authority: self.parent.param()`); ' +
      'linkerd2 controller/api/destination/watcher/port_publisher.go `metricLabels` (`service`)',
    what: "the generator's callers call a Service (balancer authority, set-level `service` label); the sample's one connection went to a pod address",
  },
  {
    labels: ['client_id'],
    applies: (g) => g.direction === 'inbound' && g.peer !== 'dst',
    source:
      'linkerd/app/core/src/transport/labels.rs `TlsAccept`: `tls="true",client_id=…` or `tls="no_identity",no_tls_reason=…`',
    what: "meshed callers (and linkerd-viz's meshed Prometheus) are accepted with their identity; every caller in the sample was unmeshed",
  },
];

/** Families in the sample the generator does not imitate: Mesh Lens reads none of them. */
const NOT_IMITATED = [
  'inbound_http_authz_allow_total',
  'identity_cert_expiration_timestamp_seconds',
  'identity_cert_refresh_count',
  'control_request_total',
  'control_response_latency_ms_bucket',
  'control_response_latency_ms_count',
  'control_response_latency_ms_sum',
  // Removed from later proxies (OpenCensus tracing).
  'opencensus_span_export_streams',
  'opencensus_span_export_requests',
  'opencensus_span_exports',
  'stack_create_total',
  'stack_drop_total',
  'stack_poll_total',
  'stack_poll_total_ms',
  // linkerd2's Grafana dashboards template their variables from process_start_time_seconds (not imitated).
  'process_start_time_seconds',
  'process_virtual_memory_bytes',
  'process_resident_memory_bytes',
  'process_open_fds',
  'process_max_fds',
  'proxy_build_info',
];

/**
 * (family, direction, peer) the generator writes that the sample has no example of; generator/linkerd/proxy.test.ts
 * covers them: outbound HTTP (the sample's client only made an opaque TCP connection), the inbound loopback
 * connection to the app (the sample's pod served no application traffic) and closed outbound connections.
 */
const NOT_IN_SAMPLE = [
  'request_total|outbound|',
  'response_total|outbound|',
  'response_latency_ms_bucket|outbound|',
  'response_latency_ms_count|outbound|',
  'response_latency_ms_sum|outbound|',
  ...TCP_FAMILIES.map((f) => `${f}|inbound|dst`),
  'tcp_close_total|outbound|dst',
  'tcp_close_total|outbound|src',
];

/** Label names of a group after the deltas: what the generator must write. */
function expectedNames(key: string, sampleNames: Set<string>): Set<string> {
  const group = parseGroup(key);
  const expected = new Set(sampleNames);
  for (const delta of [...VERSION_DELTAS, ...TRAFFIC_DELTAS]) {
    if (delta.applies(group)) {
      delta.labels.forEach((l) => expected.add(l));
    }
  }
  return expected;
}

/**
 * A generated series' label names as the sample's proxy would have written them: without the version and
 * traffic deltas, and with the TLS alternative a meshed caller gets mapped back to an unmeshed one's.
 */
function asSampleProxyWouldWrite(key: string, labelNames: string[]): string[] {
  const group = parseGroup(key);
  const added = new Set(
    [...VERSION_DELTAS, ...TRAFFIC_DELTAS.filter((d) => !d.labels.includes('client_id'))]
      .filter((d) => d.applies(group))
      .flatMap((d) => d.labels)
  );
  return labelNames.filter((n) => !added.has(n)).map((n) => (n === 'client_id' ? 'no_tls_reason' : n));
}

/**
 * Deployments like the sample's pods, with every outcome the 2.14.1 generation writes differently: an HTTP service
 * whose proxy cannot always reach its app (502s and reset connections) and with app errors, a gRPC service with
 * failures, a caller whose own proxy fails some calls, meshed and unmeshed callers.
 */
function scenario(): Scenario {
  const app = { appLatencyMs: { median: 8, p95: 30 }, pods: 2 };
  return parseScenario({
    name: 'upstream-sample',
    seed: 58650,
    proxy: '2.14.1',
    services: [
      {
        ...app,
        namespace: 'emojivoto',
        name: 'web',
        protocol: 'http',
        rps: 30,
        httpErrorRate: 0.01,
        boundaryFailureRate: 0.05,
        callers: [{ workload: 'slow-cooker', share: 0.6 }],
      },
      {
        ...app,
        namespace: 'emojivoto',
        name: 'emoji',
        protocol: 'grpc',
        rps: 20,
        grpcFailures: { rate: 0.1, codes: { UNAVAILABLE: 1, NOT_FOUND: 1 } },
        callers: [{ workload: 'web', share: 1, failureRate: 0.02 }],
      },
      { ...app, namespace: 'emojivoto', name: 'slow-cooker', protocol: 'http', rps: 2 },
    ],
  });
}

/** Each of the generator's proxies' `/metrics`, read back with the same parser as the sample. */
function generatedByProxy(world: LabelSchema): Sample[][] {
  return proxyEndpoints(scenario(), 'stable', world).map(
    (endpoint) => parseExposition(proxyMetricsText(endpoint, 3_600_000, 0)).samples
  );
}

const generated = (world: LabelSchema): Sample[] => generatedByProxy(world).flat();

function namesByGroup(samples: Sample[]): Map<string, Set<string>> {
  const byGroup = new Map<string, Set<string>>();
  for (const s of samples) {
    const set = byGroup.get(groupOf(s)) ?? new Set<string>();
    names(s).forEach((n) => set.add(n));
    byGroup.set(groupOf(s), set);
  }
  return byGroup;
}

const sorted = (set: Iterable<string>) => [...set].sort();

describe('the upstream sample (testdata/sampleMetrics.txt)', () => {
  it('is the verbatim copy, with one comment line naming its source, which the parser skips', () => {
    const [first, ...rest] = SAMPLE_TEXT.split('\n');
    expect(first).toMatch(
      /^# source: github\.com\/linkerd\/linkerd2 path=testutil\/prommatch\/testdata\/sampleMetrics\.txt commit=58650b655ec09ab83c745bfc5883fc264e87acd1 /
    );
    expect(rest[0]).toBe('#');
    expect(SAMPLE.samples.length).toBe(SAMPLE_TEXT.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length);
    expect(SAMPLE.samples.some((s) => s.name.startsWith('#'))).toBe(false);
    expect(SAMPLE.samples.find((s) => s.name === 'proxy_build_info')?.labels).toContainEqual(['git_sha', '279b301']);
  });

  it('has every family either compared below or listed as not imitated', () => {
    const generatedNames = new Set(generated('otel').map((s) => s.name));
    const sampleNames = new Set(SAMPLE.samples.map((s) => s.name));
    for (const name of sampleNames) {
      expect([name, generatedNames.has(name) || NOT_IMITATED.includes(name)]).toEqual([name, true]);
    }
    // The list stays honest: nothing listed is imitated after all.
    expect(NOT_IMITATED.filter((name) => generatedNames.has(name))).toEqual([]);
    expect(NOT_IMITATED.filter((name) => !sampleNames.has(name))).toEqual([]);
  });
});

describe.each<LabelSchema>(['otel', 'linkerd'])(
  'the 2.14.1 generation against the upstream sample (%s world)',
  (world) => {
    const ours = generated(world);
    const sampleGroups = namesByGroup(SAMPLE.samples.filter((s) => !NOT_IMITATED.includes(s.name)));
    const ourGroups = namesByGroup(ours);

    it('writes every (family, direction, peer) of the sample, and only those or the listed ones', () => {
      expect(sampleGroups.size).toBeGreaterThan(10);
      for (const key of sampleGroups.keys()) {
        expect([key, ourGroups.has(key)]).toEqual([key, true]);
      }
      expect(sorted([...ourGroups.keys()].filter((key) => !sampleGroups.has(key)))).toEqual(sorted(NOT_IN_SAMPLE));
    });

    it('writes, per (family, direction, peer), the sample’s label names plus the documented deltas, minus nothing', () => {
      const problems: string[] = [];
      for (const [key, sampleNames] of sampleGroups) {
        const expected = sorted(expectedNames(key, sampleNames));
        const actual = sorted(ourGroups.get(key) ?? []);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          problems.push(`${key}: ours [${actual}] vs sample + deltas [${expected}]`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('writes each series’ labels in the sample’s order, once the deltas are taken out', () => {
      const sampleShapes = new Map<string, Set<string>>();
      for (const s of SAMPLE.samples) {
        const shapes = sampleShapes.get(groupOf(s)) ?? new Set<string>();
        shapes.add(names(s).join(','));
        sampleShapes.set(groupOf(s), shapes);
      }
      const problems = new Set<string>();
      for (const s of ours.filter((x) => sampleGroups.has(groupOf(x)))) {
        const shape = asSampleProxyWouldWrite(groupOf(s), names(s)).join(',');
        if (!sampleShapes.get(groupOf(s))!.has(shape)) {
          problems.add(`${groupOf(s)}: ${shape} not in ${[...sampleShapes.get(groupOf(s))!].join(' | ')}`);
        }
      }
      expect([...problems]).toEqual([]);
    });

    it('adds every delta label where the deltas say, in the order proxy v2.210.0 writes them', () => {
      const request = ours.find((s) => s.name === 'request_total' && label(s, 'target_port') === '8080')!;
      expect(names(request)).toEqual([
        'direction',
        'authority',
        'target_addr',
        'target_ip',
        'target_port',
        'tls',
        'client_id',
        'srv_group',
        'srv_kind',
        'srv_name',
        'route_group',
        'route_kind',
        'route_name',
        'authz_group',
        'authz_kind',
        'authz_name',
      ]);
      const response = ours.find((s) => s.name === 'response_total' && label(s, 'direction') === 'inbound')!;
      expect(names(response).slice(-4)).toEqual(['status_code', 'classification', 'grpc_status', 'error']);
    });
  }
);

describe('latency buckets', () => {
  /** The `le` values of each response_latency_ms series, in the order written. */
  function leLists(samples: Sample[]): string[][] {
    const bySeries = new Map<string, string[]>();
    for (const s of samples.filter((x) => x.name === 'response_latency_ms_bucket')) {
      const key = JSON.stringify(s.labels.filter(([n]) => n !== 'le'));
      bySeries.set(key, [...(bySeries.get(key) ?? []), label(s, 'le')!]);
    }
    return [...bySeries.values()];
  }

  it('are the sample’s bounds exactly, written the same way', () => {
    const [sampleLe, ...others] = leLists(SAMPLE.samples);
    expect(others).toEqual([]);
    expect(sampleLe).toHaveLength(26);
    expect(sampleLe.slice(0, 3)).toEqual(['1', '2', '3']);
    const ours = generatedByProxy('otel').flatMap(leLists);
    expect(ours.length).toBeGreaterThan(10);
    for (const le of ours) {
      expect(le).toEqual(sampleLe);
    }
  });
});

describe('admin-port series (target_addr="0.0.0.0:4191")', () => {
  const isAdmin = (s: Sample) => label(s, 'target_addr') === '0.0.0.0:4191';
  const sampleAdmin = SAMPLE.samples.filter((s) => isAdmin(s) && !NOT_IMITATED.includes(s.name));
  // The otel world's scraper is the unmeshed Collector, as the sample's was.
  const ourAdmin = generated('otel').filter(isAdmin);

  it('exist in the same families, all inbound, TCP on the accepting side only', () => {
    const families = (samples: Sample[]) => sorted(new Set(samples.map(groupOf)));
    expect(families(sampleAdmin)).toEqual([
      'request_total|inbound|',
      'response_latency_ms_bucket|inbound|',
      'response_latency_ms_count|inbound|',
      'response_latency_ms_sum|inbound|',
      'response_total|inbound|',
      'tcp_close_total|inbound|src',
      'tcp_open_connections|inbound|src',
      'tcp_open_total|inbound|src',
      'tcp_read_bytes_total|inbound|src',
      'tcp_write_bytes_total|inbound|src',
    ]);
    expect(families(ourAdmin)).toEqual(families(sampleAdmin));
  });

  it('have the sample’s shape and values once the version deltas are taken out', () => {
    const shared = ['target_addr', 'target_ip', 'target_port', 'tls', 'no_tls_reason', 'srv_kind', 'srv_name'];
    const sampleByGroup = new Map(sampleAdmin.map((s) => [groupOf(s), s]));
    for (const s of ourAdmin) {
      const upstream = sampleByGroup.get(groupOf(s))!;
      expect(asSampleProxyWouldWrite(groupOf(s), names(s))).toEqual(names(upstream));
      for (const name of shared) {
        expect([name, label(s, name)]).toEqual([name, label(upstream, name)]);
      }
      // Prometheus' scrapes take the default route with the default policy's authorization, as in the sample;
      // the kubelet's probes the generated `probe` route (which the sample's proxy predates).
      if (label(s, 'route_name') === 'default') {
        expect(label(s, 'authz_name')).toBe(label(upstream, 'authz_name'));
      }
      if (s.name === 'tcp_close_total') {
        expect(label(s, 'errno')).toBe('');
      }
      expect(label(s, 'authority')).toBeUndefined();
    }
    expect(new Set(ourAdmin.map((s) => label(s, 'route_name')))).toEqual(new Set(['default', 'probe', undefined]));
  });
});

describe('HELP and TYPE lines', () => {
  it('match the sample for every family both write', () => {
    const ours = parseExposition(
      proxyEndpoints(scenario(), 'stable', 'otel')
        .map((e) => proxyMetricsText(e, 3_600_000, 0))
        .join('')
    );
    const shared = [...ours.type.keys()].filter((name) => SAMPLE.type.has(name));
    expect(sorted(shared)).toEqual(
      sorted([
        'request_total',
        'response_total',
        'response_latency_ms',
        ...TCP_FAMILIES,
        'control_response_total',
        'process_cpu_seconds_total',
      ])
    );
    for (const name of shared) {
      expect([name, ours.type.get(name), ours.help.get(name)]).toEqual([
        name,
        SAMPLE.type.get(name),
        SAMPLE.help.get(name),
      ]);
    }
  });
});
