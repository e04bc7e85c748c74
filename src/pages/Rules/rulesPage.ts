import { SceneAppPage } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES } from '../../constants';
import { pageScene } from '../pageScene';
import { RulesScene } from './RulesScene';

export function makeRulesPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Alerting rules',
    subTitle:
      'The same detections as a Prometheus rule file, for your settings and thresholds, with recorded rates that make the overview cheap at scale.',
    url: prefixRoute(ROUTES.Rules),
    routePath: ROUTES.Rules,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getScene: () =>
      pageScene('The page then measures what each rule costs in series on that store.', () => new RulesScene()),
  });
}
