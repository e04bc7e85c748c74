import { parser } from '@prometheus-io/lezer-promql';
import { DEFAULT_SETTINGS, type AppSettings } from '../settings/types';
import {
  appServiceFor,
  boundaryLatencyQueries,
  calleesQuery,
  callersQuery,
  grpcStatusQueries,
  meshWorkloadRate,
  RATE_WINDOW,
  requestRateQueries,
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

const SETTINGS: Array<[string, AppSettings]> = [
  ['otel/stable/service_name', DEFAULT_SETTINGS],
  ['linkerd/legacy/job', { ...DEFAULT_SETTINGS, labelSchema: 'linkerd', semconv: 'legacy', appServiceLabel: 'job' }],
];

describe.each(SETTINGS)('drill-down queries with %s', (_, settings) => {
  const all = [
    ...boundaryLatencyQueries(settings, REF),
    ...successQueries(settings, REF),
    ...requestRateQueries(settings, REF),
    ...Object.values(grpcStatusQueries(settings, REF)).flat(),
    ...Object.values(tcpQueries(settings, REF)).flat(),
  ].map((q) => q.expr);

  it('all parse', () => {
    for (const expr of [...all, callersQuery(settings, REF, '3600s'), calleesQuery(settings, REF, '3600s')]) {
      expect({ expr, errors: errorCount(expr) }).toEqual({ expr, errors: 0 });
    }
  });

  it('select the workload whatever its kind, in its namespace, from mesh series', () => {
    const expr = meshWorkloadRate(settings, REF, 'response_total', []);
    const ns = settings.labelSchema === 'otel' ? 'k8s_namespace_name' : 'namespace';
    const kinds =
      settings.labelSchema === 'otel'
        ? ['k8s_deployment_name', 'k8s_statefulset_name', 'k8s_daemonset_name']
        : ['deployment', 'statefulset', 'daemonset'];
    for (const kind of kinds) {
      expect(expr).toContain(`response_total{layer="mesh",${ns}="shop",${kind}="payments"}[$__rate_interval]`);
    }
    expect(expr.split(' or ')).toHaveLength(3);
  });
});

describe('app side of the drill-down', () => {
  it('converts the app p95 to milliseconds only when the convention is in seconds', () => {
    const stable = boundaryLatencyQueries(DEFAULT_SETTINGS, REF).find((q) => q.refId === 'app_p95')!.expr;
    const legacy = boundaryLatencyQueries({ ...DEFAULT_SETTINGS, semconv: 'legacy' }, REF).find(
      (q) => q.refId === 'app_p95'
    )!.expr;
    expect(stable.endsWith(' * 1000')).toBe(true);
    expect(stable).toContain('http_server_request_duration_seconds_bucket{layer!="mesh",service_name="payments"}');
    expect(legacy.endsWith(' * 1000')).toBe(false);
    expect(legacy).toContain('rpc_server_duration_milliseconds_bucket{layer!="mesh",service_name="payments"}');
  });

  it('uses the join override’s app service name', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      joinOverrides: [{ appService: 'currency-api', namespace: 'shop', workload: 'currency' }],
    };
    expect(appServiceFor(settings, { namespace: 'shop', workload: 'currency' })).toBe('currency-api');
    expect(appServiceFor(settings, { namespace: 'other', workload: 'currency' })).toBe('currency');
    const success = successQueries(settings, { namespace: 'shop', workload: 'currency' })[1].expr;
    expect(success).toContain('service_name="currency-api"');
  });

  it('counts HTTP 5xx and RPC statuses other than OK as app errors, and zero errors as full success', () => {
    const expr = successQueries(DEFAULT_SETTINGS, REF)[1].expr;
    expect(expr).toContain('http_response_status_code=~"5.."');
    expect(expr).toContain('rpc_response_status_code!~"0|OK"');
    expect(expr).toMatch(/^1 - \(\(sum\(.*\) or vector\(0\)\) \/ sum\(/);
  });

  it('escapes hostile names in every selector', () => {
    const expr = requestRateQueries(DEFAULT_SETTINGS, { namespace: 'a"b', workload: 'c\\d' })[0].expr;
    expect(expr).toContain('k8s_namespace_name="a\\"b"');
    expect(expr).toContain('k8s_deployment_name="c\\\\d"');
    expect(errorCount(expr)).toBe(0);
  });
});
