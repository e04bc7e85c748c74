/**
 * The preview's doors, tried against the real preview process (`scripts/preview.ts`, as `npm run preview` runs it,
 * with its own VictoriaMetrics loaded with a scenario): what a web page the user has open, a DNS-rebinding site or a
 * broken client could do to it. Each refusal is checked against the store itself: the series are all still there,
 * and the same request sent straight to the store does what the preview must never let through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/stores';
import { PREVIEW_DATASOURCE } from '../../preview/constants';

const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SCENARIO = 'random:7:3';

interface PreviewProcess {
  child: ChildProcess;
  port: number;
  /** Its private TMPDIR: the store's data directory is created in it. */
  tmp: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `scripts/preview.ts` on a port with a TMPDIR of its own, and resolves once it says where it listens. */
function startPreviewProcess(port: number): { process: PreviewProcess; ready: Promise<void> } {
  const tmp = mkdtempSync(join(tmpdir(), 'meshlens-preview-test-'));
  const child = spawn(TSX, [join(ROOT, 'scripts/preview.ts'), '--port', String(port), '--scenario', SCENARIO], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes('Mesh Lens preview: ')) {
        clearInterval(check);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`the preview exited with ${code}:\n${output}`));
    });
  });
  return { process: { child, port, tmp, output: () => output, exited }, ready };
}

/** Store data directories left in a TMPDIR, and processes still running on one. */
function leftovers(tmp: string): { dataDirs: string[]; processes: string[] } {
  const dataDirs = readdirSync(tmp).filter((name) => name.startsWith('meshlens-vm-'));
  const processes = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return args.includes(`-storageDataPath=${tmp}`) ? [`${pid}: ${args.trim()}`] : [];
      } catch {
        return [];
      }
    });
  return { dataDirs, processes };
}

interface Answer {
  status: number;
  body: string;
}

/** A raw HTTP request, headers exactly as given (fetch would not send a foreign Host or keep `..` in a path). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

const DS_QUERY_BODY = (expr: string) =>
  JSON.stringify({
    queries: [{ refId: 'A', datasource: { uid: PREVIEW_DATASOURCE.uid }, expr, instant: true }],
    from: String(Date.now() - 3_600_000),
    to: String(Date.now()),
  });

describe('the preview process', () => {
  let preview: PreviewProcess;
  let storeUrl: string;

  /** Series in the preview's store, asked of the store itself. */
  async function seriesInStore(): Promise<number> {
    const response = await fetch(`${storeUrl}/api/v1/query?query=${encodeURIComponent('count({__name__=~".+"})')}`);
    const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return Number(body.data.result[0]?.value[1] ?? 0);
  }

  beforeAll(async () => {
    const started = startPreviewProcess(await freePort());
    preview = started.process;
    await started.ready;
    storeUrl = /into VictoriaMetrics at (http:\/\/127\.0\.0\.1:\d+)/.exec(preview.output())![1];
  });

  afterAll(async () => {
    if (preview && preview.child.exitCode === null) {
      preview.child.kill('SIGTERM');
      await preview.exited;
    }
    if (preview) {
      rmSync(preview.tmp, { recursive: true, force: true });
    }
  });

  it('answers its own page’s queries', async () => {
    const answer = await send(
      preview.port,
      'POST',
      '/api/ds/query',
      { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${preview.port}` },
      DS_QUERY_BODY('count(response_total)')
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).results.A.frames).toHaveLength(1);
    expect(await seriesInStore()).toBeGreaterThan(100);
  });

  it.each([
    ['another site', 'http://evil.example'],
    ['another port of this host', 'http://127.0.0.1:1'],
    ['a sandboxed frame or a file', 'null'],
  ])('refuses a cross-origin query from %s', async (_, origin) => {
    const answer = await send(
      preview.port,
      'POST',
      '/api/ds/query',
      { 'Content-Type': 'application/json', Origin: origin },
      DS_QUERY_BODY('count(response_total)')
    );
    expect(answer).toEqual({ status: 403, body: `Forbidden: cross-origin request from ${origin}\n` });
  });

  it.each<[string, (port: number) => string]>([
    ['a rebound name', () => 'evil.example'],
    ['a rebound name on the preview’s port', (port) => `evil.example:${port}`],
    ['a look-alike', (port) => `localhost.evil.example:${port}`],
    ['another port', () => 'localhost:1'],
  ])('refuses a foreign Host (DNS rebinding): %s, on every path', async (_, host) => {
    const name = host(preview.port);
    for (const path of ['/', '/a/meshlens-boundary-app/overview', '/api/ds/query']) {
      const answer = await send(preview.port, 'GET', path, { Host: name });
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: 403,
        body: `Forbidden: unexpected Host ${JSON.stringify(name)}\n`,
      });
    }
  });

  it('refuses a request without a Host (HTTP/1.0, which may omit it)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(preview.port, '127.0.0.1', () => socket.write('GET /api/ds/query HTTP/1.0\r\n\r\n'));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n[\s\S]*\r\n\r\nForbidden: unexpected Host ""\n$/);
  });

  it.each(['DELETE', 'PUT', 'PATCH', 'OPTIONS'])('refuses %s, even from its own origin', async (method) => {
    const answer = await send(preview.port, method, '/api/ds/query', { Origin: `http://127.0.0.1:${preview.port}` });
    expect(answer).toEqual({ status: 403, body: `Forbidden: method ${method} not allowed\n` });
  });

  const resources = `/api/datasources/uid/${PREVIEW_DATASOURCE.uid}/resources`;
  const wipe = `match[]=${encodeURIComponent('{__name__=~".+"}')}`;
  it.each([
    ['GET', `${resources}/api/v1/admin/tsdb/delete_series?${wipe}`],
    ['POST', `${resources}/api/v1/admin/tsdb/delete_series?${wipe}`],
    ['GET', `/api/v1/admin/tsdb/delete_series?${wipe}`],
    ['POST', `${resources}/api/v1/import`],
    ['POST', `${resources}/api/v1/import/prometheus`],
    ['POST', '/api/v1/write'],
    ['GET', `${resources}/api/v1/label/../../admin/tsdb/delete_series?${wipe}`],
    ['GET', `${resources}/api/v1/label/%2e%2e/values?${wipe}`],
    ['GET', `${resources}/internal/force_merge`],
    ['GET', `${resources}/snapshot/create`],
  ])('refuses %s %s, and the store keeps every series', async (method, path) => {
    const before = await seriesInStore();
    const answer = await send(
      preview.port,
      method,
      path,
      { 'Content-Type': 'text/plain' },
      method === 'POST' ? 'forged_total{layer="mesh"} 1' : undefined
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await seriesInStore()).toBe(before);
  });

  it('passes an encoded path in a label name through as a label name, read-only', async () => {
    // `%2f` is no separator: the store reads one odd label name and lists its (no) values.
    const before = await seriesInStore();
    const path = `${resources}/api/v1/label/%2e%2e%2f%2e%2e%2fadmin%2ftsdb%2fdelete_series/values?${wipe}`;
    const answer = await send(preview.port, 'GET', path);
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({
      status: 200,
      body: { status: 'success', data: [] },
    });
    expect(await seriesInStore()).toBe(before);
  });

  it('survives a client that aborts an upload, sends too much, or speaks no HTTP', async () => {
    const port = preview.port;
    // An upload that stops half-way and hangs up.
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/ds/query HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
            'Content-Length: 100000\r\n\r\n{"queries":[{"refId":"A","expr":"'
        );
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // A body over the limit.
    const tooMuch = await send(port, 'POST', '/api/ds/query', {}, 'x'.repeat(2_000_000)).catch((error: Error) => ({
      status: 0,
      body: error.message,
    }));
    expect(tooMuch.status === 400 || /socket hang up|ECONNRESET|EPIPE/.test(tooMuch.body)).toBe(true);
    // Garbage instead of HTTP, and a body that is not JSON.
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('\x16\x03\x01 not http at all\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect((await send(port, 'POST', '/api/ds/query', {}, '{"queries": [')).status).toBe(400);
    // Still serving, the same process.
    expect(preview.child.exitCode).toBeNull();
    const answer = await send(port, 'POST', '/api/ds/query', {}, DS_QUERY_BODY('count(response_total)'));
    expect(answer.status).toBe(200);
  });

  it('would have let the store be wiped: the same delete sent to the store itself works', async () => {
    // The doors above matter: the store has no authentication of its own.
    expect(await seriesInStore()).toBeGreaterThan(0);
    const direct = await fetch(`${storeUrl}/api/v1/admin/tsdb/delete_series?${wipe}`, { method: 'POST' });
    expect(direct.status).toBe(204);
    expect(await seriesInStore()).toBe(0);
  });

  it('stops its store and removes its data on SIGTERM', async () => {
    expect(leftovers(preview.tmp).dataDirs).toHaveLength(1);
    preview.child.kill('SIGTERM');
    expect(await preview.exited).toBe(0);
    expect(leftovers(preview.tmp)).toEqual({ dataDirs: [], processes: [] });
  });
});

describe('the preview process on a port in use', () => {
  let blocker: Server;
  let tmp: string | undefined;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    if (tmp) {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('exits with a clear message, leaving no store running and no data directory behind', async () => {
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { process: preview, ready } = startPreviewProcess(port);
    tmp = preview.tmp;
    await expect(ready).rejects.toThrow(/exited with 1/);
    expect(preview.output()).toContain(`Port ${port} is in use: pass another with --port`);
    // It got as far as loading its store before the port was refused.
    expect(preview.output()).toContain('into VictoriaMetrics at');
    expect(leftovers(preview.tmp)).toEqual({ dataDirs: [], processes: [] });
  });
});
