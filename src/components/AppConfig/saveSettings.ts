import { getBackendSrv, locationService } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { PLUGIN_ID } from '../../constants';
import type { AppSettings } from '../../settings/types';

/** Saves the settings in the plugin's jsonData and reloads, since Grafana hands them to the app only at load. */
export async function saveSettings(
  settings: AppSettings,
  state: { enabled?: boolean; pinned?: boolean }
): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${PLUGIN_ID}/settings`,
      method: 'POST',
      data: { enabled: state.enabled ?? true, pinned: state.pinned ?? true, jsonData: settings },
    })
  );
  locationService.reload();
}
