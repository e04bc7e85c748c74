/**
 * Grafana hands the frontend its settings in `window.grafanaBootData` before any module runs;
 * @grafana/runtime reads it when it loads, so this module must be imported first. The datasources come from the
 * preview server (PreviewBoot), as Grafana's come from its database.
 */
import { PREVIEW_GLOBAL, type PreviewBoot } from './constants';

export const previewBoot = (window as unknown as Record<string, PreviewBoot | undefined>)[PREVIEW_GLOBAL] ?? {
  datasources: [],
  defaults: {},
};

export const bootDatasources = previewBoot.datasources.map((ds, index) => ({
  id: index + 1,
  ...ds,
  meta: {
    id: 'prometheus',
    name: 'Prometheus',
    type: 'datasource',
    info: { logos: { small: '', large: '' } },
    metrics: true,
    backend: true,
  },
  access: 'proxy',
  jsonData: {},
  readOnly: true,
  isDefault: index === 0,
}));

Object.assign(window, {
  grafanaBootData: {
    assets: { dark: '', light: '' },
    navTree: [],
    user: {
      theme: 'dark',
      timezone: 'browser',
      locale: 'en-US',
      language: 'en-US',
      isSignedIn: true,
      orgRole: 'Admin',
      orgId: 1,
    },
    settings: {
      appSubUrl: '',
      appUrl: `${window.location.origin}/`,
      datasources: Object.fromEntries(bootDatasources.map((ds) => [ds.name, ds])),
      defaultDatasource: bootDatasources[0]?.name,
      panels: {},
      featureToggles: {},
      buildInfo: {
        version: '13.2.3',
        edition: 'Preview',
        env: 'production',
        commit: '',
        latestVersion: '',
        hasUpdate: false,
        hideVersion: false,
      },
      bootData: {},
    },
  },
});
