import { config } from '@grafana/runtime';
import { datasourceProxyUrl } from '../components/AppConfig/datasources';
import { createPromApi, type PromApi } from '../query/promApi';
import { getAppSettings } from '../settings/appSettings';

/** The configured metrics datasource's Prometheus API, through Grafana's datasource proxy. */
export function metricsApi(): PromApi {
  return createPromApi({ baseUrl: datasourceProxyUrl(config.appSubUrl, getAppSettings().metricsDatasourceUid ?? '') });
}

/** The message a scene shows for a failed load. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
