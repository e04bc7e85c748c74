import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** Routes of the app, relative to PLUGIN_BASE_URL. */
export const ROUTES = {
  Overview: 'overview',
  ServiceMap: 'service-map',
  Cardinality: 'cardinality',
  Rules: 'rules',
} as const;

/** The service drill-down hangs under the overview: `overview/service/<namespace>/<service>`. */
export const SERVICE_DRILLDOWN = 'service';

/** URL keys every page keeps when the user moves between pages. */
export const PRESERVED_URL_KEYS = ['from', 'to', 'timezone', 'refresh'];

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

export function prefixRoute(route: Route): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** Where the user configures the app (Grafana's plugin page, configuration tab). */
export const CONFIG_PAGE_URL = `/plugins/${PLUGIN_ID}`;

/** Flag ids used in URLs, tests and data attributes (DESIGN §2). */
export const FLAG_IDS = ['grpc-trap', 'boundary-latency', 'disagreement', 'coverage'] as const;
export type FlagId = (typeof FLAG_IDS)[number];
