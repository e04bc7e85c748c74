import React from 'react';
import type { AppRootProps } from '@grafana/data';
import { useSceneApp } from '@grafana/scenes';
import { getSceneApp } from '../../pages/sceneApp';
import { setAppSettings } from '../../settings/appSettings';
import { resolveSettings } from '../../settings/settings';
import type { AppSettings } from '../../settings/types';

function App({ meta }: AppRootProps<Partial<AppSettings>>) {
  // Before the scene app is built: its pages read the settings when they are created.
  setAppSettings(resolveSettings(meta.jsonData));
  const scene = useSceneApp(getSceneApp);
  return <scene.Component model={scene} />;
}

export default App;
