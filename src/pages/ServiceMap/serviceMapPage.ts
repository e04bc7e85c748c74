import { SceneAppPage, SceneReactObject, SceneTimePicker, SceneTimeRange } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES } from '../../constants';
import { pageScene } from '../pageScene';
import { PlannedPage } from '../PlannedPage';

export function makeServiceMapPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Service map',
    subTitle:
      'Who calls whom through the mesh, with each edge coloured by its success rate and flagged services marked.',
    url: prefixRoute(ROUTES.ServiceMap),
    routePath: ROUTES.ServiceMap,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: [new SceneTimePicker({})],
    getScene: () =>
      pageScene(
        'The map is then drawn from the mesh edges.',
        () => new SceneReactObject({ component: PlannedPage, props: { what: 'The service map' } })
      ),
  });
}
