import {
  SceneAppPage,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  type SceneAppDrilldownView,
} from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { pageScene } from '../pageScene';
import { CompareControl } from '../../scenes/CompareControl';
import { OverviewScene } from './OverviewScene';

/** The overview, with a service's drill-down under it (the app wires the two pages together). */
export function makeOverviewPage(serviceDrilldown: SceneAppDrilldownView['getPage']): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle:
      'Per service, what the mesh saw at the boundary next to what the app reports, with the services where they disagree flagged first.',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [
      new CompareControl({}),
      new SceneTimePicker({}),
      new SceneRefreshPicker({ intervals: ['30s', '1m', '5m', '15m'] }),
    ],
    getScene: () =>
      pageScene('The overview then lists every service with both layers side by side.', () => new OverviewScene()),
    drilldowns: [
      {
        routePath: `${SERVICE_DRILLDOWN}/:namespace/:service/*`,
        getPage: serviceDrilldown,
      },
    ],
  });
}
