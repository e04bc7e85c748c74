/**
 * The rule tools the integration tests run, from Debian's packages: promtool (prometheus), vmalert
 * (victoria-metrics) and Alertmanager (prometheus-alertmanager), plus a webhook receiver standing in for a pager.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildRuleGroups, RATES_GROUP, serializeRuleFile } from '../../src/rules';
import type { AppSettings } from '../../src/settings/types';
import { ensureBinary, freePort, waitFor } from './stores';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a binary to completion (never throws on a non-zero exit: the caller reads `code` and the output). */
export function runTool(binary: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  return new Promise<ToolResult>((resolve, reject) => {
    execFile(
      binary,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      }
    );
  });
}

/** `promtool check rules <files>` or `promtool test rules <files>`. */
/**
 * `promtool check|test rules`. `lint: 'none'` turns off `check`'s duplicate-rules lint, which takes rules recording
 * one name with the same static labels as duplicates whatever their expressions (the split mesh bucket rule).
 */
export function promtool(command: 'check' | 'test', files: string[], cwd?: string, lint?: 'none'): Promise<ToolResult> {
  return runTool(ensureBinary('promtool'), [command, 'rules', ...(lint ? [`--lint=${lint}`] : []), ...files], { cwd });
}

/** `vmalert -dryRun`: parses the rule files, their MetricsQL and their templates, and exits. */
export function vmalertDryRun(files: string[]): Promise<ToolResult> {
  return runTool(ensureBinary('vmalert'), ['-dryRun', '-loggerLevel=ERROR', ...files.map((f) => `-rule=${f}`)]);
}

export interface ReplayOptions {
  files: string[];
  /** The store the rules read and write: VictoriaMetrics' own URL. */
  url: string;
  fromMs: number;
  toMs: number;
  /** Wait between rules, so a rule reads what the previous one wrote (-replay.rulesDelay). */
  rulesDelayMs?: number;
  /** More flags, e.g. a larger remote-write queue for thousands of services. */
  extraArgs?: string[];
  timeoutMs?: number;
}

/**
 * `vmalert -replay`: evaluates every rule over [from, to] with range queries, writing recorded series and the
 * alerts' `ALERTS` series back to the store through remote write.
 */
export function vmalertReplay(options: ReplayOptions): Promise<ToolResult> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return runTool(
    ensureBinary('vmalert'),
    [
      ...options.files.map((f) => `-rule=${f}`),
      `-datasource.url=${options.url}`,
      `-remoteWrite.url=${options.url}`,
      '-remoteWrite.flushInterval=100ms',
      // Range queries step by the groups' evaluation interval (the default, 5m, would skip most steps).
      '-datasource.queryStep=0s',
      `-replay.timeFrom=${iso(options.fromMs)}`,
      `-replay.timeTo=${iso(options.toMs)}`,
      `-replay.rulesDelay=${options.rulesDelayMs ?? 1000}ms`,
      '-replay.disableProgressBar',
      '-loggerLevel=ERROR',
      ...(options.extraArgs ?? []),
    ],
    { timeoutMs: options.timeoutMs ?? 180_000 }
  );
}

/**
 * Writes the recorded per-workload rates (the rule files' first group, `meshlens-rates`) of `settings` into a
 * VictoriaMetrics over [fromMs, toMs], as vmalert would have while the range was live: what the overview's
 * recorded path reads. Its rules read only raw series, so they need no wait between them.
 */
export async function recordRates(
  url: string,
  settings: AppSettings,
  fromMs: number,
  toMs: number,
  replay: Pick<ReplayOptions, 'extraArgs' | 'timeoutMs'> = {}
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-rates-'));
  try {
    const file = join(dir, 'meshlens-rates.yaml');
    writeFileSync(file, serializeRuleFile(buildRuleGroups(settings).filter((g) => g.name === RATES_GROUP)));
    const result = await vmalertReplay({ files: [file], url, fromMs, toMs, rulesDelayMs: 0, ...replay });
    if (result.code !== 0) {
      throw new Error(`vmalert -replay failed (${result.code}):\n${`${result.stdout}\n${result.stderr}`.slice(-3000)}`);
    }
    await fetch(`${url}/internal/force_flush`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An alert as Alertmanager's webhook posts it. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
}

export interface WebhookReceiver {
  url: string;
  /** Every alert received, in order. */
  alerts: WebhookAlert[];
  /** Resolves once `done(alerts)` holds, or after `timeoutMs`. */
  until(done: (alerts: WebhookAlert[]) => boolean, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A tiny HTTP server that takes Alertmanager's webhook notifications, as a pager would. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const alerts: WebhookAlert[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts?: WebhookAlert[] };
        alerts.push(...(body.alerts ?? []));
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    alerts,
    until: async (done, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!done(alerts) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface RunningAlertmanager {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Alertmanager with one route to `webhookUrl`: every alert its own group (`group_by: ['...']`), sent one second
 * after it arrives, resolved alerts not sent. Clustering is off (no gossip port).
 */
export async function startAlertmanager(webhookUrl: string): Promise<RunningAlertmanager> {
  const binary = ensureBinary('prometheus-alertmanager');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-am-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    stringify({
      route: {
        receiver: 'webhook',
        group_by: ['...'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: false }] }],
    })
  );
  const child = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ready`, 30_000, child);
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) {
          done();
          return;
        }
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
