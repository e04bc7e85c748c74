/**
 * A store that fails on demand: a small HTTP server in front of a real Prometheus-compatible store, passing every
 * request through until told to fail. Told over its control URL (`POST <controlUrl>` with a FaultPlan as JSON), so a
 * test in another process (a Playwright worker) can set the fault its page then meets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const FAULTS = [
  'refuse',
  'http-400',
  'http-500',
  'not-json',
  'truncated-json',
  'stall-headers',
  'stall-body',
  'reset',
] as const;

/** What the store does to the requests it fails; `none` passes everything through. */
export type Fault = (typeof FAULTS)[number] | 'none';

export interface FaultPlan {
  fault: Fault;
  /**
   * Fail only the requests whose PromQL (`query`, or `match[]` of a metadata request) contains this text; the
   * others pass through. Not for `refuse`, which closes the port to every request.
   */
  match?: string;
}

export interface FaultStore {
  url: string;
  controlUrl: string;
  /** Requests failed since the last plan, by fault. */
  failed(): number;
  set(plan: FaultPlan): Promise<void>;
  close(): Promise<void>;
}

const BAD_DATA = JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'injected fault: bad_data' });
const PARTIAL = '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"val';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** The PromQL a request carries: a query (form body or URL) or a metadata request's series selector. */
function promqlOf(request: IncomingMessage, body: Buffer): string {
  const url = new URL(request.url ?? '/', 'http://store');
  const form = new URLSearchParams(body.toString('utf8'));
  return [url.searchParams.get('query'), form.get('query'), ...url.searchParams.getAll('match[]')]
    .filter(Boolean)
    .join('\n');
}

async function passThrough(upstream: string, request: IncomingMessage, body: Buffer, response: ServerResponse) {
  try {
    const answer = await fetch(`${upstream}${request.url ?? '/'}`, {
      method: request.method,
      headers: request.headers['content-type'] ? { 'Content-Type': request.headers['content-type'] } : {},
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : new Uint8Array(body),
    });
    const text = await answer.text();
    response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
    response.end(text);
  } catch (error) {
    response.writeHead(502, { 'Content-Type': 'text/plain' }).end(`fault store: upstream failed: ${String(error)}`);
  }
}

/** Answers one request with the fault; a stalled request's socket goes into `stalled`. */
function inject(
  fault: Exclude<Fault, 'none' | 'refuse'>,
  response: ServerResponse,
  socket: Socket,
  stalled: Set<Socket>
) {
  switch (fault) {
    case 'http-400':
      response.writeHead(400, { 'Content-Type': 'application/json' }).end(BAD_DATA);
      return;
    case 'http-500':
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('injected fault: internal error\n');
      return;
    case 'not-json':
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><html><title>Sign in</title><body>injected fault</body></html>');
      return;
    case 'truncated-json':
      // A complete HTTP answer whose JSON stops half-way (a proxy that cut the body short).
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(PARTIAL);
      return;
    case 'stall-headers':
      stalled.add(socket);
      return; // never answers; the socket is destroyed when the plan changes or the client gives up
    case 'stall-body':
      stalled.add(socket);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write(PARTIAL);
      return; // the rest never comes
    case 'reset':
      socket.destroy();
      return;
  }
}

export async function startFaultStore(upstream: string): Promise<FaultStore> {
  let plan: FaultPlan = { fault: 'none' };
  let failed = 0;
  const sockets = new Set<Socket>();
  const stalled = new Set<Socket>();
  const store: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const { fault, match } = plan;
      if (fault === 'none' || fault === 'refuse' || (match !== undefined && !promqlOf(request, body).includes(match))) {
        return passThrough(upstream, request, body, response);
      }
      failed++;
      inject(fault, response, request.socket, stalled);
      return undefined;
    });
  });
  store.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      stalled.delete(socket);
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      store.once('error', reject);
      store.listen(port, '127.0.0.1', () => {
        store.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const address = store.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dropConnections = () => sockets.forEach((socket) => socket.destroy());

  // Idle keep-alive connections stay: closing them under a client makes its next request fail for another reason.
  const set = async (next: FaultPlan) => {
    stalled.forEach((socket) => socket.destroy());
    if (next.fault === 'refuse' && store.listening) {
      const closed = new Promise((resolve) => store.close(resolve));
      dropConnections();
      await closed;
    } else if (next.fault !== 'refuse' && !store.listening) {
      await listen(port);
    }
    plan = next;
    failed = 0;
  };

  const control = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      if (request.method === 'POST') {
        await set(JSON.parse(body.toString('utf8')) as FaultPlan);
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ...plan, failed }));
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlAddress = control.address();
  const controlPort = typeof controlAddress === 'object' && controlAddress ? controlAddress.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    failed: () => failed,
    set,
    close: async () => {
      dropConnections();
      control.closeAllConnections();
      await Promise.all([
        store.listening ? new Promise((resolve) => store.close(resolve)) : Promise.resolve(),
        new Promise((resolve) => control.close(resolve)),
      ]);
    },
  };
}

/** Sets the plan of a fault store run by another process. */
export async function setFault(controlUrl: string, plan: FaultPlan): Promise<void> {
  const response = await fetch(controlUrl, { method: 'POST', body: JSON.stringify(plan) });
  if (!response.ok) {
    throw new Error(`the fault store refused the plan: HTTP ${response.status}`);
  }
}
