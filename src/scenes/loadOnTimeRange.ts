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
 * whenever the range changes (the refresh picker changes it too), reporting each step to `onState`. A new run
 * cancels the one before it (its requests are aborted through `signal`, its answers dropped), and so does
 * leaving the page. Returns the cleanup for an activation handler.
 */
export function loadOnTimeRange<T>(
  scene: SceneObject,
  fetch: (window: TimeWindow, signal: AbortSignal) => Promise<T>,
  onState: (state: LoadState<T>) => void
): () => void {
  const timeRange = sceneGraph.getTimeRange(scene);
  let current: AbortController | undefined;
  const run = async () => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const { from, to } = timeRange.state.value;
    onState({ loading: true });
    try {
      const value = await fetch({ from: from.unix(), to: to.unix() }, controller.signal);
      if (!controller.signal.aborted) {
        onState({ loading: false, value });
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        onState({ loading: false, error: errorMessage(error) });
      }
    }
  };
  const subscription = timeRange.subscribeToState(() => void run());
  void run();
  return () => {
    current?.abort();
    subscription.unsubscribe();
  };
}
