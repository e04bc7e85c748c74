import {
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  type SceneObject,
} from '@grafana/scenes';
import { buildTraceQuery, type TraceFocus } from '../../../query/traceLinks';
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

const FOCUSES: Array<{ title: string; focus: TraceFocus }> = [
  { title: 'Failed requests', focus: { kind: 'errors' } },
  { title: 'gRPC failures', focus: { kind: 'grpc-failures' } },
  { title: 'Recent server spans', focus: { kind: 'all' } },
];

/** Recent matching traces from the configured Tempo or Jaeger datasource, in Grafana's table panel. */
export function tracesTab(ref: ServiceRef): SceneFlexLayout {
  const settings = getAppSettings();
  if (!settings.tracesDatasourceUid || !settings.tracesDatasourceType) {
    return withHeader(ref, new SceneReactObject({ component: NoTracesDatasource }));
  }
  const service = appServiceFor(settings, ref);
  const { tracesDatasourceUid: uid, tracesDatasourceType: type } = settings;
  return withHeader(
    ref,
    new SceneFlexLayout({
      direction: 'column',
      children: FOCUSES.map(
        ({ title, focus }) =>
          new SceneFlexItem({
            minHeight: 260,
            body: PanelBuilders.table()
              .setTitle(title)
              .setData(
                new SceneQueryRunner({
                  datasource: { uid, type },
                  queries: [buildTraceQuery(type, uid, service, focus)],
                })
              )
              .build(),
          })
      ),
    })
  );
}
