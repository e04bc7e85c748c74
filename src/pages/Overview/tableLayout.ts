/**
 * The overview table's columns: figures grouped by layer, a layer's quantiles in one cell, so the figures an SRE
 * compares fit 1280 px without scrolling. Every figure keeps its own `cell-<id>` element and sort key.
 */
export interface TableColumn {
  /** The figures in the cell, each with its header label (its sort button). */
  figures: Array<{ id: string; label: string }>;
}

export interface TableGroup {
  name: string;
  hint: string;
  columns: TableColumn[];
}

export const TABLE_GROUPS: TableGroup[] = [
  {
    name: 'Mesh',
    hint: "The service's own Linkerd proxy, inbound: what its callers got",
    columns: [
      { figures: [{ id: 'mesh-rps', label: 'RPS' }] },
      { figures: [{ id: 'mesh-success', label: 'Success' }] },
      {
        figures: [
          { id: 'mesh-p50', label: 'p50' },
          { id: 'mesh-p95', label: 'p95' },
          { id: 'mesh-p99', label: 'p99' },
        ],
      },
    ],
  },
  {
    name: 'App',
    hint: "The app's own OpenTelemetry server metrics",
    columns: [
      { figures: [{ id: 'app-rps', label: 'RPS' }] },
      { figures: [{ id: 'app-success', label: 'Success' }] },
      {
        figures: [
          { id: 'app-p50', label: 'p50' },
          { id: 'app-p95', label: 'p95' },
        ],
      },
    ],
  },
  {
    name: 'Outside the app',
    hint: 'Mesh − app: time spent in the proxy, the network and the pod before the app answered',
    columns: [
      { figures: [{ id: 'outside-app-mean', label: 'mean' }] },
      { figures: [{ id: 'outside-app-p95', label: 'p95' }] },
    ],
  },
];
