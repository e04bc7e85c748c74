/**
 * What Grafana does to a link between the dashboard JSON and Explore, written out so tests can follow a link the
 * way Grafana does without a Grafana: the template interpolation of @grafana/scenes, and Explore's reading of its
 * own URL. Each piece names the source it copies; none of them decodes or re-encodes anything Grafana does not.
 */

/**
 * The template variable syntax: `$var`, `[[var:fmt]]`, `${var.field:fmt}` (@grafana/scenes 9.2.2
 * `dist/esm/variables/constants.js`, `VARIABLE_REGEX`). Interpolation is a `replace` with it on the literal link
 * text: a percent-encoded `%24%7Bvar%7D` is not a variable.
 */
export const VARIABLE_REGEX =
  /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)((?:\.[^:^{}[\]]+|\["[^"]*"\]|\['[^']*'\]|\[[^\]"']*\])*)(?::([^}]+))?}/g;

/**
 * The two formats a link gets when it names none:
 * - `glob`: the scenes default (`sceneInterpolator.js`: `if (!formatNameOrFn) formatNameOrFn = VariableFormatID.Glob`),
 *   what dashboard links get (link_srv.ts `getLinkUrl`: `getTemplateSrv().replace(url)`) and, in Grafana 13's scenes
 *   dashboards, panel links too: `getPanelLinks` (dashboard-scene `PanelMenuBehavior.tsx`) interpolates with
 *   `(v, scopedVars) => sceneGraph.interpolate(panel, v, scopedVars)`, dropping the format link_srv asks for.
 * - `uriencode`: what link_srv.ts `getDataLinkUIModel` asks for (`replaceVariables(info.href, undefined,
 *   VariableFormatID.UriEncode)`), honoured for field data links (@grafana/data `fieldOverrides` `getLinksSupplier`).
 */
export type LinkFormat = 'glob' | 'uriencode';

/** A variable's value; a record for variables read with a field path, like `${__org.id}`. */
export type VariableValue = string | number | Record<string, string>;

/** scenes `formatRegistry.js`: `encodeURIStrict`, the `uriencode` format of a single value. */
function encodeURIStrict(value: string): string {
  return encodeURI(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function format(value: string, name: string): string {
  switch (name) {
    case 'glob':
    case 'raw':
      // A single value: `String(value)` (formatRegistry.js, Glob and Raw).
      return value;
    case 'uriencode':
      return encodeURIStrict(value);
    case 'percentencode':
      return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    default:
      throw new Error(`the link uses the format ${name}, which these tests do not model`);
  }
}

/**
 * `sceneInterpolator` (@grafana/scenes 9.2.2 `dist/esm/variables/interpolation/sceneInterpolator.js`) for
 * single-valued variables: a variable it does not know stays as written, like Grafana leaves it.
 */
export function interpolate(text: string, values: Record<string, VariableValue>, defaultFormat: LinkFormat): string {
  return text.replace(VARIABLE_REGEX, (match, var1, var2, fmt2, var3, rawFieldPath, fmt3) => {
    const name: string = var1 || var2 || var3;
    const fmt: string = fmt2 || fmt3 || defaultFormat;
    const fieldPath: string | undefined =
      typeof rawFieldPath === 'string' && rawFieldPath.startsWith('.')
        ? rawFieldPath.slice(1)
        : rawFieldPath || undefined;
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      return match;
    }
    const value = values[name];
    const resolved = typeof value === 'object' ? value[fieldPath ?? 'id'] : String(value);
    if (resolved === undefined) {
      return match;
    }
    return format(resolved, fmt);
  });
}

/** A parameter as `parseKeyValue` gives it. */
export type ParsedValue = string | boolean | undefined;

/**
 * @grafana/data 13.2.3 `urlUtil.parseKeyValue` (`dist/esm/utils/url.mjs`), which Explore reads its URL with
 * (@grafana/runtime `locationSearchToObject`): split on `&`, `+` → space, then `decodeURIComponent`; a part whose
 * key does not decode is dropped, a value that does not decode is undefined, `true`/`false` become booleans and
 * every other value stays the string it was (`isNaN` only decides between the string and itself).
 */
export function parseKeyValue(keyValue: string): Record<string, ParsedValue | ParsedValue[]> {
  const obj: Record<string, ParsedValue | ParsedValue[]> = {};
  for (const part of keyValue.split('&')) {
    if (!part) {
      continue;
    }
    const plussed = part.replace(/\+/g, '%20');
    const split = plussed.indexOf('=');
    const key = tryDecode(split === -1 ? plussed : plussed.substring(0, split));
    if (key === undefined) {
      continue;
    }
    // No `=`: the key alone means true; a value that does not decode is undefined.
    const val: string | true | undefined = split === -1 ? true : tryDecode(plussed.substring(split + 1));
    const parsed: ParsedValue = val === 'true' ? true : val === 'false' ? false : val;
    const existing = obj[key];
    if (!Object.prototype.hasOwnProperty.call(obj, key)) {
      obj[key] = parsed;
    } else if (Array.isArray(existing)) {
      existing.push(val);
    } else {
      obj[key] = [existing, parsed];
    }
  }
  return obj;
}

function tryDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * A pane id Explore keeps (`useStateSync/migrators/v1.ts`): three characters of nanoid's alphabet, not all digits.
 * Any other key is replaced by a generated one, so the pane survives either way.
 */
export function isKeptPaneId(key: string): boolean {
  return /^[A-Za-z0-9_-]{3}$/.test(key) && !/^\d+$/.test(key);
}

export interface ExplorePane {
  datasource?: unknown;
  queries?: Array<Record<string, unknown>>;
  range?: { from?: unknown; to?: unknown };
}

/**
 * What Explore reads from a link once it is in the browser: the query string up to a `#` (history's `parsePath`
 * splits the fragment off first), the parameters as `parseKeyValue` gives them, and the panes as `JSON.parse` in
 * the v1 migrator gives them (`undefined` when they do not parse).
 */
export function readExploreUrl(href: string): {
  path: string;
  params: ReturnType<typeof parseKeyValue>;
  panes: Record<string, ExplorePane> | undefined;
} {
  const withoutHash = href.split('#')[0];
  const question = withoutHash.indexOf('?');
  const path = question === -1 ? withoutHash : withoutHash.slice(0, question);
  const params = parseKeyValue(question === -1 ? '' : withoutHash.slice(question + 1));
  let panes: Record<string, ExplorePane> | undefined;
  if (typeof params.panes === 'string') {
    try {
      const parsed: unknown = JSON.parse(params.panes);
      panes = parsed && typeof parsed === 'object' ? (parsed as Record<string, ExplorePane>) : undefined;
    } catch {
      panes = undefined;
    }
  }
  return { path, params, panes };
}
