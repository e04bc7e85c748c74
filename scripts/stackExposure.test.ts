/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 *
 * What the reference stack lets in: docker-compose.yaml publishes nothing on every interface, and the OTel
 * Collector's app pipelines cannot produce a `layer="mesh"` series (so no pod can forge or hide mesh figures
 * by setting `layer` on its OTLP resource or data points). Read from the files users run; no Docker or
 * otelcol binary is needed.
 */
import { isRecord, readYaml, type Doc } from '../tests/shared/yamlDocs';

const COLLECTOR_CONFIGS = [
  'provisioning/collector/otel-collector.yaml',
  'provisioning/collector/otel-collector.demo.yaml',
];

/** Compose's `${VAR:-default}` / `${VAR-default}` with the variable unset, as on a fresh clone. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1').replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, '');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The host address each published port of a compose service binds, in compose's short syntax
 * (`[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]`, IPv6 in brackets) or its long one (`host_ip`); an empty
 * string means every interface.
 */
function publishedAddresses(service: Doc): Array<{ port: string; hostIp: string }> {
  const ports = Array.isArray(service.ports) ? service.ports : [];
  return ports.map((entry: unknown) => {
    if (isRecord(entry)) {
      return { port: String(entry.published ?? entry.target), hostIp: withDefaults(String(entry.host_ip ?? '')) };
    }
    const text = withDefaults(String(entry)).replace(/\/(tcp|udp)$/, '');
    const ipv6 = /^(\[[^\]]*\]):(.*)$/.exec(text);
    if (ipv6) {
      return { port: ipv6[2], hostIp: ipv6[1] };
    }
    const parts = text.split(':');
    return { port: parts.slice(-2).join(':'), hostIp: parts.length === 3 ? parts[0] : '' };
  });
}

/** Services of a compose file that publish a port on anything but the loopback, or share the host's network. */
function openDoors(compose: Doc): string[] {
  const services = isRecord(compose.services) ? compose.services : {};
  return Object.entries(services).flatMap(([name, service]) => {
    if (!isRecord(service)) {
      return [];
    }
    const doors = publishedAddresses(service)
      .filter(({ hostIp }) => !LOOPBACK.has(hostIp))
      .map(({ port, hostIp }) => `${name} publishes ${port} on ${hostIp || 'every interface'}`);
    return service.network_mode === 'host' ? [...doors, `${name} runs on the host's network`] : doors;
  });
}

interface AttributeAction {
  key?: unknown;
  action?: unknown;
  value?: unknown;
}

/** The `layer` actions of one processor, at the level it works on. */
function layerActions(
  name: string,
  config: unknown
): Array<{ level: 'resource' | 'datapoint'; action: AttributeAction }> {
  const type = name.split('/')[0];
  const list = isRecord(config)
    ? type === 'resource'
      ? config.attributes
      : type === 'attributes'
        ? config.actions
        : []
    : [];
  const actions = (Array.isArray(list) ? list : []).filter(
    (a): a is AttributeAction => isRecord(a) && a.key === 'layer'
  );
  return actions.map((action) => ({ level: type === 'resource' ? 'resource' : 'datapoint', action }));
}

/** delete, or overwrite with a value that is not `mesh`: after it, the level carries no `layer="mesh"`. */
function clears({ action, value }: AttributeAction): boolean {
  return action === 'delete' || (action === 'upsert' && value !== 'mesh');
}

/** insert, update or upsert of `mesh`: a processor that would make app data pass for the mesh. */
function setsMesh({ action, value }: AttributeAction): boolean {
  return ['insert', 'update', 'upsert'].includes(String(action)) && value === 'mesh';
}

/**
 * Why an app pipeline (any metrics pipeline not fed by the mesh scrape alone) could export a `layer="mesh"`
 * series: a level (resource attributes, which `resource_to_telemetry_conversion` turns into labels, and data point
 * attributes) that no processor clears, a processor that sets `mesh` after the clearing, or an exporter whose
 * external labels add it.
 */
function meshForgeryPaths(config: Doc): string[] {
  const processors = isRecord(config.processors) ? config.processors : {};
  const exporters = isRecord(config.exporters) ? config.exporters : {};
  const pipelines = isRecord(config.service) && isRecord(config.service.pipelines) ? config.service.pipelines : {};
  const problems: string[] = [];
  for (const [name, pipeline] of Object.entries(pipelines)) {
    if (!name.startsWith('metrics') || !isRecord(pipeline)) {
      continue;
    }
    const receivers = Array.isArray(pipeline.receivers) ? pipeline.receivers.map(String) : [];
    if (receivers.length > 0 && receivers.every((r) => r === 'prometheus/mesh')) {
      continue;
    }
    const steps = (Array.isArray(pipeline.processors) ? pipeline.processors.map(String) : []).flatMap((p) =>
      layerActions(p, processors[p]).map((step) => ({ ...step, processor: p }))
    );
    for (const level of ['resource', 'datapoint'] as const) {
      const onLevel = steps.filter((s) => s.level === level);
      const lastClear = onLevel.map((s) => clears(s.action)).lastIndexOf(true);
      if (lastClear < 0) {
        problems.push(`${name}: no processor deletes or overwrites ${level} attribute layer`);
      }
      for (const step of onLevel.slice(lastClear + 1).filter((s) => setsMesh(s.action))) {
        problems.push(`${name}: ${step.processor} sets ${level} attribute layer=mesh after it was cleared`);
      }
    }
    for (const exporter of Array.isArray(pipeline.exporters) ? pipeline.exporters.map(String) : []) {
      const external = isRecord(exporters[exporter]) ? exporters[exporter].external_labels : undefined;
      if (isRecord(external) && 'layer' in external) {
        problems.push(`${name}: exporter ${exporter} adds external label layer=${String(external.layer)}`);
      }
    }
  }
  return problems;
}

describe('docker-compose.yaml', () => {
  it('publishes every port on the loopback only', () => {
    const compose = readYaml('docker-compose.yaml');
    expect(openDoors(compose)).toEqual([]);
    // And it publishes the ports the README names, so the stack is still reachable from this machine.
    const published = Object.values(compose.services as Record<string, Doc>).flatMap((s) =>
      publishedAddresses(s).map((p) => p.port)
    );
    expect(published.sort()).toEqual(['3000:3000', '3200:3200', '8428:8428', '8880:8880', '9093:9093', '9100:9100']);
  });

  it.each([
    [['3000:3000'], ['grafana publishes 3000:3000 on every interface']],
    [['0.0.0.0:8428:8428'], ['grafana publishes 8428:8428 on 0.0.0.0']],
    [['${MESHLENS_BIND:-0.0.0.0}:3000:3000'], ['grafana publishes 3000:3000 on 0.0.0.0']],
    [['3000'], ['grafana publishes 3000 on every interface']],
    [[{ target: 3000, published: 3000 }], ['grafana publishes 3000 on every interface']],
    [['[::]:3000:3000/tcp'], ['grafana publishes 3000:3000 on [::]']],
    [['${MESHLENS_BIND:-127.0.0.1}:3000:3000', '[::1]:3200:3200', { target: 1, host_ip: '127.0.0.1' }], []],
  ])('tells a published port %j apart', (ports, expected) => {
    expect(openDoors({ services: { grafana: { ports } } })).toEqual(expected);
  });

  it('tells the host network apart', () => {
    expect(openDoors({ services: { grafana: { network_mode: 'host' } } })).toEqual([
      "grafana runs on the host's network",
    ]);
  });
});

describe.each(COLLECTOR_CONFIGS)('%s', (path) => {
  it('clears `layer` on every app pipeline, at resource and data point level, before export', () => {
    expect(meshForgeryPaths(readYaml(path))).toEqual([]);
  });

  it('feeds the mesh pipeline from the proxy scrape only', () => {
    const pipelines = (readYaml(path).service as Doc).pipelines as Record<string, { receivers: string[] }>;
    expect(pipelines['metrics/mesh'].receivers).toEqual(['prometheus/mesh']);
  });
});

describe('the forgery check', () => {
  const config = readYaml(COLLECTOR_CONFIGS[0]);
  const pipelines = (config.service as Doc).pipelines as Record<string, { processors: string[] }>;
  const withAppProcessors = (processors: string[], extra: Doc = {}) => ({
    ...config,
    processors: { ...(config.processors as Doc), ...extra },
    service: { pipelines: { ...pipelines, 'metrics/app': { ...pipelines['metrics/app'], processors } } },
  });

  it('finds an app pipeline that lets `layer` through', () => {
    expect(meshForgeryPaths(withAppProcessors(['memory_limiter', 'batch']))).toEqual([
      'metrics/app: no processor deletes or overwrites resource attribute layer',
      'metrics/app: no processor deletes or overwrites datapoint attribute layer',
    ]);
  });

  it('finds a processor that sets `mesh` again after the clearing', () => {
    const forging = { 'resource/forge': { attributes: [{ key: 'layer', value: 'mesh', action: 'upsert' }] } };
    expect(
      meshForgeryPaths(
        withAppProcessors(['resource/app-provenance', 'attributes/app-provenance', 'resource/forge'], forging)
      )
    ).toEqual(['metrics/app: resource/forge sets resource attribute layer=mesh after it was cleared']);
  });

  it('finds an exporter that adds the label', () => {
    const exporters = config.exporters as Record<string, Doc>;
    const forged = {
      ...config,
      exporters: {
        ...exporters,
        'prometheusremotewrite/app': { ...exporters['prometheusremotewrite/app'], external_labels: { layer: 'mesh' } },
      },
    };
    expect(meshForgeryPaths(forged)).toEqual([
      'metrics/app: exporter prometheusremotewrite/app adds external label layer=mesh',
    ]);
  });
});
