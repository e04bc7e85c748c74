import type { AppSettings } from '../src/settings/types';

/** The preview's own datasource: the local store, queried through the preview's `/api/ds/query`. */
export const PREVIEW_DATASOURCE = {
  uid: 'preview-metrics',
  name: 'Local store (preview)',
  type: 'prometheus' as const,
};

/** Where the preview keeps the app's settings (Grafana keeps them in the plugin's jsonData). */
export const SETTINGS_STORAGE_KEY = 'meshlens.preview.settings';

/** What the preview server hands the page, as Grafana hands its frontend `grafanaBootData`. */
export interface PreviewBoot {
  datasources: Array<{ uid: string; name: string; type: 'prometheus' }>;
  /** The app's settings before anything is saved: the preview's store, the scenario's join overrides. */
  defaults: Partial<AppSettings>;
}

/** The global the server puts the PreviewBoot under. */
export const PREVIEW_GLOBAL = '__meshLensPreview';
