import { dateTime } from '@grafana/data';
import { SceneObjectBase, SceneTimeRange, type SceneObjectState } from '@grafana/scenes';
import type { TimeWindow } from '../boundary/runOverview';
import { loadOnTimeRange } from './loadOnTimeRange';

/** One call of the loader, answered when the test says so. */
interface PendingLoad {
  window: TimeWindow;
  signal: AbortSignal;
  resolve: (value: string) => void;
  reject: (error: unknown) => void;
}

interface LoadingSceneState extends SceneObjectState {
  loading: boolean;
  value?: string;
  error?: string;
}

/** A scene object that loads on its own, wired as the pages wire theirs. */
class LoadingScene extends SceneObjectBase<LoadingSceneState> {
  readonly loads: PendingLoad[] = [];

  constructor(state: Partial<LoadingSceneState>) {
    super({ loading: false, ...state });
    this.addActivationHandler(() =>
      loadOnTimeRange(
        this,
        (window, signal) =>
          new Promise<string>((resolve, reject) => this.loads.push({ window, signal, resolve, reject })),
        ({ loading, value, error }) => this.setState({ loading, value, error })
      )
    );
  }
}

const HOUR = 3600;
const NINE = Date.parse('2026-11-30T09:00:00Z') / 1000;

function setRange(timeRange: SceneTimeRange, from: number, to: number) {
  const range = { from: dateTime(from * 1000), to: dateTime(to * 1000) };
  timeRange.onTimeRangeChange({ ...range, raw: range });
}

/** Lets the loader's answers reach the scene. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const timeRange = new SceneTimeRange({
    from: new Date(NINE * 1000).toISOString(),
    to: new Date((NINE + HOUR) * 1000).toISOString(),
  });
  const scene = new LoadingScene({ $timeRange: timeRange });
  const deactivate = scene.activate();
  return { scene, timeRange, deactivate };
}

describe('loadOnTimeRange', () => {
  it('loads the current range at once (in unix seconds) and shows its answer', async () => {
    const { scene } = setup();
    expect(scene.state.loading).toBe(true);
    expect(scene.loads).toHaveLength(1);
    expect(scene.loads[0].window).toEqual({ from: NINE, to: NINE + HOUR });

    scene.loads[0].resolve('nine to ten');
    await settle();
    expect(scene.state).toMatchObject({ loading: false, value: 'nine to ten', error: undefined });
  });

  it('loads again when the range changes, and cancels the request for the old range', async () => {
    const { scene, timeRange } = setup();
    setRange(timeRange, NINE - HOUR, NINE);
    expect(scene.loads).toHaveLength(2);
    expect(scene.loads[1].window).toEqual({ from: NINE - HOUR, to: NINE });
    expect(scene.loads[0].signal.aborted).toBe(true);
    expect(scene.loads[1].signal.aborted).toBe(false);
    expect(scene.state.loading).toBe(true);
  });

  it('never lets an older range’s slow answer replace the newer range’s answer', async () => {
    const { scene, timeRange } = setup();
    setRange(timeRange, NINE - HOUR, NINE);
    const [older, newer] = scene.loads;

    newer.resolve('eight to nine');
    await settle();
    // The loader ignored the abort and answered anyway, after the newer range.
    older.resolve('nine to ten');
    await settle();
    expect(scene.state).toMatchObject({ loading: false, value: 'eight to nine' });
  });

  it('keeps loading when the older range answers first: its answer is not shown for the newer range', async () => {
    const { scene, timeRange } = setup();
    setRange(timeRange, NINE - HOUR, NINE);
    const [older, newer] = scene.loads;

    older.resolve('nine to ten');
    await settle();
    expect(scene.state.loading).toBe(true);
    expect(scene.state.value).toBeUndefined();

    newer.resolve('eight to nine');
    await settle();
    expect(scene.state).toMatchObject({ loading: false, value: 'eight to nine' });
  });

  it('shows an error only for the current range', async () => {
    const { scene, timeRange } = setup();
    setRange(timeRange, NINE - HOUR, NINE);
    const [older, newer] = scene.loads;

    older.reject(new Error('the old range timed out'));
    await settle();
    expect(scene.state.error).toBeUndefined();
    expect(scene.state.loading).toBe(true);

    newer.reject(new Error('bad_data: query timed out'));
    await settle();
    expect(scene.state).toMatchObject({ loading: false, error: 'bad_data: query timed out', value: undefined });
  });

  it('clears the previous range’s error while the next range loads', async () => {
    const { scene, timeRange } = setup();
    scene.loads[0].reject('the store is down');
    await settle();
    expect(scene.state.error).toBe('the store is down');

    setRange(timeRange, NINE - HOUR, NINE);
    expect(scene.state).toMatchObject({ loading: true, error: undefined });
    scene.loads[1].resolve('eight to nine');
    await settle();
    expect(scene.state).toMatchObject({ loading: false, value: 'eight to nine', error: undefined });
  });

  it('cancels the request when the scene is left, and neither its answer nor a later range change reaches it', async () => {
    const { scene, timeRange, deactivate } = setup();
    deactivate();
    expect(scene.loads[0].signal.aborted).toBe(true);

    scene.loads[0].resolve('nine to ten');
    await settle();
    expect(scene.state).toMatchObject({ loading: true, value: undefined });

    setRange(timeRange, NINE - HOUR, NINE);
    expect(scene.loads).toHaveLength(1);
  });
});
