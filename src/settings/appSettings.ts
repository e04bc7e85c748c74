import { resolveSettings } from './settings';
import type { AppSettings } from './types';

/**
 * The settings the app was opened with. Grafana reloads the app when they are saved, so pages read them
 * once, when they are built, rather than threading them through every scene object.
 */
let current: AppSettings = resolveSettings(undefined);

export function setAppSettings(settings: AppSettings): void {
  current = settings;
}

export function getAppSettings(): AppSettings {
  return current;
}
