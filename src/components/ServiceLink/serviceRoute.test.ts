import { locationService } from '@grafana/runtime';
import { PLUGIN_BASE_URL } from '../../constants';
import { serviceUrl } from './serviceRoute';

describe('serviceUrl', () => {
  afterEach(() => locationService.push('/'));

  it('opens the drill-down over the time range and refresh the user is looking at', () => {
    locationService.push(
      `${PLUGIN_BASE_URL}/overview?from=now-6h&to=now&timezone=utc&refresh=30s&var-namespace=shop&sort=mesh-rps`
    );
    const url = new URL(serviceUrl('shop', 'payments'), 'http://grafana.local');
    expect(url.pathname).toBe(`${PLUGIN_BASE_URL}/overview/service/shop/payments`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: 'now-6h',
      to: 'now',
      timezone: 'utc',
      refresh: '30s',
    });
  });

  it('opens the drill-down without a time range when the page has none', () => {
    locationService.push(`${PLUGIN_BASE_URL}/map?focus=flagged`);
    expect(serviceUrl('shop', 'payments')).toBe(`${PLUGIN_BASE_URL}/overview/service/shop/payments`);
  });

  it('links a service without namespace and one with an unusual name to their own drill-downs', () => {
    locationService.push(`${PLUGIN_BASE_URL}/overview?from=now-1h&to=now`);
    expect(serviceUrl('', 'payments')).toBe(`${PLUGIN_BASE_URL}/overview/service/-/payments?from=now-1h&to=now`);
    expect(serviceUrl('shop', 'disk 100%')).toBe(
      `${PLUGIN_BASE_URL}/overview/service/shop/~ZGlzayAxMDAl?from=now-1h&to=now`
    );
  });
});
