/** The preview's own datasource: the local store, reached through the same proxy path Grafana uses. */
export const PREVIEW_DATASOURCE = {
  uid: 'preview-metrics',
  name: 'Local store (preview)',
  type: 'prometheus',
};

/** Where the preview keeps the app's settings (Grafana keeps them in the plugin's jsonData). */
export const SETTINGS_STORAGE_KEY = 'meshlens.preview.settings';

/** The server puts the preview's default settings (its store, the scenario's join overrides) under this global. */
export const PREVIEW_DEFAULTS_GLOBAL = '__meshLensPreviewDefaults';
