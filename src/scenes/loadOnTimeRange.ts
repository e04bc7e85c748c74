import { sceneGraph, type SceneObject } from '@grafana/scenes';
import type { TimeWindow } from '../boundary/runOverview';
import { errorMessage } from '../services/metricsApi';

export interface LoadState<T> {
  loading: boolean;
  value?: T;
  error?: string;
}

/**
 * Behavior for scene objects that query on their own: runs `fetch` for the current time range at once and
 * whenever the range changes (the refresh picker changes it too), reporting each step to `onState`. Answers
 * of a run that a newer run has replaced are dropped. Returns the cleanup for an activation handler.
 */
export function loadOnTimeRange<T>(
  scene: SceneObject,
  fetch: (window: TimeWindow) => Promise<T>,
  onState: (state: LoadState<T>) => void
): () => void {
  const timeRange = sceneGraph.getTimeRange(scene);
  let latest = 0;
  const run = async () => {
    const id = ++latest;
    const { from, to } = timeRange.state.value;
    onState({ loading: true });
    try {
      const value = await fetch({ from: from.unix(), to: to.unix() });
      if (id === latest) {
        onState({ loading: false, value });
      }
    } catch (error) {
      if (id === latest) {
        onState({ loading: false, error: errorMessage(error) });
      }
    }
  };
  const subscription = timeRange.subscribeToState(() => void run());
  void run();
  return () => {
    latest++;
    subscription.unsubscribe();
  };
}
