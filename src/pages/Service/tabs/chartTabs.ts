import { SceneDataLayerSet, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';
import {
  boundaryLatencyQueries,
  statusQueries,
  requestRateQueries,
  successQueries,
  tcpQueries,
  type ServiceRef,
} from '../../../query/serviceQueries';
import { getAppSettings } from '../../../settings/appSettings';
import { timeseriesChart } from '../panels';
import { BoundaryBreakdownScene } from '../BoundaryBreakdownScene';
import { OnsetAnnotationsLayer } from '../OnsetAnnotations';
import { RouteProtocolNote } from '../RouteProtocolNote';
import { ServiceHeaderScene } from '../ServiceHeaderScene';
import { grpcSeries, httpSeries, statusSeriesTransform } from './statusSeries';

/**
 * A tab: the service's header, scenes that read the header's figures, then rows of charts, each marked with the
 * onsets the header found.
 */
function tab(
  ref: ServiceRef,
  rows: SceneFlexItem[][],
  readingHeader: (header: ServiceHeaderScene) => SceneObject[] = () => []
): SceneFlexLayout {
  const header = new ServiceHeaderScene({ namespace: ref.namespace, service: ref.workload });
  return new SceneFlexLayout({
    $data: new SceneDataLayerSet({ layers: [new OnsetAnnotationsLayer({ header })] }),
    direction: 'column',
    children: [
      new SceneFlexItem({ body: header, ySizing: 'content' }),
      ...readingHeader(header).map((body) => new SceneFlexItem({ body, ySizing: 'content' })),
      ...rows.map((children) => new SceneFlexItem({ body: new SceneFlexLayout({ direction: 'row', children }) })),
    ],
  });
}

export function boundaryTab(ref: ServiceRef): SceneFlexLayout {
  const settings = getAppSettings();
  return tab(
    ref,
    [
      [
        timeseriesChart({
          title: 'Latency: mesh p50/p95/p99 and app p95',
          description:
            'Mesh quantiles from response_latency_ms (time to first byte at the proxy); the gap to the app p95 is time spent outside the app.',
          unit: 'ms',
          queries: boundaryLatencyQueries(settings, ref),
          baseline: { refIds: ['mesh_p95', 'app_p95'], build: (o) => boundaryLatencyQueries(settings, ref, o) },
        }),
      ],
      [
        timeseriesChart({
          title: 'Success rate: mesh vs app',
          description:
            'Mesh: classification="success" among inbound responses (gRPC status decides when present). App: HTTP < 500 and RPC status OK.',
          unit: 'percentunit',
          queries: successQueries(settings, ref),
          range: { min: 0, max: 1 },
          baseline: { refIds: ['mesh_success', 'app_success'], build: (o) => successQueries(settings, ref, o) },
        }),
        timeseriesChart({
          title: 'Requests per second',
          description: 'Inbound responses seen by the proxy, and requests the app counted.',
          unit: 'reqps',
          queries: requestRateQueries(settings, ref),
          baseline: { refIds: ['mesh_rps', 'app_rps'], build: (o) => requestRateQueries(settings, ref, o) },
        }),
      ],
    ],
    (header) => [new BoundaryBreakdownScene({ service: ref }, header)]
  );
}

/** Responses by gRPC and by HTTP status, and the trap between them: failures in the failure colour throughout. */
export function statusTab(ref: ServiceRef): SceneFlexLayout {
  const settings = getAppSettings();
  const queries = statusQueries(settings, ref);
  return tab(
    ref,
    [
      [
        timeseriesChart({
          title: 'The gRPC trap: failures behind HTTP 200',
          description:
            'Share of inbound responses the proxy classified as failures while the HTTP status was 200, next to the HTTP 5xx share an HTTP-only dashboard watches.',
          unit: 'percentunit',
          queries: queries.trapShare,
          colors: { trap: 'red', callers_trap: 'dark-red', http_errors: 'orange' },
          baseline: { refIds: ['trap', 'callers_trap'], build: (o) => statusQueries(settings, ref, o).trapShare },
        }),
      ],
      [
        timeseriesChart({
          title: 'Responses by gRPC status',
          description:
            'grpc_status from the trailers, as Linkerd records it. Failures (red) are the codes configured as failing, by default Linkerd’s: UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED, INTERNAL, UNAVAILABLE, DATA_LOSS.',
          unit: 'reqps',
          queries: queries.byGrpcStatus,
          noData: 'No gRPC responses in this time range: the service answered HTTP only',
          transform: statusSeriesTransform('grpc_status', (value) => grpcSeries(value, settings.grpcFailureCodes)),
        }),
        timeseriesChart({
          title: 'Responses by HTTP status',
          description: 'status_code: what HTTP-only monitoring sees. 5xx (red) are failures.',
          unit: 'reqps',
          queries: queries.byHttpStatus,
          transform: statusSeriesTransform('status_code', httpSeries),
        }),
      ],
    ],
    (header) => [new RouteProtocolNote({ service: ref }, header)]
  );
}

export function tcpTab(ref: ServiceRef): SceneFlexLayout {
  const queries = tcpQueries(getAppSettings(), ref);
  return tab(ref, [
    [
      timeseriesChart({
        title: 'Open connections',
        description: 'tcp_open_connections, inbound.',
        unit: 'short',
        queries: queries.connections,
      }),
      timeseriesChart({
        title: 'Bytes',
        description: 'tcp_read_bytes_total and tcp_write_bytes_total, inbound.',
        unit: 'Bps',
        queries: queries.bytes,
      }),
      timeseriesChart({
        title: 'Connections closed with an error',
        description: 'tcp_close_total with classification="failure", by errno.',
        unit: 'short',
        queries: queries.closeErrors,
      }),
    ],
  ]);
}
