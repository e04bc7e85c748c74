import { runOverview } from '../../src/boundary/runOverview';
import { promDuration } from '../../src/query/promql';
import { figureQueries, type FigureId } from '../../src/query/serviceQueries';
import type { ServiceRow } from '../../src/boundary/types';
import { demoScenario, randomScenario, scenarioOverrides } from '../../generator/scenarios';
import type { Scenario } from '../../generator/scenario';
import type { ProxyGenerationId } from '../../generator/linkerd/generations';
import { computeTruth } from '../../generator/truth';
import { compareToTruth, observeRow } from '../shared/truthChecks';
import {
  DEFAULT_MESH_SELECTORS,
  DEFAULT_SETTINGS,
  type AppSettings,
  type LabelSchema,
  type SemconvVersion,
} from '../../src/settings/types';
import { loadScenarioInto, type LoadedStore, type StoreKind } from './harness';

interface Case {
  title: string;
  store: StoreKind;
  scenario: () => Scenario;
  schema: LabelSchema;
  semconv: SemconvVersion;
  /** The Linkerd proxy generation the pods run. */
  proxy: ProxyGenerationId;
}

// The demo, and held-back scenarios drawn from seeds no test was tuned to, on both stores, in both label worlds
// (the Collector pipeline; linkerd-viz's Prometheus, no layer label), for both proxy generations (Linkerd 2.20;
// stable-2.14.1, which writes gRPC statuses as text and does not classify inbound gRPC) and both conventions.
const CASES: Case[] = [
  {
    title: 'demo on VictoriaMetrics (Collector world, Linkerd 2.20, stable semconv)',
    store: 'victoria-metrics',
    scenario: demoScenario,
    schema: 'otel',
    semconv: 'stable',
    proxy: '2.20',
  },
  {
    title: 'demo on Prometheus (linkerd-viz world, Linkerd stable-2.14.1, legacy semconv)',
    store: 'prometheus',
    scenario: demoScenario,
    schema: 'linkerd',
    semconv: 'legacy',
    proxy: '2.14.1',
  },
  {
    title: 'demo on VictoriaMetrics (linkerd-viz world, Linkerd 2.20, stable semconv)',
    store: 'victoria-metrics',
    scenario: demoScenario,
    schema: 'linkerd',
    semconv: 'stable',
    proxy: '2.20',
  },
  {
    title: 'held-back seed 7331 on VictoriaMetrics (linkerd-viz world, Linkerd 2.20, legacy semconv)',
    store: 'victoria-metrics',
    scenario: () => randomScenario({ seed: 7331, services: 24, perNamespace: 9 }),
    schema: 'linkerd',
    semconv: 'legacy',
    proxy: '2.20',
  },
  {
    title: 'held-back seed 90210 on Prometheus (Collector world, Linkerd stable-2.14.1, stable semconv)',
    store: 'prometheus',
    scenario: () => randomScenario({ seed: 90210, services: 24, perNamespace: 7 }),
    schema: 'otel',
    semconv: 'stable',
    proxy: '2.14.1',
  },
];

const WINDOW_MINUTES = 30;

/** Each figure as a row shows it (the overview's columns read the same fields). */
const FIGURES: Record<FigureId, (row: ServiceRow) => number | undefined> = {
  'mesh-rps': (r) => r.mesh?.rps,
  'mesh-success': (r) => r.mesh?.successRate,
  'app-rps': (r) => r.app?.rps,
  'app-success': (r) => r.app?.successRate,
  'mesh-p50': (r) => r.mesh?.latency.p50,
  'mesh-p95': (r) => r.mesh?.latency.p95,
  'mesh-p99': (r) => r.mesh?.latency.p99,
  'app-p50': (r) => r.app?.latency.p50,
  'app-p95': (r) => r.app?.latency.p95,
  'outside-app-mean': (r) => r.outsideApp.mean,
  'outside-app-p95': (r) => r.outsideApp.p95,
};

describe.each(CASES)(
  'overview figures equal the truth: $title',
  ({ store: kind, scenario: makeScenario, schema, semconv, proxy }) => {
    const scenario = { ...makeScenario(), proxy };
    const settings: AppSettings = {
      ...DEFAULT_SETTINGS,
      metricsDatasourceUid: 'test',
      labelSchema: schema,
      meshSelector: DEFAULT_MESH_SELECTORS[schema],
      semconv,
      joinOverrides: scenarioOverrides(scenario),
    };
    const truth = computeTruth(scenario, { semconv, thresholds: settings.thresholds });
    let loaded: LoadedStore;

    beforeAll(async () => {
      loaded = await loadScenarioInto(kind, scenario, { schema, semconv, minutes: 60 });
    });
    afterAll(async () => {
      await loaded?.store.stop();
    });

    it('lists every service once, with the truth’s figures and flags', async () => {
      const { rows, queries } = await runOverview(loaded.api, settings, loaded.window(WINDOW_MINUTES));
      expect(queries).toHaveLength(11);
      expect(rows.map((r) => r.key).sort()).toEqual(truth.map((t) => t.key).sort());
      const problems = truth.flatMap((t) => {
        const row = rows.find((r) => r.key === t.key);
        return row ? compareToTruth(observeRow(row), t) : [`${t.key} is missing from the overview`];
      });
      expect(problems).toEqual([]);
    });

    it('flags exactly the services the truth flags', async () => {
      const { rows } = await runOverview(loaded.api, settings, loaded.window(WINDOW_MINUTES));
      const flagged = (list: Array<{ key: string; flags: unknown[] }>) =>
        list
          .filter((r) => r.flags.length > 0)
          .map((r) => r.key)
          .sort();
      expect(flagged(rows)).toEqual(flagged(truth));
      // Every kind of flag occurs in these scenarios, so none of them passes by never firing.
      expect(new Set(rows.flatMap((r) => r.flags.map((f) => f.id)))).toEqual(
        new Set(['grpc-trap', 'boundary-latency', 'disagreement', 'coverage'])
      );
    });

    it('gives every figure its own PromQL, which Explore opens: it computes the same number', async () => {
      const window = loaded.window(WINDOW_MINUTES);
      const { rows } = await runOverview(loaded.api, settings, window);
      const problems: string[] = [];
      let compared = 0;
      for (const row of rows.filter((r) => r.namespace)) {
        const queries = figureQueries(
          settings,
          { namespace: row.namespace, workload: row.service, kind: row.kind },
          promDuration(window.to - window.from)
        );
        for (const id of Object.keys(FIGURES) as FigureId[]) {
          const shown = FIGURES[id](row);
          const [sample] = await loaded.api.instant(queries[id], window.to);
          const explored = sample && Number.isFinite(sample.value) ? sample.value : undefined;
          compared += shown === undefined ? 0 : 1;
          const same =
            shown === undefined || explored === undefined
              ? shown === explored
              : Math.abs(shown - explored) <= 1e-6 * Math.max(1, Math.abs(shown));
          if (!same) {
            problems.push(`${row.key} ${id}: shown ${shown}, Explore ${explored}`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(compared).toBeGreaterThan(rows.length * 4);
    });
  }
);
