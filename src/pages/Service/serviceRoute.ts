import { locationService } from '@grafana/runtime';
import { getUrlWithAppState } from '@grafana/scenes';
import { PRESERVED_URL_KEYS, prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';

export interface ServiceParams {
  namespace: string;
  service: string;
}

/** The namespace segment of a service without namespace (app only, no namespace label). */
export const NO_NAMESPACE_SEGMENT = '-';

const DRILLDOWN_PREFIX = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/`;

/** `-` stands for no namespace; a namespace that is `-` itself is spelled `%2D`, so the two stay apart. */
function namespaceSegment(namespace: string): string {
  if (namespace === '') {
    return NO_NAMESPACE_SEGMENT;
  }
  return namespace === NO_NAMESPACE_SEGMENT ? '%2D' : encodeURIComponent(namespace);
}

export function servicePath({ namespace, service }: ServiceParams): string {
  return `${DRILLDOWN_PREFIX}${namespaceSegment(namespace)}/${encodeURIComponent(service)}`;
}

/** The drill-down of a service, keeping the current time range. */
export function serviceUrl(namespace: string, service: string): string {
  return getUrlWithAppState(servicePath({ namespace, service }), locationService.getSearchObject(), PRESERVED_URL_KEYS);
}

/** One raw path segment, decoded once; a malformed escape (a `%` typed by hand) is kept as typed. */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads the drill-down's namespace and service back from the address bar's raw path, where servicePath encoded
 * each exactly once. The router's params cannot be trusted with names: Grafana's history (v4) runs decodeURI over
 * the path and react-router decodes each segment again, so `team%42` arrives as `teamB` and `disk-100%` as a
 * malformed escape. They are used only when the raw path is not a drill-down path (never in a browser).
 */
export function readServiceParams(
  params: { namespace?: string; service?: string },
  rawPathname: string = window.location.pathname
): ServiceParams {
  const at = rawPathname.indexOf(DRILLDOWN_PREFIX);
  const [rawNamespace, rawService] =
    at >= 0 ? rawPathname.slice(at + DRILLDOWN_PREFIX.length).split('/') : [undefined, undefined];
  if (rawNamespace === undefined || !rawService) {
    const namespace = params.namespace ?? '';
    return { namespace: namespace === NO_NAMESPACE_SEGMENT ? '' : namespace, service: params.service ?? '' };
  }
  return {
    namespace: rawNamespace === NO_NAMESPACE_SEGMENT ? '' : decodeSegment(rawNamespace),
    service: decodeSegment(rawService),
  };
}
