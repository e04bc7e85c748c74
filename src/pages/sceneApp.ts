import { SceneApp } from '@grafana/scenes';
import { makeCardinalityPage } from './Cardinality/cardinalityPage';
import { makeOverviewPage } from './Overview/overviewPage';
import { makeRulesPage } from './Rules/rulesPage';
import { makeServicePage } from './Service/servicePage';
import { makeServiceMapPage } from './ServiceMap/serviceMapPage';

export function getSceneApp(): SceneApp {
  return new SceneApp({
    pages: [makeOverviewPage(makeServicePage), makeServiceMapPage(), makeCardinalityPage(), makeRulesPage()],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}
