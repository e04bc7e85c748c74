import { SceneAppPage, SceneRefreshPicker, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { pageScene } from '../pageScene';
import { makeServicePage } from '../Service/servicePage';
import { OverviewScene } from './OverviewScene';
import { CompareControl } from './CompareControl';

export function makeOverviewPage(): SceneAppPage {
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
        getPage: (match, parent) => makeServicePage(match, parent),
      },
    ],
  });
}
