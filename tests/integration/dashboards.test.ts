import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { otlpTraceSource } from '../../generator/otlp';
import { demoScenario } from '../../generator/scenarios';
import { LINKERD_GRPC_FAILURE_CODES } from '../../src/settings/types';
import { evaluateTraceQL, groupTraces } from '../shared/traceqlEvaluator';
import { loadScenarioInto, type LoadedStore } from './harness';

interface Target {
  refId: string;
  expr: string;
}
interface Panel {
  title: string;
  targets: Target[];
}

const DIR = join(__dirname, '../../src/dashboards');
const DASHBOARDS = readdirSync(DIR).filter((f) => f.endsWith('.json'));

interface Selection {
  service: string;
  /** The `kind` variable's value: the label naming the workload. */
  kind: string;
}

/** The demo's gRPC-trap service (a deployment) and its catalog (a statefulset). */
const TRAP: Selection = { service: 'payments', kind: 'k8s_deployment_name' };
const STATEFULSET: Selection = { service: 'catalog', kind: 'k8s_statefulset_name' };

/** What Grafana would put in for the template variables. */
function interpolate(expr: string, selection: Selection = TRAP): string {
  return expr
    .replace(/\$namespace/g, 'shop')
    .replace(/\$\{kind\}/g, selection.kind)
    .replace(/\$service/g, selection.service)
    .replace(/\$__rate_interval/g, '1m');
}

describe('provisioned dashboards on the demo scenario', () => {
  let loaded: LoadedStore;
  beforeAll(async () => {
    loaded = await loadScenarioInto('victoria-metrics', demoScenario(), {
      schema: 'otel',
      semconv: 'stable',
      minutes: 30,
    });
  });
  afterAll(async () => {
    await loaded?.store.stop();
  });

  it('ships both dashboards, each with a datasource variable and no hard-coded datasource uid', () => {
    expect(DASHBOARDS.sort()).toEqual(['mesh-pipeline-cost.json', 'service-boundary.json']);
    for (const file of DASHBOARDS) {
      const text = readFileSync(join(DIR, file), 'utf8');
      const dashboard = JSON.parse(text);
      expect(dashboard.templating.list[0]).toMatchObject({
        name: 'datasource',
        type: 'datasource',
        query: 'prometheus',
      });
      const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]).filter((uid) => uid !== dashboard.uid);
      expect(uids.every((uid) => uid === '${datasource}')).toBe(true);
    }
  });

  it('links the trap panel to its failing traces in Explore, on the dashboard’s traces datasource', () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; type: string; query: unknown }> };
      panels: Array<{ title: string; links?: Array<{ title: string; url: string }> }>;
    };
    expect(dashboard.templating.list.find((v) => v.name === 'traces')).toMatchObject({
      type: 'datasource',
      query: 'tempo',
    });
    const trap = dashboard.panels.find((p) => p.title.startsWith('gRPC trap'));
    const link = trap?.links?.find((l) => l.url.startsWith('/explore?'));
    const panes = JSON.parse(new URL(link!.url, 'http://grafana').searchParams.get('panes')!) as Record<
      string,
      { datasource: string; queries: Array<{ datasource: { uid: string }; query: string }> }
    >;
    const [pane] = Object.values(panes);
    expect(pane.datasource).toBe('${traces}');
    expect(pane.queries[0].datasource.uid).toBe('${traces}');
    // The dashboard cannot know the apps' conventions: it asks for Linkerd's failure codes in both generations.
    expect(pane.queries[0].query).toBe(
      '{ resource.service.name = "${service}" && kind = server && (span.rpc.response.status_code =~ ' +
        '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" || ' +
        LINKERD_GRPC_FAILURE_CODES.map((code) => `span.rpc.grpc.status_code = ${code}`).join(' || ') +
        ') }'
    );
    // Whatever the conventions, it finds exactly the failing calls of the trap's app among the generator's traces.
    for (const semconv of ['stable', 'legacy'] as const) {
      const source = otlpTraceSource(demoScenario(), { semconv, tracesPerService: 25 });
      const requests = [0, 1, 2, 3].flatMap((i) => source.requestsIn({ startMs: i * 15_000, endMs: (i + 1) * 15_000 }));
      const spans = requests.flatMap((r) => [r.clientSpan, r.serverSpan].filter((s) => s !== undefined));
      const query = pane.queries[0].query.replace('${service}', 'payments');
      const ids = (list: ReadableSpan[]) => list.map((s) => s.spanContext().spanId).sort();
      const failing = requests
        .filter((r) => r.callee === 'shop/payments' && r.serverSpan)
        .filter((r) => LINKERD_GRPC_FAILURE_CODES.includes(r.outcome.grpcCode ?? 0))
        .map((r) => r.serverSpan!);
      expect(failing.length).toBeGreaterThan(0);
      expect(ids(evaluateTraceQL(query, groupTraces(spans)))).toEqual(ids(failing));
    }
  });

  test.each([
    ['mesh-pipeline-cost.json', TRAP],
    ['service-boundary.json', TRAP],
    ['service-boundary.json', STATEFULSET],
  ] as Array<[string, Selection]>)('every panel of %s returns data for %o', async (file, selection) => {
    expect(DASHBOARDS).toContain(file);
    const dashboard = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { panels: Panel[] };
    const empty: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const samples = await loaded.api.instant(interpolate(target.expr, selection), loaded.endMs / 1000);
        if (samples.length === 0 || samples.some((s) => !Number.isFinite(s.value))) {
          empty.push(`${panel.title} / ${target.refId}`);
        }
      }
    }
    expect(empty).toEqual([]);
  });

  it('offers the services of the chosen workload kind', async () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as {
      templating: { list: Array<{ name: string; query: string | { query: string } }> };
    };
    const service = dashboard.templating.list.find((v) => v.name === 'service')!;
    const labelValues = /^label_values\((.+), (\S+)\)$/.exec(
      typeof service.query === 'string' ? service.query : service.query.query
    )!;
    const names = async (selection: Selection) => {
      const samples = await loaded.api.instant(
        `count by (${interpolate(labelValues[2], selection)}) (${interpolate(labelValues[1], selection)})`,
        loaded.endMs / 1000
      );
      return samples.map((s) => s.labels[selection.kind]).sort();
    };
    expect(await names(STATEFULSET)).toEqual(['catalog']);
    expect(await names(TRAP)).toContain('payments');
  });

  it('the boundary dashboard shows the trap: 8 % failed with HTTP 200 for payments', async () => {
    const dashboard = JSON.parse(readFileSync(join(DIR, 'service-boundary.json'), 'utf8')) as { panels: Panel[] };
    const trap = dashboard.panels.find((p) => p.title.startsWith('gRPC trap'))!.targets[0];
    const [sample] = await loaded.api.instant(interpolate(trap.expr).replaceAll('[1m]', '[10m]'), loaded.endMs / 1000);
    expect(sample.value).toBeCloseTo(0.08, 2);
  });
});
