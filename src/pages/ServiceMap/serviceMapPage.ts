import { SceneAppPage, SceneRefreshPicker, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES } from '../../constants';
import { pageScene } from '../pageScene';
import { ServiceMapScene } from './ServiceMapScene';

export function makeServiceMapPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Service map',
    subTitle:
      'Who calls whom through the mesh, with each edge coloured by its success rate and flagged services marked.',
    url: prefixRoute(ROUTES.ServiceMap),
    routePath: ROUTES.ServiceMap,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [new SceneTimePicker({}), new SceneRefreshPicker({ intervals: ['30s', '1m', '5m', '15m'] })],
    getScene: () => pageScene('The map is then drawn from the mesh edges.', () => new ServiceMapScene()),
  });
}
