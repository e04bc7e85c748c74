import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PLUGIN_ID } from '../../constants';
import type { AppSettings } from '../../settings/types';

/**
 * Saves the settings in the plugin's jsonData, then reloads the page. Grafana hands an app its settings when it
 * loads it and caches them (public/app/features/plugins/pluginSettings.ts); `locationService.reload()` only
 * replaces the history state (@grafana/runtime LocationService), so the app would keep the old datasource until a
 * manual refresh. A full reload is what create-plugin's app template does for the same reason.
 */
export async function saveSettings(
  settings: AppSettings,
  state: { enabled?: boolean; pinned?: boolean },
  reload: () => void = () => window.location.reload()
): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${PLUGIN_ID}/settings`,
      method: 'POST',
      data: { enabled: state.enabled ?? true, pinned: state.pinned ?? true, jsonData: settings },
    })
  );
  reload();
}
