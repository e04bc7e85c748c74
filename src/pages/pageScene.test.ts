import { sceneGraph, SceneReactObject } from '@grafana/scenes';
import { NotConfiguredScene } from '../components/NotConfigured/NotConfiguredScene';
import { setAppSettings } from '../settings/appSettings';
import { DEFAULT_SETTINGS } from '../settings/types';
import { pageScene } from './pageScene';

const content = () => new SceneReactObject({ component: () => null });

describe('pageScene', () => {
  afterEach(() => setAppSettings(DEFAULT_SETTINGS));

  it('shows the page’s content once a metrics datasource is configured', () => {
    setAppSettings({ ...DEFAULT_SETTINGS, metricsDatasourceUid: 'vm-prod' });
    const makeBody = jest.fn(content);
    const scene = pageScene('The map is then drawn.', makeBody);
    expect(makeBody).toHaveBeenCalledTimes(1);
    expect(sceneGraph.findDescendents(scene, SceneReactObject)).toHaveLength(1);
    expect(sceneGraph.findDescendents(scene, NotConfiguredScene)).toEqual([]);
  });

  it('says what to configure, and what the page would then show, without building the page', () => {
    setAppSettings({ ...DEFAULT_SETTINGS, metricsDatasourceUid: '' });
    const makeBody = jest.fn(content);
    const scene = pageScene('The map is then drawn.', makeBody);
    expect(makeBody).not.toHaveBeenCalled();
    expect(sceneGraph.findDescendents(scene, NotConfiguredScene).map((s) => s.state.purpose)).toEqual([
      'The map is then drawn.',
    ]);
  });
});
