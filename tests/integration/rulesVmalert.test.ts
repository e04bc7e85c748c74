/**
 * The rule files on VictoriaMetrics: vmalert (Debian's victoria-metrics package) parses both shipped files, then
 * replays the linkerd-viz one over a generated scenario's history (Linkerd stable-2.14.1 proxies: text gRPC
 * statuses, no inbound gRPC classification), writing the recorded series and `ALERTS` back to VictoriaMetrics
 * through remote write. The recorded figures and the firing alerts are compared with the generator's truth.
 *
 * vmalert's replay refuses the `query` template function, so the replayed file is the shipped one generated with
 * `annotationQueries: false`; the test first shows that it differs from the shipped file in annotations only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { importJsonChunks } from '../../generator/generate';
import { demoScenario } from '../../generator/scenarios';
import { computeTruth, type ServiceTruth } from '../../generator/truth';
import { defaultSettingsFor, SHIPPED_RULE_FILES } from '../../scripts/lib/ruleFiles';
import { vmalertDryRun, vmalertReplay } from '../../scripts/lib/ruleTools';
import { importIntoVictoriaMetrics, startVictoriaMetrics, type RunningStore } from '../../scripts/lib/stores';
import { renderRuleFile, signalName } from '../../src/rules';
import { alertKey, expectedAlerts } from './ruleExpectations';

const MINUTES = 30;
/** The first two minutes give the first rates their window. */
const REPLAY_SKIP_MS = 120_000;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('vmalert: both shipped files parse, and the linkerd-viz one replays a scenario into the truth’s alerts', () => {
  const scenario = { ...demoScenario(), proxy: '2.14.1' as const };
  const settings = defaultSettingsFor('linkerd');
  const truth = computeTruth(scenario, { semconv: 'stable', thresholds: settings.thresholds });
  let vm: RunningStore | undefined;
  let dir: string | undefined;
  let endMs = 0;
  let replayOutput = '';

  async function instant(expr: string): Promise<Sample[]> {
    const params = new URLSearchParams({ query: expr, time: String(endMs / 1000) });
    const body = (await (await fetch(`${vm!.url}/api/v1/query?${params}`)).json()) as {
      status: string;
      error?: string;
      data: { result: Sample[] };
    };
    if (body.status !== 'success') {
      throw new Error(`${expr}: ${body.error}`);
    }
    return body.data.result;
  }

  const byWorkload = (samples: Sample[]) =>
    new Map(samples.map((s) => [`${s.metric.namespace}/${s.metric.workload}`, Number(s.value[1])]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshlens-vmalert-'));
    // The replay reads each rule's results back at once: no response cache in between.
    vm = await startVictoriaMetrics({ args: ['-search.disableCache'] });
    endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const startMs = endMs - MINUTES * 60_000;
    await importIntoVictoriaMetrics(
      vm.url,
      importJsonChunks(scenario, { schema: 'linkerd', semconv: 'stable', startMs, endMs }),
      'json'
    );
    const file = join(dir, 'meshlens-rules.replay.yaml');
    writeFileSync(file, renderRuleFile(settings, { annotationQueries: false }));
    // Each rule reads what the previous one wrote: vmalert flushes its remote write every 100 ms and waits between
    // rules, and VictoriaMetrics is told to make what it received searchable at once rather than within a second.
    let flushing = true;
    const flusher = (async () => {
      while (flushing) {
        await fetch(`${vm!.url}/internal/force_flush`).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const replay = await vmalertReplay({
      files: [file],
      url: vm.url,
      fromMs: startMs + REPLAY_SKIP_MS,
      toMs: endMs,
      rulesDelayMs: 500,
    });
    flushing = false;
    await flusher;
    replayOutput = `${replay.stdout}\n${replay.stderr}`;
    if (replay.code !== 0) {
      throw new Error(`vmalert -replay failed (${replay.code}):\n${replayOutput.slice(-3000)}`);
    }
    await fetch(`${vm.url}/internal/force_flush`);
  });

  afterAll(async () => {
    await vm?.stop();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(SHIPPED_RULE_FILES.map((f) => [f.schema, f.path]))(
    'vmalert -dryRun accepts the %s file',
    async (_s, path) => {
      const result = await vmalertDryRun([path]);
      expect([result.code, result.stderr.trim()]).toEqual([0, '']);
    }
  );

  it('replays the shipped linkerd-viz rules: the same groups and expressions, annotations without `query`', () => {
    const replayed = parse(renderRuleFile(settings, { annotationQueries: false }));
    const shipped = parse(renderRuleFile(settings));
    const withoutAnnotations = (file: { groups: Array<{ rules: Array<Record<string, unknown>> }> }) =>
      file.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...rule }) => rule) }));
    expect(withoutAnnotations(replayed)).toEqual(withoutAnnotations(shipped));
    expect(JSON.stringify(replayed)).not.toContain('| query');
    expect(replayOutput).toContain('Replay mode:');
  });

  it('fires exactly the alerts the truth calls for at the end of the replay', async () => {
    const firing = await instant('ALERTS{alertstate="firing"}');
    const got = firing.map((s) => alertKey(s.metric, 'namespace')).sort();
    // The shipped file has no join override: currency's app, `currency-api`, stands on its own.
    expect(got).toEqual(expectedAlerts(truth, { thresholds: settings.thresholds, overrides: false }));
    expect(got).toContain('MeshLensGrpcTrap shop/payments view=callers');
    // Every alert carries the schema's namespace label and the workload's own label where the mesh saw it.
    const trap = firing.find((s) => s.metric.alertname === 'MeshLensGrpcTrap');
    expect(trap?.metric).toMatchObject({ namespace: 'shop', deployment: 'payments', severity: 'critical' });
    const catalog = await instant(`${signalName('meshRequests', 300)}{workload="catalog"}`);
    expect(catalog[0].metric).toMatchObject({ namespace: 'shop', statefulset: 'catalog' });
    expect(catalog[0].metric.deployment).toBeUndefined();
  });

  it('records each workload’s signals as the truth has them', async () => {
    const meshed = truth.filter((t): t is ServiceTruth & { mesh: NonNullable<ServiceTruth['mesh']> } =>
      Boolean(t.mesh && t.mesh.rps > 0)
    );
    const rps = byWorkload(await instant(signalName('meshRequests', 300)));
    const errors = byWorkload(await instant(signalName('meshErrors', 300)));
    const callersTrap = byWorkload(await instant(signalName('callersGrpcTrap', 300)));
    const p95 = byWorkload(await instant(signalName('meshLatencyP95', 300)));
    const appRps = byWorkload(await instant(signalName('appRequests', 300)));
    const appP95 = byWorkload(await instant(signalName('appLatencyP95', 300)));
    const problems: string[] = [];
    const near = (what: string, value: number | undefined, expected: number, tolerance: number) => {
      if (value === undefined || Math.abs(value - expected) > tolerance) {
        problems.push(`${what}: ${value} vs ${expected} (±${tolerance})`);
      }
    };
    // As tests/shared/truthChecks: inside the true quantile's bucket and within 5 % of its width of the
    // interpolated value (a quantile on a bucket bound may come out just across it).
    const inside = (what: string, value: number | undefined, q: { lower: number; upper: number; expected: number }) => {
      const slack = 0.05 * (q.upper - q.lower) + 1e-6;
      if (
        value === undefined ||
        value < q.lower - slack ||
        value > q.upper + slack ||
        Math.abs(value - q.expected) > slack
      ) {
        problems.push(`${what}: ${value}, expected ${q.expected} in (${q.lower}, ${q.upper}]`);
      }
    };
    for (const t of meshed) {
      near(`${t.key} mesh rps`, rps.get(t.key), t.mesh.rps, 0.01 * t.mesh.rps);
      near(`${t.key} mesh errors`, errors.get(t.key), 1 - (t.mesh.successRate ?? 1), 0.002);
      inside(`${t.key} mesh p95`, p95.get(t.key), t.mesh.latency!.p95);
      if (t.mesh.trapEvidence === 'callers') {
        near(`${t.key} callers' trap`, callersTrap.get(t.key), t.mesh.grpcTrapShare ?? 0, 0.002);
      }
    }
    for (const t of truth.filter((x) => x.app && x.appService === x.service)) {
      near(`${t.key} app rps`, appRps.get(t.key), t.app!.rps, 0.01 * t.app!.rps);
      inside(`${t.key} app p95`, appP95.get(t.key), t.app!.latency!.p95);
    }
    expect(problems).toEqual([]);
    expect(callersTrap.get('shop/payments')).toBeGreaterThan(0.07);
  });
});
