import fc from 'fast-check';
import { matchRoutes } from 'react-router-dom';
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { nameSegment, readServiceParams, servicePath, type ServiceParams } from './servicePath';

// Grafana's locationService runs on history v4, which ships no types: the part of it used here.
const { createMemoryHistory } = jest.requireActual<{
  createMemoryHistory(): { push(path: string): void; replace(path: string): void; location: { pathname: string } };
}>('history');

const ROUTE = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/:namespace/:service/*`;

/**
 * What the page factory is handed for a drill-down link in the browser: the URL parser reads the href (`\` is a
 * slash there, `..` goes up), Grafana's history (v4) decodes the path with decodeURI on the push and again on each
 * replace (scenes' URL sync replaces it on init, and the address bar then holds the decoded path), and react-router
 * matches the route, decoding each segment once more.
 */
function open(params: ServiceParams, replaces = 2) {
  const history = createMemoryHistory();
  history.push(new URL(`${servicePath(params)}/boundary`, 'http://grafana').pathname);
  for (let i = 0; i < replaces; i++) {
    history.replace(history.location.pathname);
  }
  const match = matchRoutes([{ path: ROUTE }], history.location.pathname);
  return match ? readServiceParams(match[0].params) : undefined;
}

describe('drill-down routes', () => {
  beforeEach(() => {
    // react-router warns when a segment is not a valid escape: the case the old links met.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, ServiceParams]>([
    ['a % that is not an escape', { namespace: 'shop', service: 'disk-100%' }],
    ['an escape-looking namespace', { namespace: 'team%42', service: 'api' }],
    ['a slash, a question mark and a hash', { namespace: 'a/b', service: 'x?y#z' }],
    ['quotes, backslashes and spaces', { namespace: 'ns', service: 'say "hi" \\ C:\\dir\\' }],
    ['unicode', { namespace: 'équipe', service: 'café-☕' }],
    ['a newline and a tab', { namespace: 'ns', service: 'two\nlines\tand a tab' }],
    ['dots only', { namespace: '..', service: '.' }],
    ['no namespace', { namespace: '', service: 'email' }],
    ['a namespace that is the no-namespace sign', { namespace: '-', service: '-' }],
    ['a name that looks encoded', { namespace: 'ns', service: '~dGVhbQ' }],
  ])('opens the drill-down of the right service for %s', (_, params) => {
    expect(open(params)).toEqual(params);
  });

  it('writes Kubernetes names as they are', () => {
    expect(servicePath({ namespace: 'shop', service: 'api.v2-x_1' })).toBe(
      `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/shop/api.v2-x_1`
    );
  });

  it('percent-encoded segments did not survive: team%42 came back as teamB', () => {
    const history = createMemoryHistory();
    history.push(`${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/${encodeURIComponent('team%42')}/api/boundary`);
    history.replace(history.location.pathname);
    expect(matchRoutes([{ path: ROUTE }], history.location.pathname)?.[0].params.namespace).toBe('teamB');
  });

  it('round-trips any namespace and service, however often the history replaces the path', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.integer({ min: 0, max: 4 }),
        (namespace, service, replaces) => {
          expect(open({ namespace, service }, replaces)).toEqual({ namespace, service });
        }
      ),
      { numRuns: 1000 }
    );
  });

  it('reads an address typed by hand as the router decoded it', () => {
    expect(readServiceParams({ namespace: 'shop', service: 'disk-100%' })).toEqual({
      namespace: 'shop',
      service: 'disk-100%',
    });
    expect(readServiceParams({ namespace: 'shop', service: '~not base64!' })).toEqual({
      namespace: 'shop',
      service: '~not base64!',
    });
    expect(nameSegment('-')).toBe('-');
  });
});
