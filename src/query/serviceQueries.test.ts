import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import {
  appServiceFor,
  boundaryLatencyQueries,
  callersRate,
  failureMatcherSets,
  meshWorkloadRate,
  RATE_WINDOW,
  requestRateQueries,
  statusQueries,
  successQueries,
  tcpQueries,
  type ServiceRef,
} from './serviceQueries';

const REF: ServiceRef = { namespace: 'shop', workload: 'payments' };

function errorCount(expr: string): number {
  let errors = 0;
  parser.parse(expr.split(RATE_WINDOW).join('1m')).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors++;
      }
    },
  });
  return errors;
}

const LINKERD: AppSettings = {
  ...DEFAULT_SETTINGS,
  labelSchema: 'linkerd',
  meshSelector: DEFAULT_MESH_SELECTORS.linkerd,
  semconv: 'legacy',
  appServiceLabel: 'job',
};

const SETTINGS: Array<[string, AppSettings]> = [
  ['otel/stable/service_name', DEFAULT_SETTINGS],
  ['linkerd/legacy/job', LINKERD],
];

describe.each(SETTINGS)('drill-down queries with %s', (_, settings) => {
  const all = [
    ...boundaryLatencyQueries(settings, REF),
    ...successQueries(settings, REF),
    ...requestRateQueries(settings, REF),
    ...Object.values(statusQueries(settings, REF)).flat(),
    ...Object.values(tcpQueries(settings, REF)).flat(),
  ].map((q) => q.expr);
  const selector = settings.labelSchema === 'otel' ? 'layer="mesh"' : 'job="linkerd-proxy"';
  const ns = settings.labelSchema === 'otel' ? 'k8s_namespace_name' : 'namespace';

  it('all parse', () => {
    for (const expr of all) {
      expect({ expr, errors: errorCount(expr) }).toEqual({ expr, errors: 0 });
    }
  });

  it('select the workload whatever its kind when the kind is unknown, in its namespace, from mesh series', () => {
    const expr = meshWorkloadRate(settings, REF, 'response_total', []);
    const kinds =
      settings.labelSchema === 'otel'
        ? ['k8s_deployment_name', 'k8s_statefulset_name', 'k8s_job_name', 'k8s_replicaset_name']
        : ['deployment', 'statefulset', 'k8s_job', 'replicaset'];
    for (const kind of kinds) {
      expect(expr).toContain(`response_total{${selector},${ns}="shop",${kind}="payments"}[$__rate_interval]`);
    }
    expect(expr.split(' or ')).toHaveLength(7);
  });

  it('select one workload label when the kind is known', () => {
    const expr = meshWorkloadRate(settings, { ...REF, kind: 'statefulset' }, 'response_total', []);
    const label = settings.labelSchema === 'otel' ? 'k8s_statefulset_name' : 'statefulset';
    expect(expr).toBe(`rate(response_total{${selector},${ns}="shop",${label}="payments"}[$__rate_interval])`);
  });

  it('read the callers’ side from their outbound series naming the workload as destination', () => {
    const expr = callersRate(settings, { ...REF, kind: 'job' }, 'response_total', []);
    expect(expr).toBe(
      `rate(response_total{${selector},direction="outbound",dst_namespace="shop",dst_k8s_job="payments"}[$__rate_interval])`
    );
  });

  it('leave the admin server’s traffic out of every inbound chart, and read TCP on the caller’s side', () => {
    for (const q of [...successQueries(settings, REF), ...requestRateQueries(settings, REF)].filter((q) =>
      q.refId.startsWith('mesh')
    )) {
      expect(q.expr).toContain('direction="inbound",target_port!="4191"');
    }
    for (const q of Object.values(tcpQueries(settings, REF)).flat()) {
      expect(q.expr).toContain('direction="inbound",peer="src",target_port!="4191"');
      expect(q.expr).not.toContain('classification');
    }
    expect(tcpQueries(settings, REF).closeErrors[0].expr).toContain('errno!=""');
  });
});

describe('failures', () => {
  it('are the configured gRPC codes in every spelling, or the proxy’s failure where no status was readable', () => {
    const [byCode, byClassification] = failureMatcherSets(DEFAULT_SETTINGS);
    expect(byCode).toEqual([
      {
        label: 'grpc_status',
        op: '=~',
        value:
          '2|UNKNOWN|Unknown error|4|DEADLINE_EXCEEDED|Deadline expired before operation could complete|7|' +
          'PERMISSION_DENIED|The caller does not have permission to execute the specified operation|13|INTERNAL|' +
          'Internal error|14|UNAVAILABLE|The service is currently unavailable|15|DATA_LOSS|Unrecoverable data loss or corruption',
      },
    ]);
    expect(byClassification[0]).toMatchObject({ label: 'grpc_status', op: '!~' });
    expect(byClassification[0].value).toContain('|OK|');
    expect(byClassification[1]).toEqual({ label: 'classification', op: '=', value: 'failure' });
  });

  it('follow the settings', () => {
    const [byCode] = failureMatcherSets({ ...DEFAULT_SETTINGS, grpcFailureCodes: [8] });
    expect(byCode[0].value).toBe('8|RESOURCE_EXHAUSTED|Some resource has been exhausted');
  });
});

describe('app side of the drill-down', () => {
  it('converts the app p95 to milliseconds only when the convention is in seconds', () => {
    const stable = boundaryLatencyQueries(DEFAULT_SETTINGS, REF).find((q) => q.refId === 'app_p95')!.expr;
    const legacy = boundaryLatencyQueries({ ...DEFAULT_SETTINGS, semconv: 'legacy' }, REF).find(
      (q) => q.refId === 'app_p95'
    )!.expr;
    expect(stable.endsWith(' * 1000')).toBe(true);
    expect(stable).toContain(
      'http_server_request_duration_seconds_bucket{layer!="mesh",service_name="payments",service_namespace="shop"}'
    );
    expect(legacy.endsWith(' * 1000')).toBe(false);
    expect(legacy).toContain(
      'rpc_server_duration_milliseconds_bucket{layer!="mesh",service_name="payments",service_namespace="shop"}'
    );
  });

  it('selects the app in its namespace, from service_namespace or else k8s_namespace_name', () => {
    const expr = requestRateQueries(DEFAULT_SETTINGS, REF)[1].expr;
    expect(expr).toContain('{layer!="mesh",service_name="payments",service_namespace="shop"}');
    expect(expr).toContain('{layer!="mesh",service_name="payments",service_namespace="",k8s_namespace_name="shop"}');
  });

  it('selects an app without namespace by its bare job', () => {
    const expr = requestRateQueries(LINKERD, { namespace: '', workload: 'billing' })[1].expr;
    expect(expr).toContain('job="billing"');
    expect(expr).not.toContain('job="/billing"');
    expect(requestRateQueries(LINKERD, REF)[1].expr).toContain('job="shop/payments"');
  });

  it('uses the join override’s app service name', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
    };
    expect(appServiceFor(settings, { namespace: 'shop', workload: 'currency' })).toBe('currency-api');
    expect(appServiceFor(settings, { namespace: 'other', workload: 'currency' })).toBe('currency');
    const success = successQueries(settings, { namespace: 'shop', workload: 'currency' })[2].expr;
    expect(success).toContain('service_name="currency-api"');
  });

  it('counts HTTP 5xx and the configured RPC codes as app errors, and zero errors as full success', () => {
    const expr = successQueries(DEFAULT_SETTINGS, REF)[2].expr;
    expect(expr).toContain('http_response_status_code=~"5.."');
    expect(expr).toContain('rpc_response_status_code=~"2|UNKNOWN|Unknown error|4|');
    expect(expr).toMatch(/^1 - \(sum\(.*\) or vector\(0\)\) \/ sum\(/);
  });

  it('escapes hostile names in every selector', () => {
    const expr = requestRateQueries(DEFAULT_SETTINGS, { namespace: 'a"b', workload: 'c\\d' })[0].expr;
    expect(expr).toContain('k8s_namespace_name="a\\"b"');
    expect(expr).toContain('k8s_deployment_name="c\\\\d"');
    expect(errorCount(expr)).toBe(0);
  });
});

describe.each(SETTINGS)('a chart’s baseline with %s: the same queries read an hour earlier', (_, settings) => {
  const build = (options = {}) => [
    ...boundaryLatencyQueries(settings, REF, options),
    ...successQueries(settings, REF, options),
    ...requestRateQueries(settings, REF, options),
    ...Object.values(statusQueries(settings, REF, options)).flat(),
  ];
  const reads = (expr: string) => {
    const found = { ranges: 0, offsets: [] as string[] };
    parser.parse(expr.split(RATE_WINDOW).join('1m')).iterate({
      enter: (node) => {
        if (node.name === 'MatrixSelector') {
          found.ranges++;
        }
        if (node.name === 'OffsetDurationExpr') {
          found.offsets.push(expr.split(RATE_WINDOW).join('1m').slice(node.from, node.to));
        }
      },
    });
    return found;
  };

  it('puts the offset on every range read, and changes nothing else', () => {
    const now = build();
    const earlier = build({ offsetSeconds: 3600 });
    expect(earlier.map((q) => [q.refId, q.legendFormat])).toEqual(now.map((q) => [q.refId, q.legendFormat]));
    earlier.forEach((q, i) => {
      const { ranges, offsets } = reads(q.expr);
      expect(errorCount(q.expr)).toBe(0);
      expect(ranges).toBeGreaterThan(0);
      expect(offsets).toEqual(Array(ranges).fill('3600s'));
      expect(q.expr.replace(/ offset 3600s/g, '')).toBe(now[i].expr);
    });
  });
});
