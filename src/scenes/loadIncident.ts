import { sceneGraph, type SceneObject } from '@grafana/scenes';
import type { OverviewSource } from '../boundary/overviewSource';
import type { QueryFailure } from '../boundary/runOverview';
import { runIncidentOverview, runTimeline, type IncidentNote } from '../boundary/runTimeline';
import type { ServiceRow } from '../boundary/types';
import type { OverviewRefId } from '../query/overviewQueries';
import { errorMessage, metricsApi, overviewSourceCache } from '../services/metricsApi';
import { getAppSettings } from '../settings/appSettings';
import { compareControlOf } from './CompareControl';

/** What the page shows of an incident besides the rows: which windows were looked at, and what is still loading. */
export interface IncidentInfo {
  /** The recent window the flags also look at, when the range is longer than it. */
  recentSeconds?: number;
  /** The offset the figures are compared with, while a comparison is on. */
  compareSeconds?: number;
  /** The timeline's step, once it has loaded. */
  stepSeconds?: number;
  /** The recent window's flags and the baseline are still on their way (the range's rows are shown). */
  windowsLoading: boolean;
  timelineLoading: boolean;
  /** The range's end, epoch ms: onsets say how long ago they were from it. */
  rangeEndMs: number;
  notes: IncidentNote[];
}

export interface IncidentLoadState {
  loading: boolean;
  error?: string;
  rows?: ServiceRow[];
  failures?: Array<QueryFailure<OverviewRefId>>;
  /** Which series the range's figures came from (raw or recorded), and why. */
  source?: OverviewSource;
  incident?: IncidentInfo;
}

/**
 * Behavior of the views that show services during an incident (the overview, a drill-down's header): for the current
 * time range and comparison, first the rows with the flags of the range and of its recent part and the baseline's
 * figures, then the flagged rows' timeline. A new range or comparison cancels what is in flight; so does leaving.
 * Returns the cleanup for an activation handler.
 */
export function loadIncident(
  scene: SceneObject,
  options: { namespace?: string },
  onState: (state: IncidentLoadState) => void
): () => void {
  const timeRange = sceneGraph.getTimeRange(scene);
  const compare = compareControlOf(scene);
  let current: AbortController | undefined;
  const run = async () => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const signal = controller.signal;
    const { from, to } = timeRange.state.value;
    const window = { from: from.unix(), to: to.unix() };
    const compareSeconds = compare?.seconds();
    const api = metricsApi();
    const settings = getAppSettings();
    onState({ loading: true });
    try {
      const overview = await runIncidentOverview(
        api,
        settings,
        window,
        { ...options, compareSeconds, signal, sourceCache: overviewSourceCache },
        (range) => {
          if (!signal.aborted) {
            const incident: IncidentInfo = {
              recentSeconds: range.recentSeconds,
              compareSeconds,
              windowsLoading: true,
              timelineLoading: true,
              rangeEndMs: window.to * 1000,
              notes: [],
            };
            onState({ loading: false, rows: range.rows, failures: range.failures, source: range.source, incident });
          }
        }
      );
      if (signal.aborted) {
        return;
      }
      const incident: IncidentInfo = {
        recentSeconds: overview.recentSeconds,
        compareSeconds,
        windowsLoading: false,
        timelineLoading: true,
        rangeEndMs: window.to * 1000,
        notes: overview.notes,
      };
      const source = overview.source;
      onState({ loading: false, rows: overview.rows, failures: overview.failures, source, incident });
      try {
        const timeline = await runTimeline(api, settings, window, overview.rows, overview.buckets, {
          ...options,
          signal,
        });
        if (!signal.aborted) {
          const failed = timeline.failures.map((f) => ({ part: 'timeline' as const, message: f.message }));
          onState({
            loading: false,
            rows: timeline.rows,
            failures: overview.failures,
            source,
            incident: {
              ...incident,
              timelineLoading: false,
              stepSeconds: timeline.stepSeconds,
              notes: [...incident.notes, ...failed],
            },
          });
        }
      } catch (error) {
        if (!signal.aborted) {
          const note = { part: 'timeline' as const, message: errorMessage(error) };
          onState({
            loading: false,
            rows: overview.rows,
            failures: overview.failures,
            source,
            incident: { ...incident, timelineLoading: false, notes: [...incident.notes, note] },
          });
        }
      }
    } catch (error) {
      if (!signal.aborted) {
        onState({ loading: false, error: errorMessage(error) });
      }
    }
  };
  const subscriptions = [timeRange.subscribeToState(() => void run())];
  if (compare) {
    subscriptions.push(
      compare.subscribeToState((next, previous) => {
        if (next.compare !== previous.compare) {
          void run();
        }
      })
    );
  }
  void run();
  return () => {
    current?.abort();
    subscriptions.forEach((s) => s.unsubscribe());
  };
}
