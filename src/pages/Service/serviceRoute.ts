import { locationService } from '@grafana/runtime';
import { getUrlWithAppState } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';

export interface ServiceParams {
  namespace: string;
  service: string;
}

export function servicePath({ namespace, service }: ServiceParams): string {
  return `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/${encodeURIComponent(namespace || '-')}/${encodeURIComponent(service)}`;
}

/** The drill-down of a service, keeping the current time range. */
export function serviceUrl(namespace: string, service: string): string {
  return getUrlWithAppState(servicePath({ namespace, service }), locationService.getSearchObject(), PRESERVED_URL_KEYS);
}

/** Reads the route parameters back; `-` stands for a service without namespace (app only, no namespace label). */
export function readServiceParams(params: { namespace?: string; service?: string }): ServiceParams {
  const namespace = decodeURIComponent(params.namespace ?? '');
  return { namespace: namespace === '-' ? '' : namespace, service: decodeURIComponent(params.service ?? '') };
}
