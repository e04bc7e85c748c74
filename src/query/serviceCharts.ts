/**
 * Every chart of the drill-down, in one table: the tab and row it sits in, its words and unit, and its queries. The
 * drill-down draws it (src/pages/Service/tabs/chartTabs.ts) and the cardinality budget reads its queries to know
 * which families and labels a view reads (src/cardinality/viewUsage.ts): a new chart is counted by both.
 */
import type { AppSettings } from '../settings/types';
import {
  boundaryLatencyQueries,
  requestRateQueries,
  statusQueries,
  successQueries,
  tcpQueries,
  type PanelQuery,
  type PanelQueryOptions,
  type ServiceRef,
} from './serviceQueries';

export type ChartTab = 'boundary' | 'status' | 'tcp';

export interface ServiceChart {
  tab: ChartTab;
  /** Charts of one row sit side by side, rows top to bottom. */
  row: number;
  title: string;
  description: string;
  /** A Grafana unit id. */
  unit: string;
  queries: (settings: AppSettings, ref: ServiceRef, options?: PanelQueryOptions) => PanelQuery[];
  /** Shares stay between 0 and 1 so a dip reads as a dip. */
  range?: { min: number; max: number };
  /** A fixed colour (a Grafana colour name) per query refId. */
  colors?: Record<string, string>;
  /** What the panel says instead of "No data". */
  noData?: string;
  /** The main series, drawn an offset earlier while the page compares. */
  baselineRefIds?: string[];
  /** Series named and coloured by this status label (failures in the failure colour). */
  statusLabel?: 'grpc_status' | 'status_code';
}

export const SERVICE_CHARTS: readonly ServiceChart[] = [
  {
    tab: 'boundary',
    row: 0,
    title: 'Latency: mesh p50/p95/p99 and app p95',
    description:
      'Mesh quantiles from response_latency_ms (time to first byte at the proxy); the gap to the app p95 is time spent outside the app.',
    unit: 'ms',
    queries: boundaryLatencyQueries,
    baselineRefIds: ['mesh_p95', 'app_p95'],
  },
  {
    tab: 'boundary',
    row: 1,
    title: 'Success rate: mesh vs app',
    description:
      'Mesh: classification="success" among inbound responses (gRPC status decides when present). App: HTTP < 500 and RPC status OK.',
    unit: 'percentunit',
    queries: successQueries,
    range: { min: 0, max: 1 },
    baselineRefIds: ['mesh_success', 'app_success'],
  },
  {
    tab: 'boundary',
    row: 1,
    title: 'Requests per second',
    description: 'Inbound responses seen by the proxy, and requests the app counted.',
    unit: 'reqps',
    queries: requestRateQueries,
    baselineRefIds: ['mesh_rps', 'app_rps'],
  },
  {
    tab: 'status',
    row: 0,
    title: 'The gRPC trap: failures behind HTTP 200',
    description:
      'Share of inbound responses the proxy classified as failures while the HTTP status was 200, next to the HTTP 5xx share an HTTP-only dashboard watches.',
    unit: 'percentunit',
    queries: (settings, ref, options) => statusQueries(settings, ref, options).trapShare,
    colors: { trap: 'red', callers_trap: 'dark-red', http_errors: 'orange' },
    baselineRefIds: ['trap', 'callers_trap'],
  },
  {
    tab: 'status',
    row: 1,
    title: 'Responses by gRPC status',
    description:
      'grpc_status from the trailers, as Linkerd records it. Failures (red) are the codes configured as failing, by default Linkerd’s: UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED, INTERNAL, UNAVAILABLE, DATA_LOSS.',
    unit: 'reqps',
    queries: (settings, ref, options) => statusQueries(settings, ref, options).byGrpcStatus,
    noData: 'No gRPC responses in this time range: the service answered HTTP only',
    statusLabel: 'grpc_status',
  },
  {
    tab: 'status',
    row: 1,
    title: 'Responses by HTTP status',
    description: 'status_code: what HTTP-only monitoring sees. 5xx (red) are failures.',
    unit: 'reqps',
    queries: (settings, ref, options) => statusQueries(settings, ref, options).byHttpStatus,
    statusLabel: 'status_code',
  },
  {
    tab: 'tcp',
    row: 0,
    title: 'Open connections',
    description: 'tcp_open_connections of the callers’ connections to the proxy (inbound, peer="src").',
    unit: 'short',
    queries: (settings, ref) => tcpQueries(settings, ref).connections,
  },
  {
    tab: 'tcp',
    row: 0,
    title: 'Bytes',
    description: 'tcp_read_bytes_total and tcp_write_bytes_total of the callers’ connections (inbound, peer="src").',
    unit: 'Bps',
    queries: (settings, ref) => tcpQueries(settings, ref).bytes,
  },
  {
    tab: 'tcp',
    row: 0,
    title: 'Connections closed with an error',
    description:
      'tcp_close_total closes that carry an errno, by errno (the proxy records no classification on closes).',
    unit: 'short',
    queries: (settings, ref) => tcpQueries(settings, ref).closeErrors,
  },
];

/** The charts of one tab, row by row. */
export function chartRows(tab: ChartTab): ServiceChart[][] {
  const rows: ServiceChart[][] = [];
  for (const chart of SERVICE_CHARTS.filter((c) => c.tab === tab)) {
    (rows[chart.row] ??= []).push(chart);
  }
  return rows.filter(Boolean);
}
