import { EmbeddedScene, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';
import { NotConfiguredScene } from '../components/NotConfigured/NotConfiguredScene';
import { isConfigured } from '../settings/settings';
import { getAppSettings } from '../settings/appSettings';

/** A page's scene: its content when the app is configured, the not-configured message otherwise. */
export function pageScene(purpose: string, makeBody: () => SceneObject): EmbeddedScene {
  const body = isConfigured(getAppSettings()) ? makeBody() : new NotConfiguredScene({ purpose });
  return new EmbeddedScene({
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ body })] }),
  });
}
