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

/**
 * The most recent part of the range that is also looked at on its own: a flag fires when its condition holds over
 * the whole range or over these last seconds, so an incident that began minutes ago is not averaged away.
 */
export const RECENT_WINDOW_SECONDS = 300;

/** The timeline of the flagged services (onsets, trends): at most this many query steps over the range… */
export const TIMELINE_MAX_POINTS = 120;
/** …each at least this long: four scrape intervals at Grafana's default 15 s, so every step's rate has samples. */
export const TIMELINE_MIN_STEP_SECONDS = 60;

/** The earlier windows the figures can be compared with (URL key `compare`): PromQL offsets in seconds. */
export const COMPARE_OFFSETS = { '1h': 3600, '1d': 86_400, '7d': 604_800 } as const;
export type CompareOffset = keyof typeof COMPARE_OFFSETS;
