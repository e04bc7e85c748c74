import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './components/AppConfig/AppConfig';
import { PLUGIN_ID } from './constants';
import type { AppSettings } from './settings/types';

// The app and its config page load on demand, so module.js stays small; scenes' translations come with the app.
const LazyApp = lazy(async () => {
  const { loadResources } = await import('@grafana/scenes');
  await initPluginTranslations(PLUGIN_ID, [loadResources]);
  return import('./components/App/App');
});
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

const App = (props: AppRootProps<Partial<AppSettings>>) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading Mesh Lens…" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading configuration…" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<Partial<AppSettings>>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
