import { SceneDataLayerSet, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';
import { chartRows, type ChartTab, type ServiceChart } from '../../../query/serviceCharts';
import type { ServiceRef } from '../../../query/serviceQueries';
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

/** A chart of the table, drawn for this service. */
function chart(spec: ServiceChart, ref: ServiceRef): SceneFlexItem {
  const settings = getAppSettings();
  const { statusLabel, baselineRefIds } = spec;
  return timeseriesChart({
    title: spec.title,
    description: spec.description,
    unit: spec.unit,
    queries: spec.queries(settings, ref),
    range: spec.range,
    colors: spec.colors,
    noData: spec.noData,
    baseline: baselineRefIds && { refIds: baselineRefIds, build: (o) => spec.queries(settings, ref, o) },
    transform:
      statusLabel === 'grpc_status'
        ? statusSeriesTransform(statusLabel, (value) => grpcSeries(value, settings.grpcFailureCodes))
        : statusLabel === 'status_code'
          ? statusSeriesTransform(statusLabel, httpSeries)
          : undefined,
  });
}

function chartsOf(tabId: ChartTab, ref: ServiceRef): SceneFlexItem[][] {
  return chartRows(tabId).map((row) => row.map((spec) => chart(spec, ref)));
}

export function boundaryTab(ref: ServiceRef): SceneFlexLayout {
  return tab(ref, chartsOf('boundary', ref), (header) => [new BoundaryBreakdownScene({ service: ref }, header)]);
}

/** Responses by gRPC and by HTTP status, and the trap between them: failures in the failure colour throughout. */
export function statusTab(ref: ServiceRef): SceneFlexLayout {
  return tab(ref, chartsOf('status', ref), (header) => [new RouteProtocolNote({ service: ref }, header)]);
}

export function tcpTab(ref: ServiceRef): SceneFlexLayout {
  return tab(ref, chartsOf('tcp', ref));
}
