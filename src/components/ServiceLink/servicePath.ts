/**
 * The drill-down's address: a service's namespace and name as path segments that survive every decoding on the
 * way. Grafana's history (v4) runs decodeURI over the path on every push and replace and writes the result back to
 * the address bar, and react-router decodes each segment again, so a percent-escape does not survive: `team%42`
 * came back as `teamB`, `disk-100%` as a malformed escape, and an escaped backslash as a path separator. Names made
 * of letters, digits, `-`, `_` and `.` (every Kubernetes name) stay as they are; any other name is written as `~`
 * and its UTF-8 in base64url, which no decoding touches.
 */
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';

export interface ServiceParams {
  namespace: string;
  service: string;
}

/** The namespace segment of a service without namespace (app only, no namespace label). */
export const NO_NAMESPACE_SEGMENT = '-';

/** Marks a segment written in base64url; no name written as it is starts with it. */
const ENCODED = '~';
/** Segments no decoding changes and no URL parser resolves (`.` and `..` would be). */
const PLAIN = /^(?!\.+$)[A-Za-z0-9._-]+$/;

function toBase64Url(text: string): string {
  const binary = Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('');
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** A name as a path segment; `reserved` (the no-namespace sign) is always encoded, so the two stay apart. */
export function nameSegment(name: string, reserved?: string): string {
  return PLAIN.test(name) && name !== reserved ? name : `${ENCODED}${toBase64Url(name)}`;
}

/** The segment of a namespace: `-` for none. */
export function namespaceSegment(namespace: string): string {
  return namespace === '' ? NO_NAMESPACE_SEGMENT : nameSegment(namespace, NO_NAMESPACE_SEGMENT);
}

/** A segment read back: base64url when marked, else as the router decoded it (an address typed by hand). */
function readSegment(segment: string): string {
  return segment.startsWith(ENCODED) ? (fromBase64Url(segment.slice(ENCODED.length)) ?? segment) : segment;
}

export function servicePath({ namespace, service }: ServiceParams): string {
  return `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/${namespaceSegment(namespace)}/${nameSegment(service)}`;
}

/** Reads the route parameters back, as react-router hands them over. */
export function readServiceParams(params: { namespace?: string; service?: string }): ServiceParams {
  const namespace = params.namespace ?? '';
  return {
    namespace: namespace === NO_NAMESPACE_SEGMENT ? '' : readSegment(namespace),
    service: readSegment(params.service ?? ''),
  };
}
