/**
 * Starts the real metric stores the tests, the benchmark and the preview run against: VictoriaMetrics and
 * Prometheus from Debian's packages, each on a free loopback port with its own temporary data directory.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labelSelector, matcher } from '../../src/query/promql';

export interface RunningStore {
  kind: 'victoria-metrics' | 'prometheus';
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const PACKAGES: Record<string, string> = {
  'victoria-metrics': 'victoria-metrics',
  vmalert: 'victoria-metrics',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
};

let aptUpdated = false;

/** Makes sure a Debian-packaged binary is installed: installs it when running as root, explains otherwise. */
export function ensureBinary(binary: keyof typeof PACKAGES): string {
  const path = `/usr/bin/${binary}`;
  if (existsSync(path)) {
    return path;
  }
  const pkg = PACKAGES[binary];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${binary} is not installed. Install it with: sudo apt-get install -y --no-install-recommends ${pkg}`
    );
  }
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor(url: string, timeoutMs = 30_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${url}: the process exited with code ${child.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms (${lastError})`);
}

function stopper(child: ChildProcess, dataDir: string, keepData: boolean): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const done = () => {
        if (!keepData) {
          rmSync(dataDir, { recursive: true, force: true });
        }
        resolve();
      };
      if (child.exitCode !== null) {
        done();
        return;
      }
      child.once('exit', done);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
}

export interface VictoriaMetricsOptions {
  port?: number;
  dataDir?: string;
  /** Extra command-line flags, e.g. `-search.disableCache` for benchmarks. */
  args?: string[];
}

export async function startVictoriaMetrics(options: VictoriaMetricsOptions = {}): Promise<RunningStore> {
  const binary = ensureBinary('victoria-metrics');
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'meshlens-vm-'));
  const child = spawn(
    binary,
    [
      `-storageDataPath=${dataDir}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      '-search.latencyOffset=0s',
      '-loggerLevel=ERROR',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, 30_000, child);
  return {
    kind: 'victoria-metrics',
    url,
    dataDir,
    process: child,
    stop: stopper(child, dataDir, Boolean(options.dataDir)),
  };
}

/** Import requests in flight at once. */
const IMPORTS_IN_FLIGHT = 2;

/**
 * Sends chunks to VictoriaMetrics' import API (text format: `/api/v1/import/prometheus`, one sample a line; JSON
 * lines: `/api/v1/import`, one series a line), flushes, and returns once they are queryable. Returns the lines sent.
 */
export async function importIntoVictoriaMetrics(
  url: string,
  chunks: Iterable<string>,
  format: 'prometheus' | 'json' = 'prometheus'
): Promise<number> {
  const path = format === 'json' ? '/api/v1/import' : '/api/v1/import/prometheus';
  let lines = 0;
  let failure: Error | undefined;
  const post = async (chunk: string) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', body: chunk });
    if (!response.ok) {
      throw new Error(`import failed: HTTP ${response.status} ${await response.text()}`);
    }
    lines += chunk.split('\n').length - 1;
  };
  // The store ingests one chunk while the next is generated: two cores both busy, not taking turns.
  const inFlight: Array<Promise<void>> = [];
  let lastLine: string | undefined;
  for (const chunk of chunks) {
    const trimmed = chunk.trimEnd();
    lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
    inFlight.push(post(chunk).catch((error: Error) => void (failure ??= error)));
    if (inFlight.length >= IMPORTS_IN_FLIGHT) {
      await inFlight.shift();
    }
    if (failure) {
      break;
    }
  }
  await Promise.all(inFlight);
  if (failure) {
    throw failure;
  }
  await fetch(`${url}/internal/force_flush`);
  await untilSearchable(url, lastLine);
  return lines;
}

/** The family and time of a written line: a JSON line's series, or a text line's `name{…} value timestamp_ms`. */
function lastWritten(line: string | undefined): { family: string; timeSeconds: number } | undefined {
  if (!line) {
    return undefined;
  }
  if (line.startsWith('{"metric"')) {
    const last = JSON.parse(line) as { metric?: { __name__?: string }; timestamps?: number[] };
    const timestampMs = last.timestamps?.at(-1);
    return last.metric?.__name__ && timestampMs !== undefined
      ? { family: last.metric.__name__, timeSeconds: timestampMs / 1000 }
      : undefined;
  }
  const text = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ].*\s(\d+)$/.exec(line);
  return text ? { family: text[1], timeSeconds: Number(text[2]) / 1000 } : undefined;
}

/**
 * A freshly started VictoriaMetrics answers queries over what it just ingested a second or so after force_flush
 * (measured: an instant query right after the flush found none of 320 new series, 1.5 s later all of them). Waits,
 * at most 10 s, until a query at the last line's time finds its family.
 */
async function untilSearchable(url: string, lastLine: string | undefined): Promise<void> {
  const written = lastWritten(lastLine);
  if (!written) {
    return;
  }
  const query = new URLSearchParams({
    query: `count(${labelSelector([matcher('__name__', '=', written.family)])})`,
    time: String(written.timeSeconds),
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const answer = (await (await fetch(`${url}/api/v1/query?${query}`)).json()) as { data?: { result?: unknown[] } };
    if ((answer.data?.result ?? []).length > 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PrometheusOptions {
  /** prometheus.yml contents. */
  config?: string;
  /** OpenMetrics text (seconds timestamps) to backfill with promtool before starting. */
  backfill?: Iterable<string>;
  port?: number;
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<RunningStore> {
  const binary = ensureBinary('prometheus');
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'meshlens-prom-'));
  const configPath = join(dataDir, 'prometheus.yml');
  writeFileSync(configPath, options.config ?? 'global:\n  scrape_interval: 15s\n');
  if (options.backfill) {
    const promtool = ensureBinary('promtool');
    const input = join(dataDir, 'backfill.om');
    writeFileSync(input, '');
    for (const chunk of options.backfill) {
      writeFileSync(input, chunk, { flag: 'a' });
    }
    writeFileSync(input, '# EOF\n', { flag: 'a' });
    execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, join(dataDir, 'tsdb')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(input);
  }
  const child = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dataDir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/-/ready`, 60_000, child);
  return { kind: 'prometheus', url, dataDir, process: child, stop: stopper(child, dataDir, false) };
}
