import {
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  type SceneObject,
} from '@grafana/scenes';
import { buildTraceQuery, isJaegerLimit, type TraceEvidence } from '../../../query/traceLinks';
import { appServiceFor, type ServiceRef } from '../../../query/serviceQueries';
import { getAppSettings } from '../../../settings/appSettings';
import { NoTracesDatasource } from '../TraceLinks';
import { ServiceHeaderScene } from '../ServiceHeaderScene';
import { PeersScene } from './PeersScene';

function withHeader(ref: ServiceRef, body: SceneObject): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({
        body: new ServiceHeaderScene({ namespace: ref.namespace, service: ref.workload }),
        ySizing: 'content',
      }),
      new SceneFlexItem({ body, ySizing: 'content' }),
    ],
  });
}

export function peersTab(ref: ServiceRef): SceneFlexLayout {
  return withHeader(ref, new PeersScene({ service: ref }));
}

const TABLES: Array<{ title: string; evidence: TraceEvidence }> = [
  { title: 'Failed requests', evidence: { kind: 'app-errors' } },
  { title: 'gRPC failures', evidence: { kind: 'grpc-failures', side: 'server' } },
  { title: 'Recent server spans', evidence: { kind: 'server-spans' } },
];

/** Recent matching traces from the configured Tempo or Jaeger datasource, in Grafana's table panel. */
export function tracesTab(ref: ServiceRef): SceneFlexLayout {
  const settings = getAppSettings();
  if (!settings.tracesDatasourceUid || !settings.tracesDatasourceType) {
    return withHeader(ref, new SceneReactObject({ component: NoTracesDatasource }));
  }
  const target = { appService: appServiceFor(settings, ref), workload: ref.workload, namespace: ref.namespace };
  const conventions = { semconv: settings.semconv, grpcFailureCodes: settings.grpcFailureCodes };
  const datasource = { uid: settings.tracesDatasourceUid, type: settings.tracesDatasourceType };
  return withHeader(
    ref,
    new SceneFlexLayout({
      direction: 'column',
      children: TABLES.flatMap(({ title, evidence }) => {
        const query = buildTraceQuery(datasource, target, evidence, conventions);
        return isJaegerLimit(query)
          ? []
          : [
              new SceneFlexItem({
                minHeight: 260,
                body: PanelBuilders.table()
                  .setTitle(title)
                  .setData(new SceneQueryRunner({ datasource, queries: [query] }))
                  .build(),
              }),
            ];
      }),
    })
  );
}
