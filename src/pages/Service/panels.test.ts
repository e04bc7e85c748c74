import { SceneDataTransformer, SceneQueryRunner, VizPanel, type CustomTransformOperator } from '@grafana/scenes';
import { setAppSettings } from '../../settings/appSettings';
import { DEFAULT_SETTINGS } from '../../settings/types';
import { timeseriesChart, type ChartOptions } from './panels';

const OPTIONS: ChartOptions = {
  title: 'Success rate: mesh vs app',
  description: 'Mesh and app success.',
  unit: 'percentunit',
  queries: [
    { refId: 'mesh', expr: 'mesh_success', legendFormat: 'mesh' },
    { refId: 'app', expr: 'app_success', legendFormat: 'app' },
  ],
};

function panelOf(options: ChartOptions): VizPanel {
  const body = timeseriesChart(options).state.body;
  if (!(body instanceof VizPanel)) {
    throw new Error('the chart is not a panel');
  }
  return body;
}

function runnerOf(panel: VizPanel): SceneQueryRunner {
  const data = panel.state.$data;
  const runner = data instanceof SceneDataTransformer ? data.state.$data : data;
  if (!(runner instanceof SceneQueryRunner)) {
    throw new Error('the panel has no query runner');
  }
  return runner;
}

describe('timeseriesChart', () => {
  beforeEach(() => setAppSettings({ ...DEFAULT_SETTINGS, metricsDatasourceUid: 'vm-prod' }));
  afterEach(() => setAppSettings(DEFAULT_SETTINGS));

  it('draws a time series panel with its title, description and unit, its axis starting at zero', () => {
    const panel = panelOf(OPTIONS);
    expect(panel.state).toMatchObject({
      pluginId: 'timeseries',
      title: 'Success rate: mesh vs app',
      description: 'Mesh and app success.',
    });
    expect(panel.state.fieldConfig.defaults.unit).toBe('percentunit');
    expect(panel.state.fieldConfig.defaults.custom).toMatchObject({ axisSoftMin: 0 });
    expect(panel.state.fieldConfig.defaults.min).toBeUndefined();
    expect(panel.state.fieldConfig.defaults.noValue).toBeUndefined();
    expect(panel.state.fieldConfig.overrides).toEqual([]);
  });

  it('queries the configured metrics datasource over the range, one query per series', () => {
    const runner = runnerOf(panelOf(OPTIONS));
    expect(runner.state.datasource).toEqual({ uid: 'vm-prod' });
    expect(runner.state.queries).toEqual([
      { refId: 'mesh', expr: 'mesh_success', legendFormat: 'mesh', range: true, instant: false },
      { refId: 'app', expr: 'app_success', legendFormat: 'app', range: true, instant: false },
    ]);
    expect(panelOf(OPTIONS).state.$data).toBeInstanceOf(SceneQueryRunner);
  });

  it('pins a share between 0 and 1, and says what is missing instead of “No data”', () => {
    const panel = panelOf({ ...OPTIONS, range: { min: 0, max: 1 }, noData: 'The app exports no server metrics' });
    expect(panel.state.fieldConfig.defaults).toMatchObject({
      min: 0,
      max: 1,
      noValue: 'The app exports no server metrics',
    });
  });

  it('colours each query’s series with its fixed colour', () => {
    const panel = panelOf({ ...OPTIONS, colors: { mesh: 'blue', app: 'green' } });
    expect(panel.state.fieldConfig.overrides).toEqual([
      {
        matcher: { id: 'byFrameRefID', options: 'mesh' },
        properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } }],
      },
      {
        matcher: { id: 'byFrameRefID', options: 'app' },
        properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }],
      },
    ]);
  });

  it('runs the series through the chart’s transform when it has one', () => {
    const transform: CustomTransformOperator = () => (frames) => frames;
    const panel = panelOf({ ...OPTIONS, transform });
    const data = panel.state.$data;
    expect(data).toBeInstanceOf(SceneDataTransformer);
    expect((data as SceneDataTransformer).state.transformations).toEqual([transform]);
    expect(runnerOf(panel).state.datasource).toEqual({ uid: 'vm-prod' });
  });
});
