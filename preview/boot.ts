/**
 * Grafana hands the frontend its settings in `window.grafanaBootData` before any module runs;
 * @grafana/runtime reads it when it loads, so this module must be imported first.
 */
import { PREVIEW_DATASOURCE } from './constants';

const datasourceSettings = {
  id: 1,
  ...PREVIEW_DATASOURCE,
  meta: {
    id: 'prometheus',
    name: 'Prometheus',
    type: 'datasource',
    info: { logos: { small: '', large: '' } },
    metrics: true,
  },
  access: 'proxy',
  jsonData: {},
  readOnly: true,
  isDefault: true,
};

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
      datasources: { [PREVIEW_DATASOURCE.name]: datasourceSettings },
      defaultDatasource: PREVIEW_DATASOURCE.name,
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

export const bootDatasource = datasourceSettings;
