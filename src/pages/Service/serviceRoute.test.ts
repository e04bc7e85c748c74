import fc from 'fast-check';
import { matchRoutes } from 'react-router-dom';
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { readServiceParams, servicePath, type ServiceParams } from './serviceRoute';

// Grafana's locationService runs on history v4, which ships no types: the part of it used here.
const { createMemoryHistory } = jest.requireActual<{
  createMemoryHistory(): { push(path: string): void; location: { pathname: string } };
}>('history');

// serviceUrl's runtime dependencies are not under test and do not load in jsdom.
jest.mock('@grafana/runtime', () => ({ locationService: {} }));
jest.mock('@grafana/scenes', () => ({}));

const ROUTE = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/:namespace/:service/*`;

/**
 * What the page factory is handed for a drill-down link: Grafana's history (v4) takes the path (decodeURI), and
 * react-router matches the drill-down route on it (a decodeURIComponent per segment). The raw path is what the
 * address bar keeps.
 */
function open(params: ServiceParams, tab = 'boundary') {
  const raw = `${servicePath(params)}/${tab}`;
  const history = createMemoryHistory();
  history.push(raw);
  const match = matchRoutes([{ path: ROUTE }], history.location.pathname);
  return { raw, routerParams: match?.[0].params ?? {} };
}

describe('drill-down routes', () => {
  beforeEach(() => {
    // react-router warns when a segment is not a valid escape after history's decodeURI: the case under test.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, ServiceParams]>([
    ['a % that is not an escape', { namespace: 'shop', service: 'disk-100%' }],
    ['an escape-looking namespace', { namespace: 'team%42', service: 'api' }],
    ['a slash, a question mark and a hash', { namespace: 'a/b', service: 'x?y#z' }],
    ['quotes, backslashes and spaces', { namespace: 'ns', service: 'say "hi" \\ now' }],
    ['unicode', { namespace: 'équipe', service: 'café-☕' }],
    ['no namespace', { namespace: '', service: 'email' }],
    ['a namespace that is the no-namespace sign', { namespace: '-', service: 'email' }],
    ['an encoded slash', { namespace: 'ns', service: 'x%2Fy' }],
  ])('opens the drill-down of the right service for %s', (_, params) => {
    const { raw, routerParams } = open(params);
    expect(readServiceParams(routerParams, raw)).toEqual(params);
  });

  it('the router alone gets such names wrong (why the raw path is read)', () => {
    expect(open({ namespace: 'team%42', service: 'api' }).routerParams.namespace).toBe('teamB');
    expect(() => decodeURIComponent(open({ namespace: 'shop', service: 'disk-100%' }).routerParams.service!)).toThrow(
      URIError
    );
  });

  it('round-trips any namespace and service', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (namespace, service) => {
          const { raw, routerParams } = open({ namespace, service });
          expect(readServiceParams(routerParams, raw)).toEqual({ namespace, service });
        }
      ),
      { numRuns: 500 }
    );
  });

  it('keeps a malformed escape typed by hand as typed', () => {
    const raw = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/shop/disk-100%/boundary`;
    expect(readServiceParams({ namespace: 'shop', service: 'disk-100%' }, raw)).toEqual({
      namespace: 'shop',
      service: 'disk-100%',
    });
  });

  it('works under a Grafana sub-path', () => {
    const raw = `/grafana${servicePath({ namespace: 'team%42', service: 'a b' })}/grpc`;
    expect(readServiceParams({ namespace: 'teamB', service: 'a b' }, raw)).toEqual({
      namespace: 'team%42',
      service: 'a b',
    });
  });
});
