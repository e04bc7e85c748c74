/**
 * The reference stack (docker-compose.yaml) as far as a machine without Docker can check it: every file it
 * mounts exists and parses, every image is pinned, the services find each other at the hosts and ports their
 * configs name, the Collector config is the cluster one with only discovery swapped, Tempo's trace-to-metrics
 * queries return data from VictoriaMetrics loaded with the demo, and the generator's health check (what Grafana
 * waits for) says ready only when every service of the truth is on the overview and Tempo has the trap's traces.
 * The scrape itself is run by a real Prometheus in scrape.test.ts; the plugin-e2e specs in tests/grafana run the
 * stack where Docker exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { scenarioOverrides, demoScenario } from '../../generator/scenarios';
import { appResourceAttributes } from '../../generator/app';
import { buildAppHistograms } from '../../generator/series';
import { computeTruth } from '../../generator/truth';
import { DEFAULT_THRESHOLDS } from '../../src/settings/types';
import { DEMO_CONFIG, DEMO_TARGETS_FILE, readDemoConfigs } from '../../scripts/lib/collectorConfig';
import { stackReadiness } from '../../generator/serve/stackReadiness';
import { SHIPPED_RULE_FILES } from '../../scripts/lib/ruleFiles';
import { runTool } from '../../scripts/lib/ruleTools';
import { ensureBinary, startVictoriaMetrics, type RunningStore } from '../../scripts/lib/stores';
import { isRecord, readYaml, type Doc } from '../shared/yamlDocs';
import { loadScenarioInto, type LoadedStore } from './harness';
import {
  commandFlag,
  generatorEntrypoint,
  hostPathOf,
  readCompose,
  readDockerfile,
  ROOT,
  withDefaults,
} from './referenceStack';

const PLUGIN_ID = 'meshlens-boundary-app';

function at(doc: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), doc);
}

const compose = readCompose();
const services = compose.services;
const declaredVolumes = Object.keys(compose.volumes ?? {});

/** `source:target[:ro]` of a service's volumes, defaults applied. */
function mounts(service: string): Array<{ source: string; target: string }> {
  return (services[service].volumes ?? []).map((entry) => {
    const [source, target] = withDefaults(entry).split(':');
    return { source, target };
  });
}

/** The `--name=value` argument of a service's command. */
function flag(service: string, name: string): string | undefined {
  const prefix = `--${name}=`;
  return services[service].command?.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** host:port of a URL or a bare `host:port`. */
function hostPort(address: string): { host: string; port: string } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: url.port };
}

describe('docker-compose.yaml', () => {
  it('runs the whole reference stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['alertmanager', 'generator', 'grafana', 'otel-collector', 'plugin', 'tempo', 'victoriametrics', 'vmalert'].sort()
    );
  });

  it('pins every image, and builds the others from stages of the Dockerfile whose bases are pinned', () => {
    const dockerfile = readDockerfile();
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
    const stageNames = new Set(stages.map((m) => m[2]).filter(Boolean));
    const pinned = /^[a-z0-9./-]+:v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/;
    for (const [, base] of stages) {
      expect(stageNames.has(base) || pinned.test(base)).toBe(true);
    }
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect({ name, target: stageNames.has(service.build.target) }).toEqual({ name, target: true });
        expect(service.build.context).toBe('.');
      } else {
        expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(pinned) });
      }
    }
  });

  it('mounts only files that exist and volumes it declares', () => {
    for (const name of Object.keys(services)) {
      for (const { source } of mounts(name)) {
        if (source.startsWith('.')) {
          expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
        } else {
          expect(declaredVolumes).toContain(source);
        }
      }
    }
  });

  it('waits on health checks that exist, so Grafana starts when the data is there', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') {
          expect({ name, dependency, healthcheck: Boolean(services[dependency].healthcheck) }).toEqual({
            name,
            dependency,
            healthcheck: true,
          });
        }
      }
    }
    expect(services.grafana.depends_on).toEqual({
      plugin: { condition: 'service_completed_successfully' },
      generator: { condition: 'service_healthy' },
    });
    // The generator's health check is its `ready` command against the stack's own store and Tempo.
    const check = services.generator.healthcheck!.test;
    expect(['CMD', ...generatorEntrypoint(), 'ready']).toEqual(check.slice(0, 4));
    expect(hostPort(check.find((a) => a.startsWith('--url='))!.slice(6)).host).toBe('victoriametrics');
    expect(hostPort(check.find((a) => a.startsWith('--tempo='))!.slice(8)).host).toBe('tempo');
  });

  it('loads Mesh Lens unsigned for its id only, with anonymous access off and a documented admin login', () => {
    const env = services.grafana.environment!;
    expect(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(PLUGIN_ID);
    expect(withDefaults(env.GF_AUTH_ANONYMOUS_ENABLED)).toBe('false');
    expect(env.GF_SECURITY_ADMIN_USER).toBe('admin');
    expect(withDefaults(env.GF_SECURITY_ADMIN_PASSWORD)).toBe('admin');
    const plugin = mounts('grafana').find((m) => m.target === `/var/lib/grafana/plugins/${PLUGIN_ID}`);
    expect(plugin?.source).toBe('plugin-dist');
    expect(mounts('plugin')).toEqual([{ source: 'plugin-dist', target: '/plugin' }]);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/admin \/ admin/);
  });
});

/** major.minor.patch and an optional pre-release, as plugin.json and image tags write them. */
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

function compareVersions(a: string, b: string): number {
  const [pa, pb] = [VERSION.exec(a), VERSION.exec(b)];
  if (!pa || !pb) {
    throw new Error(`not a version: ${pa ? b : a}`);
  }
  for (const i of [1, 2, 3]) {
    const diff = Number(pa[i]) - Number(pb[i]);
    if (diff !== 0) {
      return diff;
    }
  }
  // A pre-release sorts before its release (`13.2.0-0` < `13.2.0`); two pre-releases are taken as equal.
  return (pa[4] === undefined ? 1 : 0) - (pb[4] === undefined ? 1 : 0);
}

/**
 * Whether `version` is in a plugin.json `grafanaDependency` range: comparator sets joined by `||`, each a
 * space-separated list of `>=`, `>`, `<=`, `<` or `=` comparators that must all hold (the subset of semver ranges
 * Grafana's plugins write, e.g. Amazon Prometheus' `>=11.6.11-0 <12 || >=12.2.5-0`). Anything else throws rather
 * than being misread.
 */
function inRange(version: string, range: string): boolean {
  return range.split('||').some((set) =>
    set
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        // `<12` and `<12.2` stand for `<12.0.0` and `<12.2.0`.
        const m = /^(>=|<=|>|<|=)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(comparator);
        if (!m) {
          throw new Error(`grafanaDependency ${range}: cannot read ${comparator}`);
        }
        const c = compareVersions(version, `${m[2]}.${m[3] ?? 0}.${m[4] ?? 0}${m[5] ?? ''}`);
        switch (m[1] ?? '=') {
          case '>=':
            return c >= 0;
          case '>':
            return c > 0;
          case '<=':
            return c <= 0;
          case '<':
            return c < 0;
          default:
            return c === 0;
        }
      })
  );
}

describe('the Grafana versions the plugin declares, builds against and runs in the stack', () => {
  const plugin = JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8')) as {
    dependencies: { grafanaDependency: string };
  };
  const range = plugin.dependencies.grafanaDependency;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const image = /^grafana\/grafana:(.+)$/.exec(services.grafana.image ?? '');

  it('reads the range and the versions it is checked against', () => {
    expect(inRange('13.2.3', '>=13.2.0')).toBe(true);
    expect(inRange('13.1.9', '>=13.2.0')).toBe(false);
    expect(inRange('12.1.7', '>=11.6.11-0 <12 || >=12.1.7-0 <12.2')).toBe(true);
    expect(inRange('12.0.2', '>=11.6.11-0 <12 || >=12.1.7-0 <12.2')).toBe(false);
    expect(() => inRange('13.2.3', '^13.2.0')).toThrow();
    expect(image?.[1]).toMatch(VERSION);
    expect(pkg.dependencies['@grafana/runtime']).toMatch(VERSION);
  });

  it('admits the compose stack’s Grafana and the @grafana/runtime the plugin is built against', () => {
    expect({ range, stack: image?.[1], admitted: inRange(image![1], range) }).toEqual({
      range,
      stack: image?.[1],
      admitted: true,
    });
    const runtime = pkg.dependencies['@grafana/runtime'];
    expect({ range, runtime, admitted: inRange(runtime, range) }).toEqual({ range, runtime, admitted: true });
    // Every @grafana/* package of Grafana core is the same version, so the plugin builds against one Grafana.
    const core = ['@grafana/data', '@grafana/i18n', '@grafana/runtime', '@grafana/schema', '@grafana/ui'];
    expect(new Set(core.map((name) => pkg.dependencies[name]))).toEqual(new Set([runtime]));
  });

  it('admits no Grafana before 13.2.0, which runs plugins on React 18', () => {
    // plugin-tools migration guide v13.1.x-v13.2.x: "As of Grafana 13.2.0, Grafana core has completed its upgrade
    // from React 18 to React 19 … plugins running in Grafana 13.2.0 or later run on React 19." The @grafana/*
    // 13.2.3 packages the plugin builds against declare `react >=19`.
    for (const older of ['13.1.9', '13.2.0-pre', '12.4.0']) {
      expect({ older, admitted: inRange(older, range) }).toEqual({ older, admitted: false });
    }
    expect(inRange('13.2.0', range)).toBe(true);
  });

  it('is stated in the README: the minimum Grafana and the stack’s image', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(range)?.[1];
    expect(minimum).toBeDefined();
    expect(readme).toContain(`Grafana ${minimum} or later`);
    expect(readme).toContain(`\`grafanaDependency\` \`${range}\``);
    expect(readme).toContain(`\`${services.grafana.image}\``);
  });
});

describe('the CI job for a runner with Docker', () => {
  it('starts the stack and runs the plugin-e2e specs, and a failure fails the build', () => {
    const job = at(readYaml('.github/workflows/ci.yml'), 'jobs', 'e2e') as Doc;
    expect(job['continue-on-error']).toBeUndefined();
    const commands = (job.steps as Doc[]).map((step) => String(step.run ?? ''));
    expect(commands).toContain('docker compose up -d --build');
    expect(commands).toContain('npm run e2e');
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.e2e).toBe('playwright test');
  });
});

describe('the Collector in the stack', () => {
  const collector = readYaml('provisioning/collector/otel-collector.demo.yaml');

  it('runs the cluster pipeline with only discovery swapped (npm run collector:demo is up to date)', () => {
    const { expected, actual } = readDemoConfigs();
    expect(actual).toBe(expected);
    const config = mounts('otel-collector').find((m) => m.source === `./${DEMO_CONFIG.slice(ROOT.length + 1)}`);
    expect(config).toBeDefined();
    expect(services['otel-collector'].command).toContain(`--config=${config!.target}`);
  });

  it('has one pipeline for the mesh, one for the apps and one for traces, each wired to defined components', () => {
    const pipelines = at(collector, 'service', 'pipelines') as Record<string, Record<string, string[]>>;
    expect(Object.keys(pipelines).sort()).toEqual(['metrics/app', 'metrics/mesh', 'traces']);
    for (const pipeline of Object.values(pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters']) {
        for (const component of pipeline[kind] ?? []) {
          expect({
            kind,
            component,
            defined: isRecord(at(collector, kind, component)) || at(collector, kind, component) === null,
          }).toEqual({ kind, component, defined: true });
        }
      }
    }
    expect(pipelines['metrics/mesh'].receivers).toEqual(['prometheus/mesh']);
    expect(pipelines['metrics/app'].receivers).toEqual(['otlp']);
    expect(pipelines.traces.exporters).toEqual(['otlp_grpc/tempo']);
  });

  it('reads the targets the generator writes, on a volume both mount', () => {
    const jobs = at(collector, 'receivers', 'prometheus/mesh', 'config', 'scrape_configs') as Doc[];
    expect(jobs.map((job) => at(job, 'file_sd_configs'))).toEqual([
      [{ files: [DEMO_TARGETS_FILE], refresh_interval: '30s' }],
    ]);
    expect(flag('generator', 'sd-file')).toBe(DEMO_TARGETS_FILE);
    const directory = DEMO_TARGETS_FILE.slice(0, DEMO_TARGETS_FILE.lastIndexOf('/'));
    const volumeAt = (service: string) => mounts(service).find((m) => m.target === directory)?.source;
    expect(volumeAt('generator')).toBe('discovery');
    expect(volumeAt('otel-collector')).toBe('discovery');
  });

  it('sends to the store and Tempo at their compose hosts and ports, and receives the generator’s OTLP', () => {
    for (const exporter of ['prometheusremotewrite/mesh', 'prometheusremotewrite/app']) {
      const endpoint = String(at(collector, 'exporters', exporter, 'endpoint'));
      expect(hostPort(endpoint)).toEqual({ host: 'victoriametrics', port: '8428' });
      expect(new URL(endpoint).pathname).toBe('/api/v1/write');
    }
    const tempo = readYaml('provisioning/tempo/tempo.yaml');
    const tempoGrpc = hostPort(String(at(tempo, 'distributor', 'receivers', 'otlp', 'protocols', 'grpc', 'endpoint')));
    expect(hostPort(String(at(collector, 'exporters', 'otlp_grpc/tempo', 'endpoint')))).toEqual({
      host: 'tempo',
      port: tempoGrpc.port,
    });
    const otlpHttp = hostPort(String(at(collector, 'receivers', 'otlp', 'protocols', 'http', 'endpoint')));
    expect(otlpHttp.host).toBe('0.0.0.0');
    expect(hostPort(flag('generator', 'otlp')!)).toEqual({ host: 'otel-collector', port: otlpHttp.port });
    expect(flag('generator', 'advertise')).toBe('generator');
  });
});

describe('the rules in the stack: vmalert and Alertmanager', () => {
  const vmalert = services.vmalert;
  const alertmanager = services.alertmanager;
  /** host:port a service listens on, from its listen-address flag (`:8880` listens on every address). */
  const listening = (name: string, flagName: string) => ({
    host: name,
    port: hostPort(`tcp://0.0.0.0${commandFlag(services[name], flagName)!}`).port,
  });

  it('evaluates the shipped Collector-world rule file, mounted where -rule reads it', () => {
    const rule = commandFlag(vmalert, 'rule')!;
    const local = hostPathOf(vmalert, rule);
    expect(local).toBe(SHIPPED_RULE_FILES.find((f) => f.schema === 'otel')!.path);
    expect(existsSync(local!)).toBe(true);
  });

  it('points vmalert at the store and Alertmanager by their compose names and ports, and the store back at vmalert', () => {
    const store = listening('victoriametrics', 'httpListenAddr');
    for (const name of ['datasource.url', 'remoteWrite.url', 'remoteRead.url']) {
      expect([name, hostPort(commandFlag(vmalert, name)!)]).toEqual([name, store]);
    }
    expect(hostPort(commandFlag(vmalert, 'notifier.url')!)).toEqual(listening('alertmanager', 'web.listen-address'));
    expect(hostPort(commandFlag(services.victoriametrics, 'vmalert.proxyURL')!)).toEqual(
      listening('vmalert', 'httpListenAddr')
    );
    expect(vmalert.depends_on).toEqual({
      victoriametrics: { condition: 'service_healthy' },
      alertmanager: { condition: 'service_healthy' },
    });
  });

  it('runs the vmalert release of the store, and publishes the new ports where the others are (MESHLENS_BIND, 127.0.0.1 unset)', () => {
    const version = (image?: string) => image?.slice(image.lastIndexOf(':') + 1);
    expect(version(vmalert.image)).toBe(version(services.victoriametrics.image));
    expect(alertmanager.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    const bind = '${MESHLENS_BIND:-127.0.0.1}';
    expect(vmalert.ports).toEqual([`${bind}:8880:${listening('vmalert', 'httpListenAddr').port}`]);
    expect(alertmanager.ports).toEqual([`${bind}:9093:${listening('alertmanager', 'web.listen-address').port}`]);
    expect((vmalert.ports ?? []).map(withDefaults)).toEqual(['127.0.0.1:8880:8880']);
  });

  it('gives vmalert flags and rules it accepts (Debian’s vmalert -dryRun with the compose command)', async () => {
    const args = vmalert.command!.map((arg) =>
      arg.startsWith('-rule=') ? `-rule=${hostPathOf(vmalert, commandFlag(vmalert, 'rule')!)}` : arg
    );
    const result = await runTool(ensureBinary('vmalert'), ['-dryRun', '-loggerLevel=ERROR', ...args]);
    expect([result.code, result.stderr.trim()]).toEqual([0, '']);
  });

  it('gives Alertmanager a config it accepts (amtool check-config), mounted where --config.file reads it', async () => {
    const config = hostPathOf(alertmanager, commandFlag(alertmanager, 'config.file')!);
    expect(config).toBe(join(ROOT, 'provisioning/alertmanager/alertmanager.yml'));
    const result = await runTool(ensureBinary('amtool'), ['check-config', config!]);
    expect([result.code, result.stdout]).toEqual([0, expect.stringContaining('SUCCESS')]);
    expect(result.stdout).toContain(' - route');
  });

  it('shows the rules in Grafana: the store’s datasource manages alerts with the stack’s Alertmanager', () => {
    const datasources = at(readYaml('provisioning/datasources/default.yaml'), 'datasources') as Doc[];
    const store = datasources.find((d) => d.uid === 'victoriametrics');
    expect(at(store, 'jsonData', 'manageAlerts')).toBe(true);
    const manager = datasources.find((d) => d.uid === at(store, 'jsonData', 'alertmanagerUid'));
    expect(manager).toMatchObject({
      type: 'alertmanager',
      access: 'proxy',
      jsonData: { implementation: 'prometheus' },
    });
    expect(hostPort(String(manager?.url))).toEqual(listening('alertmanager', 'web.listen-address'));
  });
});

describe('Grafana provisioning in the stack', () => {
  const datasources = at(readYaml('provisioning/datasources/default.yaml'), 'datasources') as Doc[];
  const apps = at(readYaml('provisioning/plugins/app.yaml'), 'apps') as Doc[];
  const tempoConfig = readYaml('provisioning/tempo/tempo.yaml');

  it('mounts each provisioning folder Grafana reads', () => {
    const targets = mounts('grafana').map((m) => `${m.source} → ${m.target}`);
    for (const folder of ['datasources', 'plugins']) {
      expect(targets).toContain(`./provisioning/${folder} → /etc/grafana/provisioning/${folder}`);
    }
  });

  it('points the datasources at the stack’s VictoriaMetrics and Tempo', () => {
    const byUid = new Map(datasources.map((d) => [String(d.uid), d]));
    expect(byUid.get('victoriametrics')).toMatchObject({ type: 'prometheus', url: 'http://victoriametrics:8428' });
    expect(byUid.get('tempo')).toMatchObject({
      type: 'tempo',
      url: `http://tempo:${String(at(tempoConfig, 'server', 'http_listen_port'))}`,
    });
    expect(at(byUid.get('tempo'), 'jsonData', 'tracesToMetrics', 'datasourceUid')).toBe('victoriametrics');
  });

  it('pins Tempo’s streaming off, so TraceQL search is one GET through the datasource proxy', () => {
    // Grafana's Tempo datasource streams over Grafana Live when `jsonData.streamingEnabled.search` (or `.metrics`)
    // is on; off, it runs `GET <instanceSettings.url>/api/search`, and for `access: proxy` that url is
    // `/api/datasources/proxy/uid/<uid>` (pkg/api/frontendsettings.go). The plugin-e2e specs wait for that GET.
    const tempo = datasources.find((d) => d.uid === 'tempo');
    expect(at(tempo, 'jsonData', 'streamingEnabled')).toEqual({ search: false, metrics: false });
    expect(tempo?.access).toBe('proxy');
  });

  it('enables Mesh Lens configured for those datasources and the demo’s renamed app', () => {
    expect(apps).toHaveLength(1);
    const [app] = apps;
    expect(app.type).toBe(PLUGIN_ID);
    expect(app.disabled).toBe(false);
    const uids = new Set(datasources.map((d) => String(d.uid)));
    expect(uids.has(String(at(app, 'jsonData', 'metricsDatasourceUid')))).toBe(true);
    expect(uids.has(String(at(app, 'jsonData', 'tracesDatasourceUid')))).toBe(true);
    expect(at(app, 'jsonData', 'joinOverrides')).toEqual(scenarioOverrides(demoScenario()));
  });

  it('gets the dashboards from the plugin: enabling the app imports its includes, and nothing else provisions them', () => {
    const plugin = JSON.parse(readFileSync(join(ROOT, 'src/plugin.json'), 'utf8')) as {
      includes: Array<{ type: string; path?: string }>;
    };
    const shipped = plugin.includes.filter((i) => i.type === 'dashboard').map((i) => i.path);
    expect(shipped.sort()).toEqual(['dashboards/mesh-pipeline-cost.json', 'dashboards/service-boundary.json']);
    for (const path of shipped) {
      expect(existsSync(join(ROOT, 'src', path!))).toBe(true);
    }
    // A file provider for the same uids would fight the app's import over who owns them.
    expect(existsSync(join(ROOT, 'provisioning/dashboards'))).toBe(false);
    expect(mounts('grafana').some((m) => m.target.includes('provisioning/dashboards'))).toBe(false);
  });

  describe('on VictoriaMetrics loaded with the demo', () => {
    let loaded: LoadedStore;
    beforeAll(async () => {
      loaded = await loadScenarioInto('victoria-metrics', demoScenario(), {
        schema: 'otel',
        semconv: 'stable',
        minutes: 20,
      });
    });
    afterAll(async () => {
      await loaded?.store.stop();
    });

    it('answers every trace-to-metrics query for a span of the trap service', async () => {
      const tempo = datasources.find((d) => d.uid === 'tempo');
      const links = at(tempo, 'jsonData', 'tracesToMetrics') as {
        tags: Array<{ key: string; value: string }>;
        queries: Array<{ name: string; query: string }>;
      };
      // What Grafana puts in for $__tags from a span's resource, as the generator sends it for a payments pod.
      const pod = buildAppHistograms(demoScenario(), { semconv: 'stable' }).find(
        (h) => h.target.workload === 'payments'
      )!;
      const span = appResourceAttributes(pod.target);
      const tags = links.tags.map((t) => `${t.value}="${span[t.key as keyof typeof span]}"`).join(', ');
      expect(tags).toMatch(/^k8s_pod_name="payments-[0-9a-f]+-[0-9a-f]+", k8s_namespace_name="shop"$/);
      expect(links.queries.length).toBeGreaterThan(0);
      for (const { name, query } of links.queries) {
        // The file escapes `$` as `$$` for Grafana's provisioning.
        expect(query).toContain('$$__tags');
        const samples = await loaded.api.instant(query.replace(/\$\$__tags/g, tags), loaded.endMs / 1000);
        expect({ name, answered: samples.length === 1 && Number.isFinite(samples[0].value) }).toEqual({
          name,
          answered: true,
        });
      }
    });

    describe('the generator’s health check', () => {
      let tempo: Server;
      let tempoUrl = '';
      let tracesFound = true;
      const searches: string[] = [];

      beforeAll(async () => {
        tempo = createServer((request, response) => {
          searches.push(new URL(request.url ?? '', 'http://tempo').searchParams.get('q') ?? '');
          const traces = tracesFound
            ? [{ traceID: '0af7651916cd43dd8448eb211c80319c', rootServiceName: 'payments' }]
            : [];
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ traces }));
        });
        await new Promise<void>((resolve) => tempo.listen(0, '127.0.0.1', resolve));
        const address = tempo.address();
        tempoUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      });
      afterAll(() => new Promise<void>((resolve) => tempo.close(() => resolve())));

      // The trap link's TraceQL in the stack's conventions (stable): the failing codes by name.
      const TRAP_TRACEQL =
        '{ resource.service.name = "payments" && kind = server && span.rpc.response.status_code =~ ' +
        '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" }';
      const check = (storeUrl: string, nowMs: number) =>
        stackReadiness({ scenario: demoScenario(), semconv: 'stable', storeUrl, tempoUrl, nowMs });

      it('is ready when every service is on the overview and Tempo has the trap’s traces', async () => {
        tracesFound = true;
        expect(await check(loaded.store.url, loaded.endMs)).toEqual([]);
        expect(searches.at(-1)).toBe(TRAP_TRACEQL);
      });

      it('waits for Tempo while the trap’s traces are missing', async () => {
        tracesFound = false;
        expect(await check(loaded.store.url, loaded.endMs)).toEqual([`Tempo has no trace for ${TRAP_TRACEQL} yet`]);
      });

      it('names every service missing from an empty store', async () => {
        tracesFound = true;
        let empty: RunningStore | undefined;
        try {
          empty = await startVictoriaMetrics();
          const [problem, ...rest] = await check(empty.url, Date.now());
          expect(rest).toEqual([]);
          const truth = computeTruth(demoScenario(), { semconv: 'stable', thresholds: DEFAULT_THRESHOLDS });
          expect(problem).toContain(`the overview lacks ${truth.length} of ${truth.length} services`);
          for (const t of truth) {
            expect(problem).toContain(`${t.key} (${t.coverage})`);
          }
        } finally {
          await empty?.stop();
        }
      });
    });
  });
});
