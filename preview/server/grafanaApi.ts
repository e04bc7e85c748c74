/**
 * The part of Grafana's HTTP API the plugin's pages call, for the preview: `POST /api/ds/query` answered as
 * Grafana's Prometheus backend answers it (promFrames.ts), and the datasource resources API
 * `GET /api/datasources/uid/<uid>/resources/api/v1/{labels,label/<name>/values,series,query}`, read-only, passed
 * through to the store as promlib's resource handler does. Nothing else of the store is reachable.
 */
import {
  interpolateVariables,
  queryDataResponse,
  transportFailure,
  type DataResponseJson,
  type PromQueryModel,
} from './promFrames';

export interface PreviewDatasource {
  uid: string;
  name: string;
  type: 'prometheus';
  /** The store's Prometheus API base URL. */
  url: string;
}

/** One query of `/api/ds/query` as the Prometheus frontend sends it (`pkg/promlib/models/query.go`). */
interface QueryJson {
  refId?: string;
  datasource?: { uid?: string };
  expr?: string;
  instant?: boolean;
  range?: boolean;
  legendFormat?: string;
  interval?: string;
  intervalMs?: number;
  maxDataPoints?: number;
}

interface QueryRequestJson {
  queries?: QueryJson[];
  from?: string;
  to?: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
}

const SCRAPE_MS = 15_000;
/** promlib's safeResolution: never more points than this per series. */
const SAFE_RESOLUTION = 11_000;
/** How long the preview waits for the store, headers and body included, before the query fails. */
export const STORE_TIMEOUT_MS = 60_000;

/** Grafana's interval rounding (`pkg/promlib/intervalv2`, `roundInterval`), enough of it for the preview. */
function roundInterval(ms: number): number {
  const steps: Array<[number, number]> = [
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12_500, 10_000],
    [17_500, 15_000],
    [25_000, 20_000],
    [45_000, 30_000],
    [90_000, 60_000],
    [210_000, 120_000],
    [450_000, 300_000],
    [750_000, 600_000],
    [1_050_000, 900_000],
    [1_500_000, 1_200_000],
    [2_700_000, 1_800_000],
    [5_400_000, 3_600_000],
  ];
  return steps.find(([limit]) => ms <= limit)?.[1] ?? Math.round(ms / 3_600_000) * 3_600_000;
}

function stepOf(query: QueryJson, rangeMs: number): number {
  const minInterval = Math.max(query.intervalMs ?? 0, SCRAPE_MS);
  const calculated = Math.max(minInterval, roundInterval(rangeMs / Math.max(1, query.maxDataPoints ?? 1000)));
  return Math.max(calculated, Math.ceil(rangeMs / SAFE_RESOLUTION / 1000) * 1000);
}

async function fetchStore(
  url: string,
  init: RequestInit,
  timeoutMs: number
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, text: await response.text() };
}

function describeFetchFailure(url: string, error: unknown): string {
  const cause = (error as { cause?: { message?: string } })?.cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return `Post "${url}": ${cause ?? message}`;
}

async function runQuery(
  datasources: Map<string, PreviewDatasource>,
  query: QueryJson,
  fromMs: number,
  toMs: number,
  timeoutMs: number
) {
  const ds = datasources.get(query.datasource?.uid ?? '');
  if (!ds) {
    return { status: 404, error: `data source not found`, errorSource: 'downstream' } satisfies DataResponseJson;
  }
  const rangeMs = Math.max(0, toMs - fromMs);
  const stepMs = stepOf(query, rangeMs);
  const expr = interpolateVariables(query.expr ?? '', {
    stepMs,
    intervalMs: query.intervalMs ?? stepMs,
    rangeMs,
    scrapeMs: SCRAPE_MS,
  });
  const model: PromQueryModel = { expr, legendFormat: query.legendFormat, stepMs };
  const instant = query.instant === true && query.range !== true;
  // promlib aligns a range query's start and end to its step.
  const align = (ms: number) => Math.floor(ms / stepMs) * stepMs;
  const params = instant
    ? new URLSearchParams({ query: expr, time: String(toMs / 1000) })
    : new URLSearchParams({
        query: expr,
        start: String(align(fromMs) / 1000),
        end: String(align(toMs) / 1000),
        step: String(stepMs / 1000),
      });
  const url = `${ds.url}/api/v1/${instant ? 'query' : 'query_range'}`;
  try {
    const { status, text } = await fetchStore(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      },
      timeoutMs
    );
    return queryDataResponse(model, status, text);
  } catch (error) {
    return transportFailure(describeFetchFailure(url, error));
  }
}

function json(status: number, body: unknown): HttpAnswer {
  return { status, body: JSON.stringify(body), contentType: 'application/json' };
}

/**
 * `/api/ds/query` (grafana `pkg/api/ds_query.go`): every query's result under its refId; if any query failed the
 * whole answer is HTTP 400 and still carries every result.
 */
export async function dsQuery(
  datasources: PreviewDatasource[],
  body: string,
  timeoutMs = STORE_TIMEOUT_MS
): Promise<HttpAnswer> {
  let request: QueryRequestJson;
  try {
    request = JSON.parse(body) as QueryRequestJson;
  } catch {
    return json(400, { message: 'bad request data' });
  }
  const queries = Array.isArray(request.queries) ? request.queries : [];
  if (queries.length === 0) {
    return json(400, { message: 'No queries found' });
  }
  const byUid = new Map(datasources.map((ds) => [ds.uid, ds]));
  const toMs = Number(request.to ?? Date.now());
  const fromMs = Number(request.from ?? toMs - 3_600_000);
  const answers = await Promise.all(queries.map((q) => runQuery(byUid, q, fromMs, toMs, timeoutMs)));
  const results = Object.fromEntries(queries.map((q, i) => [q.refId ?? 'A', answers[i]]));
  return json(answers.some((a) => a.error !== undefined) ? 400 : 200, { results });
}

const RESOURCE_PATHS = [
  /^api\/v1\/labels$/,
  /^api\/v1\/label\/[^/]+\/values$/,
  /^api\/v1\/series$/,
  /^api\/v1\/query$/,
];

/** A datasource resource call: GET only, and only the metadata paths the plugin reads. */
export async function datasourceResource(
  datasources: PreviewDatasource[],
  uid: string,
  path: string,
  search: string,
  timeoutMs = STORE_TIMEOUT_MS
): Promise<HttpAnswer> {
  const ds = datasources.find((d) => d.uid === uid);
  if (!ds) {
    return json(404, { message: 'Data source not found' });
  }
  if (!RESOURCE_PATHS.some((pattern) => pattern.test(path))) {
    return json(404, { message: `the preview serves no resource ${path}` });
  }
  const url = `${ds.url}/${path}${search}`;
  try {
    const { status, text } = await fetchStore(url, {}, timeoutMs);
    return { status, body: text, contentType: 'application/json' };
  } catch (error) {
    return json(502, { message: describeFetchFailure(url, error).replace(/^Post/, 'Get') });
  }
}
