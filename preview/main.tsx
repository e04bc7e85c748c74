// Must run before @grafana/runtime loads: it reads window.grafanaBootData at import time (import/order would move it).
// eslint-disable-next-line import/order
import { previewBoot } from './boot';

import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Navigate, Route, Router, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import { PluginType, type AppPluginMeta, type GrafanaTheme2, type PluginMeta } from '@grafana/data';
import { config, LocationServiceProvider, locationService } from '@grafana/runtime';
import { setPluginPage } from '@grafana/runtime/dist/esm/components/PluginPage.mjs';
import { GlobalStyles, Icon, ThemeContext, useStyles2 } from '@grafana/ui';
import { plugin } from '../src/module';
import pluginJson from '../src/plugin.json';
import { CONFIG_PAGE_URL, PLUGIN_BASE_URL, prefixRoute, ROUTES } from '../src/constants';
import { SETTINGS_STORAGE_KEY } from './constants';
import { PreviewPage } from './PreviewPage';
import { installPreviewServices } from './runtime/services';

installPreviewServices();
setPluginPage(PreviewPage);

/**
 * The saved settings, or a configuration pointing at the preview's store so `npm run preview` shows data at once.
 * Read once per page load, as Grafana hands an app its settings when it loads it: saving reloads the page.
 */
function pluginMeta(): AppPluginMeta {
  const saved = localStorage.getItem(SETTINGS_STORAGE_KEY);
  const jsonData = saved ? JSON.parse(saved) : previewBoot.defaults;
  return {
    id: pluginJson.id,
    name: pluginJson.name,
    type: PluginType.app,
    info: pluginJson.info,
    module: '',
    baseUrl: '',
    enabled: true,
    pinned: true,
    jsonData,
  } as unknown as AppPluginMeta & PluginMeta;
}

const NAV = [
  { text: 'Overview', url: prefixRoute(ROUTES.Overview), icon: 'apps' as const },
  { text: 'Service map', url: prefixRoute(ROUTES.ServiceMap), icon: 'sitemap' as const },
  { text: 'Cardinality budget', url: prefixRoute(ROUTES.Cardinality), icon: 'calculator-alt' as const },
  { text: 'Alerting rules', url: prefixRoute(ROUTES.Rules), icon: 'bell' as const },
  { text: 'Configuration', url: CONFIG_PAGE_URL, icon: 'cog' as const },
];

function SideNav({ pathname }: { pathname: string }) {
  const styles = useStyles2(getStyles);
  return (
    <nav className={styles.nav} aria-label="Mesh Lens">
      <div className={styles.brand}>Mesh Lens</div>
      {NAV.map((item) => (
        <a key={item.url} href={item.url} className={pathname.startsWith(item.url) ? styles.active : styles.link}>
          <Icon name={item.icon} /> {item.text}
        </a>
      ))}
    </nav>
  );
}

// Grafana loads the plugin's meta once per page load and keeps it; so does the preview.
const META = pluginMeta();
plugin.meta = META as typeof plugin.meta;

function ConfigPage() {
  const page = plugin.configPages?.[0];
  if (!page) {
    return null;
  }
  return (
    <PreviewPage pageNav={{ text: 'Mesh Lens configuration' }} subTitle="Datasources, labels and thresholds.">
      <page.body plugin={plugin} query={{}} />
    </PreviewPage>
  );
}

function AppPage() {
  const Root = plugin.root!;
  return (
    <Root meta={META} basename={PLUGIN_BASE_URL} query={{}} path={PLUGIN_BASE_URL} onNavChanged={() => undefined} />
  );
}

function Shell() {
  const styles = useStyles2(getStyles);
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useEffect(() => history.listen((next: typeof location) => setLocation(next)), [history]);
  return (
    <div className={styles.shell}>
      <SideNav pathname={location.pathname} />
      <Router navigator={history} location={location}>
        <Routes>
          <Route path={`${PLUGIN_BASE_URL}/*`} element={<AppPage />} />
          <Route path={CONFIG_PAGE_URL} element={<ConfigPage />} />
          <Route path="*" element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
        </Routes>
      </Router>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  shell: css({ display: 'flex', minHeight: '100vh', background: theme.colors.background.canvas }),
  nav: css({
    width: 220,
    flexShrink: 0,
    borderRight: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(2, 1),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    background: theme.colors.background.primary,
  }),
  brand: css({ fontSize: theme.typography.h4.fontSize, padding: theme.spacing(0, 1, 2) }),
  link: css({
    padding: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    '&:hover': { background: theme.colors.action.hover },
  }),
  active: css({
    padding: theme.spacing(1),
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.primary,
    background: theme.colors.action.selected,
  }),
});

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={config.theme2}>
    <GlobalStyles />
    <LocationServiceProvider service={locationService}>
      <Shell />
    </LocationServiceProvider>
  </ThemeContext.Provider>
);
