import { SceneAppPage } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES } from '../../constants';
import { pageScene } from '../pageScene';
import { CardinalityScene } from './CardinalityScene';

export function makeCardinalityPage(): SceneAppPage {
  return new SceneAppPage({
    title: 'Cardinality budget',
    subTitle: 'What the mesh metrics cost in series per family and label, and which labels to drop in the Collector.',
    url: prefixRoute(ROUTES.Cardinality),
    routePath: ROUTES.Cardinality,
    preserveUrlKeys: PRESERVED_URL_KEYS,
    getScene: () =>
      pageScene('The budget is then computed from the store’s own series counts.', () => new CardinalityScene()),
  });
}
