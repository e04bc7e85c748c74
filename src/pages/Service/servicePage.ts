import {
  SceneAppPage,
  SceneRefreshPicker,
  SceneTimePicker,
  type SceneAppPageLike,
  type SceneRouteMatch,
} from '@grafana/scenes';
import { PRESERVED_URL_KEYS } from '../../constants';
import { pageScene } from '../pageScene';
import { ServiceHeaderScene } from './ServiceHeaderScene';
import { readServiceParams, servicePath } from './serviceRoute';

export function makeServicePage(
  match: SceneRouteMatch<{ namespace?: string; service?: string }>,
  parent: SceneAppPageLike
): SceneAppPage {
  const params = readServiceParams(match.params);
  return new SceneAppPage({
    title: params.service,
    subTitle: params.namespace
      ? `Namespace ${params.namespace}: the boundary as the mesh saw it, next to the app.`
      : 'App only',
    url: servicePath(params),
    routePath: match.path,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getParentPage: () => parent,
    controls: [new SceneTimePicker({}), new SceneRefreshPicker({ intervals: ['30s', '1m', '5m', '15m'] })],
    getScene: () =>
      pageScene('The drill-down then compares both layers for this service.', () => new ServiceHeaderScene(params)),
  });
}
