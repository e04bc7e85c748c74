/**
 * Standalone preview: the plugin's real pages in a plain web page, talking to a real Prometheus-compatible store.
 *
 *   npm run preview                                   # local VictoriaMetrics loaded with the demo scenario
 *   npm run preview -- --prometheus <url> --port <p>  # any Prometheus-compatible store, no data loaded
 *   npm run preview -- --scenario random:42:300       # another scenario (see docs/scenarios.md)
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { importChunks } from '../generator/generate';
import { PLUGIN_ID } from '../src/constants';
import { PREVIEW_DATASOURCE, PREVIEW_DEFAULTS_GLOBAL } from '../preview/constants';
import { scenarioOverrides } from '../generator/scenarios';
import type { JoinOverride } from '../src/settings/types';
import { loadScenario } from '../generator/loadScenario';
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
  /** Keep appending samples every scrape interval so "now" always has data. */
  live: boolean;
  log?: (line: string) => void;
}

export interface RunningPreview {
  url: string;
  storeUrl: string;
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
        // setPluginPage is internal to @grafana/runtime: reach the very module its PluginPage lives in.
        name: 'runtime-internals',
        setup(build) {
          build.onResolve({ filter: /^@grafana\/runtime\/dist\// }, (args) => ({
            path: join(ROOT, 'node_modules', args.path),
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
  response.writeHead(200, {
    'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': 'max-age=3600',
  });
  createReadStream(path).pipe(response);
}

async function proxy(request: IncomingMessage, response: ServerResponse, target: string) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  try {
    const upstream = await fetch(target, {
      method: request.method,
      headers: request.headers['content-type'] ? { 'Content-Type': request.headers['content-type'] } : undefined,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  } catch (error) {
    response.writeHead(502, { 'Content-Type': 'text/plain' }).end(`Bad gateway: ${(error as Error).message}`);
  }
}

export async function startPreview(options: PreviewOptions): Promise<RunningPreview> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let store: RunningStore | undefined;
  let liveTimer: NodeJS.Timeout | undefined;
  let storeUrl: string;
  let scenarioJoinOverrides: JoinOverride[] = [];
  if (options.prometheus) {
    storeUrl = options.prometheus.replace(/\/+$/, '');
    await checkStore(storeUrl);
  } else {
    store = await startVictoriaMetrics();
    storeUrl = store.url;
    const scenario = loadScenario(options.scenario);
    scenarioJoinOverrides = scenarioOverrides(scenario);
    const endMs = Math.floor(Date.now() / 1000) * 1000;
    const startMs = endMs - 3 * 3600_000;
    const lines = await importIntoVictoriaMetrics(
      storeUrl,
      importChunks(scenario, { schema: 'otel', semconv: 'stable', startMs, endMs })
    );
    log(
      `Loaded ${lines} samples of scenario "${scenario.name}" (${scenario.services.length} services, last 3 h) into VictoriaMetrics at ${storeUrl}`
    );
    if (options.live) {
      let last = endMs;
      const step = scenario.scrapeIntervalSeconds * 1000;
      liveTimer = setInterval(() => {
        const next = last + step;
        last = next;
        importIntoVictoriaMetrics(
          storeUrl,
          importChunks(scenario, { schema: 'otel', semconv: 'stable', startMs, endMs: next, fromMs: next })
        ).catch((error: Error) => log(`live import failed: ${error.message}`));
      }, step);
    }
  }

  const bundle = await bundlePreview();
  const defaults = { metricsDatasourceUid: PREVIEW_DATASOURCE.uid, joinOverrides: scenarioJoinOverrides };
  const index = readFileSync(join(ROOT, 'preview/index.html'), 'utf8').replace(
    '<!-- preview-defaults -->',
    `<script>window.${PREVIEW_DEFAULTS_GLOBAL} = ${JSON.stringify(defaults).replace(/</g, '\\u003c')};</script>`
  );
  const proxyPrefix = `/api/datasources/proxy/uid/${PREVIEW_DATASOURCE.uid}/`;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://preview');
    const path = url.pathname;
    if (path.startsWith(proxyPrefix)) {
      void proxy(request, response, `${storeUrl}/${path.slice(proxyPrefix.length)}${url.search}`);
    } else if (path.startsWith('/api/datasources/proxy/uid/')) {
      response
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ message: 'Data source not found' }));
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
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not in the preview');
    } else if (path === '/') {
      response.writeHead(302, { Location: `/a/${PLUGIN_ID}/overview${url.search}` }).end();
    } else {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end(index);
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} is in use: pass another with --port`) : error
      )
    );
    server.listen(options.port, '127.0.0.1', resolveListen);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    storeUrl,
    stop: async () => {
      clearInterval(liveTimer);
      await new Promise((r) => server.close(r));
      await store?.stop();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      prometheus: { type: 'string' },
      port: { type: 'string', default: '3030' },
      scenario: { type: 'string', default: 'demo' },
    },
  });
  const preview = await startPreview({
    prometheus: values.prometheus,
    port: Number(values.port),
    scenario: values.scenario!,
    live: true,
  });
  process.stdout.write(`\nMesh Lens preview: ${preview.url}/a/${PLUGIN_ID}/overview  (Ctrl-C stops it)\n`);
  const shutdown = () => {
    preview.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
