import { SceneAppPage, type SceneAppPageLike } from '@grafana/scenes';
import { PLUGIN_BASE_URL, PRESERVED_URL_KEYS } from '../../constants';
import { makeServicePage } from './servicePage';

const PARENT = new SceneAppPage({ title: 'Overview', url: `${PLUGIN_BASE_URL}/overview`, routePath: 'overview/*' });

function open(namespace: string, service: string) {
  const path = `${PLUGIN_BASE_URL}/overview/service/:namespace/:service/*`;
  return makeServicePage(
    {
      params: { namespace, service },
      isExact: false,
      path,
      url: `${PLUGIN_BASE_URL}/overview/service/${namespace}/${service}`,
    },
    PARENT
  );
}

const tabs = (page: SceneAppPage) =>
  (page.state.tabs ?? []).map((tab: SceneAppPageLike) => [tab.state.title, tab.state.url]);

describe('service drill-down page', () => {
  it('is titled by the service, names its namespace, opens on the boundary tab and goes back to the overview', () => {
    const page = open('shop', 'payments');
    expect(page.state.title).toBe('payments');
    expect(page.state.subTitle).toBe('Namespace shop: the boundary as the mesh saw it, next to what the app reports.');
    expect(page.state.url).toBe(`${PLUGIN_BASE_URL}/overview/service/shop/payments/boundary`);
    expect(page.state.getParentPage?.()).toBe(PARENT);
    expect(page.state.preserveUrlKeys).toEqual(PRESERVED_URL_KEYS);
  });

  it('offers its tabs in order, each at its own address', () => {
    const base = `${PLUGIN_BASE_URL}/overview/service/shop/payments`;
    expect(tabs(open('shop', 'payments'))).toEqual([
      ['Boundary', `${base}/boundary`],
      ['Status codes', `${base}/status`],
      ['Callers & callees', `${base}/peers`],
      ['TCP', `${base}/tcp`],
      ['Traces', `${base}/traces`],
    ]);
  });

  it('reads a service without namespace and an encoded name back from the address', () => {
    const page = open('-', '~ZGlzayAxMDAl');
    expect(page.state.title).toBe('disk 100%');
    expect(page.state.subTitle).toBe('A service the app reports without a namespace.');
    expect(page.state.url).toBe(`${PLUGIN_BASE_URL}/overview/service/-/~ZGlzayAxMDAl/boundary`);
    expect(tabs(page).map(([, url]) => url)).toContain(`${PLUGIN_BASE_URL}/overview/service/-/~ZGlzayAxMDAl/traces`);
  });
});
