import { locationService } from '@grafana/runtime';
import { getUrlWithAppState } from '@grafana/scenes';
import { PRESERVED_URL_KEYS } from '../../constants';
import { servicePath } from './servicePath';

/** The drill-down of a service, keeping the current time range. */
export function serviceUrl(namespace: string, service: string): string {
  return getUrlWithAppState(servicePath({ namespace, service }), locationService.getSearchObject(), PRESERVED_URL_KEYS);
}
