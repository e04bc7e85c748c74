/**
 * Linkerd's own formulas as a reference: on the same store, loaded as linkerd-viz's Prometheus holds it, the
 * success rate, request rate and p95 that Linkerd Viz computes (linkerd2 `viz/metrics-api/stat_summary.go`:
 * `sum(increase(response_total{…}[w])) by (namespace, <kind>, classification, tls)` and
 * `histogram_quantile(q, sum(irate(response_latency_ms_bucket{…}[w])) by (le, namespace, <kind>))`, with
 * `direction="inbound"` and nothing else, as `grafana/dashboards/deployment.json` does) agree with Mesh Lens per
 * workload where the definitions coincide; where they differ by design, the difference is asserted:
 *   - admin traffic: Viz counts the proxies' own scrapes and probes (port 4191), Mesh Lens leaves them out;
 *   - the gRPC trap on Linkerd stable-2.14.1: the callee's proxy counts failed gRPC calls as successes, so Viz
 *     shows them healthy while Mesh Lens flags the trap from the callers' proxies.
 */
import { runOverview } from '../../src/boundary/runOverview';
import type { ServiceRow } from '../../src/boundary/types';
import { demoScenario, scenarioOverrides } from '../../generator/scenarios';
import type { ProxyGenerationId } from '../../generator/linkerd/generations';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { MESH_LABELS } from '../../src/query/schema';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings } from '../../src/settings/types';
import { loadScenarioInto, type LoadedStore } from './harness';

const WINDOW_MINUTES = 30;
const KIND_LABELS = MESH_LABELS.linkerd.workloads.map((w) => w.label).join(', ');

/** stat_summary.go's request query, the window as a whole number of seconds. */
function vizRequests(window: string): string {
  return `sum(increase(response_total{direction="inbound"}[${window}])) by (namespace, ${KIND_LABELS}, classification, tls)`;
}

/**
 * stat_summary.go's latency query, with `rate` where Viz writes `irate`: irate reads only the window's last two
 * samples, whose whole-request counts make it jitter by more than a bucket; on steady traffic both estimate the
 * same figure, and rate over the window is the one that can be compared exactly.
 */
function vizP95(window: string): string {
  return `histogram_quantile(0.95, sum(rate(response_latency_ms_bucket{direction="inbound"}[${window}])) by (le, namespace, ${KIND_LABELS}))`;
}

interface VizFigures {
  rps: number;
  successRate?: number;
  p95?: number;
}

function keyOf(labels: Record<string, string>): string {
  const workload = MESH_LABELS.linkerd.workloads.map((w) => labels[w.label]).find(Boolean) ?? '';
  return `${labels.namespace}/${workload}`;
}

describe.each<ProxyGenerationId>(['2.20', '2.14.1'])(
  'Linkerd Viz’s formulas next to Mesh Lens (Linkerd %s)',
  (proxy) => {
    const scenario = { ...demoScenario(), proxy };
    const settings: AppSettings = {
      ...DEFAULT_SETTINGS,
      metricsDatasourceUid: 'test',
      labelSchema: 'linkerd',
      meshSelector: DEFAULT_MESH_SELECTORS.linkerd,
      joinOverrides: scenarioOverrides(scenario),
    };
    const truth = new Map(
      computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds }).map((t) => [t.key, t])
    );
    let loaded: LoadedStore;
    let rows: Map<string, ServiceRow>;
    let viz: Map<string, VizFigures>;

    beforeAll(async () => {
      loaded = await loadScenarioInto('victoria-metrics', scenario, {
        schema: 'linkerd',
        semconv: 'stable',
        minutes: 45,
      });
      const window = loaded.window(WINDOW_MINUTES);
      const seconds = `${WINDOW_MINUTES * 60}s`;
      rows = new Map((await runOverview(loaded.api, settings, window)).rows.map((r) => [r.key, r]));
      const counts = await loaded.api.instant(vizRequests(seconds), window.to);
      const p95 = await loaded.api.instant(vizP95(seconds), window.to);
      viz = new Map();
      for (const { labels, value } of counts) {
        const figures = viz.get(keyOf(labels)) ?? { rps: 0, successRate: 0 };
        figures.rps += value / (WINDOW_MINUTES * 60);
        // The success share is summed as a count first, divided below.
        figures.successRate! += labels.classification === 'success' ? value / (WINDOW_MINUTES * 60) : 0;
        viz.set(keyOf(labels), figures);
      }
      for (const figures of viz.values()) {
        figures.successRate = figures.rps > 0 ? figures.successRate! / figures.rps : undefined;
      }
      for (const { labels, value } of p95) {
        const figures = viz.get(keyOf(labels));
        if (figures && Number.isFinite(value)) {
          figures.p95 = value;
        }
      }
    });

    afterAll(async () => {
      await loaded?.store.stop();
    });

    const meshed = () =>
      [...truth.values()].filter(
        (t): t is ServiceTruth & { mesh: NonNullable<ServiceTruth['mesh']> } => Boolean(t.mesh) && t.mesh!.rps > 0
      );

    it('requests: Viz counts the admin server’s scrapes and probes on top of what Mesh Lens counts', () => {
      for (const t of meshed()) {
        const row = rows.get(t.key)!;
        const figures = viz.get(t.key)!;
        const admin = t.mesh.linkerdViz.rps - t.mesh.rps;
        expect(admin).toBeGreaterThan(0.2);
        // Viz = Mesh Lens + admin traffic, within 1 %.
        expect(Math.abs(figures.rps - (row.mesh!.rps + admin)) / figures.rps).toBeLessThan(0.01);
        expect(Math.abs(figures.rps - t.mesh.linkerdViz.rps) / figures.rps).toBeLessThan(0.01);
      }
    });

    it('success: the same where the proxy classified, admin successes aside; Viz blind to the trap where it did not', () => {
      for (const t of meshed()) {
        const row = rows.get(t.key)!;
        const figures = viz.get(t.key)!;
        expect({ key: t.key, success: figures.successRate }).toEqual({
          key: t.key,
          success: expect.closeTo(t.mesh.linkerdViz.successRate!, 3),
        });
        // Without the admin traffic, Viz's formula gives Mesh Lens' figure wherever the proxy classified gRPC.
        const admin = t.mesh.linkerdViz.rps - t.mesh.rps;
        const withoutAdmin = (figures.successRate! * figures.rps - admin) / (figures.rps - admin);
        const classified = proxy === '2.20' || t.key !== 'shop/payments';
        if (classified) {
          expect({ key: t.key, success: withoutAdmin }).toEqual({
            key: t.key,
            success: expect.closeTo(row.mesh!.successRate!, 3),
          });
        } else {
          // stable-2.14.1: payments fails 8 % in gRPC trailers; its proxy calls every one a success.
          expect(withoutAdmin).toBeCloseTo(1, 6);
          expect(row.mesh!.grpcTrapShare).toBeCloseTo(0.08, 3);
          expect(row.mesh!.trapEvidence).toBe('callers');
          expect(row.flags.map((f) => f.id)).toContain('grpc-trap');
        }
      }
    });

    it('p95: the admin server’s fast requests pull Viz’s p95 down; each equals its own definition', () => {
      for (const t of meshed()) {
        const row = rows.get(t.key)!;
        const figures = viz.get(t.key)!;
        const expected = t.mesh.linkerdViz.p95!;
        const slack = 0.05 * (expected.upper - expected.lower) + 1e-6;
        expect({ key: t.key, off: Math.abs(figures.p95! - expected.expected) <= slack }).toEqual({
          key: t.key,
          off: true,
        });
        expect(row.mesh!.latency.p95!).toBeGreaterThanOrEqual(figures.p95! - slack);
      }
    });
  }
);
