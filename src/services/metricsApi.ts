import { SourceCache } from '../boundary/overviewSource';
import type { RangeMetricsApi } from '../query/promApi';
import { getAppSettings } from '../settings/appSettings';
import { createGrafanaPromApi } from './grafanaPromApi';

/** The configured metrics datasource, queried as Grafana runs it. */
export function metricsApi(): RangeMetricsApi {
  return createGrafanaPromApi(getAppSettings().metricsDatasourceUid ?? '');
}

/** Whether the store holds the recording rules' series, asked once per page load, window and namespace. */
export const overviewSourceCache = new SourceCache();

/** The message a scene shows for a failed load. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
