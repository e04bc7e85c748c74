/**
 * Standalone preview: the plugin's real pages in a plain web page, talking to a real Prometheus-compatible store.
 *
 *   npm run preview                                   # local VictoriaMetrics loaded with the demo scenario
 *   npm run preview -- --prometheus <url> --port <p>  # any Prometheus-compatible store, no data loaded
 *   npm run preview -- --scenario random:42:300       # another scenario (see docs/scenarios.md)
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { jsonLines, scrapeTimes, storedSeries } from '../generator/generate';
import type { ProxyGenerationId } from '../generator/linkerd/generations';
import { loadScenario } from '../generator/loadScenario';
import { scenarioOverrides } from '../generator/scenarios';
import { PREVIEW_DATASOURCE, PREVIEW_GLOBAL, type PreviewBoot } from '../preview/constants';
import { datasourceResource, dsQuery, type HttpAnswer, type PreviewDatasource } from '../preview/server/grafanaApi';
import { PLUGIN_ID } from '../src/constants';
import { DEFAULT_MESH_SELECTORS, type JoinOverride, type LabelSchema } from '../src/settings/types';
import { importIntoVictoriaMetrics, startVictoriaMetrics, type RunningStore } from './lib/stores';

const ROOT = resolve(__dirname, '..');
const ICONS = join(ROOT, 'node_modules/@grafana/ui/dist/public/img/icons');
const PLACEHOLDER_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
const TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.js': 'text/javascript',
  '.html': 'text/html',
};

export interface PreviewOptions {
  /** URL of the store; undefined starts a local VictoriaMetrics loaded with `scenario`. */
  prometheus?: string;
  port: number;
  scenario: string;
  /** The label world the scenario is loaded in (the OTel Collector pipeline, or Linkerd's Prometheus). */
  schema?: LabelSchema;
  /** The Linkerd proxy release the scenario's pods run, instead of the scenario's own. */
  proxy?: ProxyGenerationId;
  /** Keep appending samples every scrape interval so "now" always has data. */
  live: boolean;
  /** How long the server waits for the store before a query fails (default 60 s), as Grafana's data proxy timeout. */
  storeTimeoutMs?: number;
  /** More datasources to offer on the configuration page, each a store's Prometheus API. */
  extraDatasources?: Array<{ uid: string; name: string; url: string }>;
  log?: (line: string) => void;
}

export interface RunningPreview {
  url: string;
  storeUrl: string;
  /** Unix ms at which the loaded scenario's range ends (its changes are placed back from it); none on a user's store. */
  scenarioEndMs?: number;
  stop(): Promise<void>;
}

export interface PreviewBundle {
  js: string;
  css: string;
}

/** Bundles preview/main.tsx with the plugin's sources into one script and one stylesheet. */
export async function bundlePreview(): Promise<PreviewBundle> {
  const result = await esbuild.build({
    entryPoints: { main: join(ROOT, 'preview/main.tsx') },
    bundle: true,
    write: false,
    outdir: join(ROOT, '.preview-build'),
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: {
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
      '.eot': 'empty',
    },
    plugins: [
      {
        // setPluginPage is internal to @grafana/runtime: reach the very module its PluginPage lives in. Its real
        // path, as esbuild resolves every other import: through a symlinked node_modules (a git worktree's) the
        // link's path would bundle a second copy, and the plugin's pages would lose the preview's page chrome.
        name: 'runtime-internals',
        setup(build) {
          // The real path, as esbuild resolves '@grafana/runtime' itself: through a symlinked node_modules (a git
          // worktree's) the module would otherwise be bundled twice, and scenes would render the other copy.
          build.onResolve({ filter: /^@grafana\/runtime\/dist\// }, (args) => ({
            path: realpathSync(join(ROOT, 'node_modules', args.path)),
          }));
        },
      },
      {
        // @grafana/plugin-compat imports functions newer runtimes may export and checks them at run time;
        // webpack leaves a missing named import undefined, esbuild refuses it: read them off the namespace.
        name: 'plugin-compat-optional-imports',
        setup(build) {
          build.onLoad({ filter: /@grafana[\\/]plugin-compat[\\/].*\.mjs$/ }, (args) => {
            let counter = 0;
            const contents = readFileSync(args.path, 'utf8').replace(
              /import \{([^}]*)\} from '(@grafana\/runtime(?:\/unstable)?)';/g,
              (_, names: string, from: string) => {
                const ns = `__runtime${counter++}`;
                const bindings = names
                  .split(',')
                  .map((part) => part.trim())
                  .filter(Boolean)
                  .map((part) => {
                    const [imported, local = imported] = part.split(/\s+as\s+/);
                    return `const ${local} = ${ns}[${JSON.stringify(imported)}];`;
                  });
                return `import * as ${ns} from '${from}';\n${bindings.join('\n')}`;
              }
            );
            return { contents, loader: 'js' };
          });
        },
      },
    ],
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

async function checkStore(url: string): Promise<void> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/api/v1/query?query=1`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
  } catch (error) {
    throw new Error(
      `The store at ${url} does not answer Prometheus queries (${(error as Error).message}). Check the URL.`
    );
  }
}

function sendFile(response: ServerResponse, path: string) {
  const stream = createReadStream(path);
  stream.once('error', () => response.destroy());
  response.writeHead(200, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': 'max-age=3600',
  });
  stream.pipe(response);
}

function send(response: ServerResponse, answer: HttpAnswer) {
  response.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
}

/** Reads a request body of at most `limit` bytes; a client that goes away or sends too much fails only itself. */
function readBody(request: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
    request.once('aborted', () => reject(new Error('request aborted')));
  });
}

/**
 * Only this preview's own pages may call it: the Host must be the address it listens on (no DNS rebinding) and
 * an Origin, when the browser sends one, its own (no cross-site requests from another page the user has open).
 */
export function allowedRequest(request: IncomingMessage, port: number): string | undefined {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!hosts.includes(request.headers.host ?? '')) {
    return `unexpected Host ${JSON.stringify(request.headers.host ?? '')}`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !hosts.some((host) => origin === `http://${host}`)) {
    return `cross-origin request from ${origin}`;
  }
  const method = request.method ?? 'GET';
  if (!['GET', 'HEAD', 'POST'].includes(method)) {
    return `method ${method} not allowed`;
  }
  return undefined;
}

const RESOURCES = /^\/api\/datasources\/uid\/([^/]+)\/resources\/(.+)$/;

interface LiveData {
  timer?: NodeJS.Timeout;
  /** The import in flight, awaited before the store stops. */
  pending: Promise<unknown>;
}

/** Samples the preview writes at most before it starts: a 1,000-service mesh then starts within a minute. */
const SAMPLE_BUDGET = 12_000_000;
const FULL_HISTORY_MS = 3 * 3600_000;
/** The pages' default range: the least history a large mesh keeps, so every default figure covers its window. */
const SHORT_HISTORY_MS = 3600_000;

/**
 * Three hours at the scenario's scrape interval when that fits the budget; a large mesh keeps the pages' default
 * hour, scraped less often (every sample still the generator's exact value at its time: only the charts get coarser).
 */
export function previewHistory(seriesCount: number, scrapeMs: number): { historyMs: number; stepMs: number } {
  if (seriesCount * (FULL_HISTORY_MS / scrapeMs) <= SAMPLE_BUDGET) {
    return { historyMs: FULL_HISTORY_MS, stepMs: scrapeMs };
  }
  const points = Math.max(2, Math.floor(SAMPLE_BUDGET / seriesCount));
  const stepMs = Math.max(scrapeMs, Math.ceil(SHORT_HISTORY_MS / points / scrapeMs) * scrapeMs);
  return { historyMs: SHORT_HISTORY_MS, stepMs };
}

async function loadScenarioIntoStore(
  options: PreviewOptions,
  store: RunningStore,
  log: (line: string) => void,
  live: LiveData
): Promise<{ joinOverrides: JoinOverride[]; endMs: number }> {
  const loaded = loadScenario(options.scenario);
  const scenario = options.proxy ? { ...loaded, proxy: options.proxy } : loaded;
  const schema = options.schema ?? 'otel';
  const started = Date.now();
  const endMs = Math.floor(started / 1000) * 1000;
  // Built once: the live import samples the same series every scrape interval.
  const series = storedSeries(scenario, { schema, semconv: 'stable', endMs });
  const { historyMs, stepMs } = previewHistory(series.length, scenario.scrapeIntervalSeconds * 1000);
  const startMs = endMs - historyMs;
  const times = scrapeTimes({ ...scenario, scrapeIntervalSeconds: stepMs / 1000 }, startMs, endMs);
  await importIntoVictoriaMetrics(store.url, jsonLines(series, times, startMs), 'json');
  log(
    `Loaded scenario "${scenario.name}" (${scenario.services.length} services, ${series.length} series, ` +
      `last ${historyMs / 3600_000} h every ${stepMs / 1000} s, ${schema} world, Linkerd ${scenario.proxy}) into ` +
      `VictoriaMetrics at ${store.url} in ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  if (options.live) {
    let last = endMs;
    live.timer = setInterval(() => {
      last += stepMs;
      live.pending = importIntoVictoriaMetrics(store.url, jsonLines(series, [last], startMs), 'json').catch(
        (error: Error) => log(`live import failed: ${error.message}`)
      );
    }, stepMs);
  }
  return { joinOverrides: scenarioOverrides(scenario), endMs };
}

export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let store: RunningStore | undefined;
  const live: LiveData = { pending: Promise.resolve() };
  const stopStore = async () => {
    clearInterval(live.timer);
    await live.pending;
    await store?.stop();
  };
  try {
    let storeUrl: string;
    let joinOverrides: JoinOverride[] = [];
    let scenarioEndMs: number | undefined;
    if (options.prometheus) {
      storeUrl = options.prometheus.replace(/\/+$/, '');
      await checkStore(storeUrl);
    } else {
      store = await startVictoriaMetrics();
      storeUrl = store.url;
      ({ joinOverrides, endMs: scenarioEndMs } = await loadScenarioIntoStore(options, store, log, live));
    }
    const datasources: PreviewDatasource[] = [
      { ...PREVIEW_DATASOURCE, url: storeUrl },
      ...(options.extraDatasources ?? []).map((ds) => ({ ...ds, type: 'prometheus' as const })),
    ];
    const schema = options.schema ?? 'otel';
    const boot: PreviewBoot = {
      datasources: datasources.map(({ uid, name, type }) => ({ uid, name, type })),
      defaults: {
        metricsDatasourceUid: PREVIEW_DATASOURCE.uid,
        labelSchema: schema,
        meshSelector: DEFAULT_MESH_SELECTORS[schema],
        joinOverrides,
      },
    };
    const server = await serve(options, datasources, boot);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
      url: `http://127.0.0.1:${port}`,
      storeUrl,
      scenarioEndMs,
      stop: async () => {
        await new Promise((r) => server.close(r));
        await stopStore();
      },
    };
  } catch (error) {
    await stopStore();
    throw error;
  }
}

async function serve(options: PreviewOptions, datasources: PreviewDatasource[], boot: PreviewBoot) {
  const bundle = await bundlePreview();
  const index = readFileSync(join(ROOT, 'preview/index.html'), 'utf8').replace(
    '<!-- preview-boot -->',
    `<script>window.${PREVIEW_GLOBAL} = ${JSON.stringify(boot).replace(/</g, '\\u003c')};</script>`
  );
  let port = options.port;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const refused = allowedRequest(request, port);
    if (refused) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end(`Forbidden: ${refused}\n`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://preview');
    const path = url.pathname;
    const resource = RESOURCES.exec(path);
    if (path === '/api/ds/query' && request.method === 'POST') {
      send(response, await dsQuery(datasources, await readBody(request), options.storeTimeoutMs));
    } else if (request.method === 'POST') {
      response.writeHead(405, { 'Content-Type': 'text/plain', Allow: 'GET' }).end('Method not allowed\n');
    } else if (resource) {
      const uid = decodeURIComponent(resource[1]);
      send(response, await datasourceResource(datasources, uid, resource[2], url.search, options.storeTimeoutMs));
    } else if (path === '/preview/main.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle.js);
    } else if (path === '/preview/main.css') {
      response.writeHead(200, { 'Content-Type': 'text/css' }).end(bundle.css);
    } else if (path.startsWith('/public/build/img/icons/')) {
      const file = normalize(join(ICONS, path.slice('/public/build/img/icons/'.length)));
      if (file.startsWith(ICONS) && existsSync(file) && statSync(file).isFile()) {
        sendFile(response, file);
      } else {
        // Grafana serves a few icons (the spinner among them) from its own build: draw a plain circle instead.
        response.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(PLACEHOLDER_ICON);
      }
    } else if (path.startsWith('/public/fonts/')) {
      // Grafana's fonts ship with Grafana, not with @grafana/ui: the preview falls back to system fonts.
      response.writeHead(204).end();
    } else if (path === `/public/plugins/${PLUGIN_ID}/img/logo.svg`) {
      sendFile(response, join(ROOT, 'src/img/logo.svg'));
    } else if (path.startsWith('/public/') || path.startsWith('/api/')) {
      response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"not in the preview"}');
    } else if (path === '/') {
      response.writeHead(302, { Location: `/a/${PLUGIN_ID}/overview${url.search}` }).end();
    } else {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(index);
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      // A client that left or sent garbage fails its own request, never the preview.
      if (!response.headersSent) {
        response.writeHead(400, { 'Content-Type': 'text/plain' });
      }
      response.end(`Bad request: ${error.message}\n`);
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} is in use: pass another with --port`) : error
      )
    );
    server.listen(options.port, '127.0.0.1', resolveListen);
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return server;
}

async function main() {
  const { values } = parseArgs({
    options: {
      prometheus: { type: 'string' },
      port: { type: 'string', default: '3030' },
      scenario: { type: 'string', default: 'demo' },
      schema: { type: 'string', default: 'otel' },
      proxy: { type: 'string' },
    },
  });
  if (values.schema !== 'otel' && values.schema !== 'linkerd') {
    throw new Error(`--schema takes otel or linkerd, got ${values.schema}`);
  }
  if (values.proxy !== undefined && values.proxy !== '2.20' && values.proxy !== '2.14.1') {
    throw new Error(`--proxy takes 2.20 or 2.14.1, got ${values.proxy}`);
  }
  const preview = await startPreview({
    prometheus: values.prometheus,
    port: Number(values.port),
    scenario: values.scenario!,
    schema: values.schema,
    proxy: values.proxy as ProxyGenerationId | undefined,
    live: true,
  });
  process.stdout.write(`\nMesh Lens preview: ${preview.url}/a/${PLUGIN_ID}/overview  (Ctrl-C stops it)\n`);
  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) {
      return;
    }
    stopping = true;
    preview.stop().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGHUP', () => shutdown(0));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    shutdown(1);
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
