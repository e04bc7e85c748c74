import {
  SceneAppPage,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  type SceneAppPageLike,
  type SceneObject,
  type SceneRouteMatch,
} from '@grafana/scenes';
import { PRESERVED_URL_KEYS } from '../../constants';
import type { ServiceRef } from '../../query/serviceQueries';
import { pageScene } from '../pageScene';
import { readServiceParams, servicePath } from '../../components/ServiceLink/servicePath';
import { CompareControl } from '../../scenes/CompareControl';
import { boundaryTab, statusTab, tcpTab } from './tabs/chartTabs';
import { peersTab, tracesTab } from './tabs/traceTabs';

/** The drill-down's tabs: route segment, title and the scene each shows. */
const TABS: Array<{ route: string; title: string; makeBody: (ref: ServiceRef) => SceneObject }> = [
  { route: 'boundary', title: 'Boundary', makeBody: boundaryTab },
  { route: 'status', title: 'Status codes', makeBody: statusTab },
  { route: 'peers', title: 'Callers & callees', makeBody: peersTab },
  { route: 'tcp', title: 'TCP', makeBody: tcpTab },
  { route: 'traces', title: 'Traces', makeBody: tracesTab },
];

export function makeServicePage(
  match: SceneRouteMatch<{ namespace?: string; service?: string }>,
  parent: SceneAppPageLike
): SceneAppPage {
  const params = readServiceParams(match.params);
  const ref: ServiceRef = { namespace: params.namespace, workload: params.service };
  const base = servicePath(params);
  const purpose = 'The drill-down then compares both layers for this service.';
  return new SceneAppPage({
    title: params.service,
    subTitle: params.namespace
      ? `Namespace ${params.namespace}: the boundary as the mesh saw it, next to what the app reports.`
      : 'A service the app reports without a namespace.',
    url: `${base}/${TABS[0].route}`,
    routePath: match.path,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getParentPage: () => parent,
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [
      new CompareControl({}),
      new SceneTimePicker({}),
      new SceneRefreshPicker({ intervals: ['30s', '1m', '5m', '15m'] }),
    ],
    getScene: () => pageScene(purpose, () => TABS[0].makeBody(ref)),
    tabs: TABS.map(
      (tab) =>
        new SceneAppPage({
          title: tab.title,
          url: `${base}/${tab.route}`,
          routePath: tab.route,
          preserveUrlKeys: PRESERVED_URL_KEYS,
          getScene: () => pageScene(purpose, () => tab.makeBody(ref)),
        })
    ),
  });
}
