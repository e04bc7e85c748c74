/**
 * The mesh families the Collector pipeline keeps (DESIGN §1), as stored: a histogram is its three series families.
 * Written out here, not derived from src/, so the tests check the plugin and the pipeline against the design.
 */
export const KEPT_MESH_FAMILIES = [
  'request_total',
  'response_total',
  'response_latency_ms_bucket',
  'response_latency_ms_sum',
  'response_latency_ms_count',
  'tcp_open_total',
  'tcp_open_connections',
  'tcp_read_bytes_total',
  'tcp_write_bytes_total',
  'tcp_close_total',
];
