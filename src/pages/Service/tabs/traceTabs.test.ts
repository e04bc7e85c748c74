import { sceneGraph, SceneQueryRunner, SceneReactObject, VizPanel } from '@grafana/scenes';
import { setAppSettings } from '../../../settings/appSettings';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../settings/types';
import { NoTracesDatasource } from '../TraceLinks';
import { tracesTab } from './traceTabs';

const PAYMENTS = { namespace: 'shop', workload: 'payments' };

function tables(settings: AppSettings) {
  setAppSettings(settings);
  const tab = tracesTab(PAYMENTS);
  return sceneGraph.findDescendents(tab, VizPanel).map((panel) => {
    const runner = panel.state.$data;
    if (!(runner instanceof SceneQueryRunner)) {
      throw new Error(`${panel.state.title} has no query runner`);
    }
    return {
      title: panel.state.title,
      type: panel.state.pluginId,
      datasource: runner.state.datasource,
      query: runner.state.queries[0],
    };
  });
}

describe('traces tab', () => {
  afterEach(() => setAppSettings(DEFAULT_SETTINGS));

  it('lists failed requests, gRPC failures and recent server spans from Tempo, for the service’s app name', () => {
    const shown = tables({
      ...DEFAULT_SETTINGS,
      tracesDatasourceUid: 'tempo-prod',
      tracesDatasourceType: 'tempo',
      joinOverrides: [{ appService: 'payments-api', namespace: 'shop', workload: 'payments' }],
    });
    expect(shown.map((t) => [t.title, t.type])).toEqual([
      ['Failed requests', 'table'],
      ['gRPC failures', 'table'],
      ['Recent server spans', 'table'],
    ]);
    for (const table of shown) {
      expect(table.datasource).toEqual({ uid: 'tempo-prod', type: 'tempo' });
      expect(table.query).toMatchObject({ queryType: 'traceql' });
      expect(String(table.query.query)).toContain('"payments-api"');
    }
  });

  it('lists the same tables as Jaeger searches', () => {
    const shown = tables({ ...DEFAULT_SETTINGS, tracesDatasourceUid: 'jaeger', tracesDatasourceType: 'jaeger' });
    expect(shown.map((t) => t.title)).toEqual(['Failed requests', 'gRPC failures', 'Recent server spans']);
    for (const table of shown) {
      expect(table.query).toMatchObject({ queryType: 'search', service: 'payments' });
    }
  });

  it.each([
    ['no traces datasource', undefined, undefined],
    ['a datasource whose type is unknown', 'tempo-prod', undefined],
  ])('says how to configure a traces datasource for %s, and queries nothing', (_case, uid, type) => {
    setAppSettings({ ...DEFAULT_SETTINGS, tracesDatasourceUid: uid, tracesDatasourceType: type });
    const tab = tracesTab(PAYMENTS);
    expect(sceneGraph.findDescendents(tab, VizPanel)).toEqual([]);
    expect(sceneGraph.findDescendents(tab, SceneReactObject).map((o) => o.state.component)).toEqual([
      NoTracesDatasource,
    ]);
  });
});
