/**
 * Which series the overview reads: the raw ones, or the per-workload rates Mesh Lens' recording rules write
 * (docs/rules.md), which cost a fraction of the store's work at thousands of services. `auto` reads the recorded
 * ones when one cheap query shows they cover the window for every layer that has raw series.
 */
import {
  buildCoverageQuery,
  COVERAGE_LABEL,
  type CoverageEdge,
  type CoverageLayer,
  type CoverageSource,
} from '../query/recordedQueries';
import type { OverviewQueryOptions } from '../query/overviewQueries';
import { PromQueryError, type PromApi, type QueryOptions } from '../query/promApi';
import type { Sample } from '../query/sample';
import type { RecordedSeriesMode } from '../settings/types';

export type SeriesPath = 'raw' | 'recorded';

/** The path the overview took, and why, in words the page shows. */
export interface OverviewSource {
  path: SeriesPath;
  reason: string;
}

type Coverage = Record<CoverageLayer, Record<CoverageSource, Record<CoverageEdge, boolean>>>;

const LAYER_NAMES: Record<CoverageLayer, string> = { mesh: 'mesh', app: 'app' };

/** Reads the coverage query's samples: which layer has which series near each edge of the window. */
export function readCoverage(samples: Sample[]): Coverage {
  const empty = () => ({ start: false, end: false });
  const coverage: Coverage = {
    mesh: { raw: empty(), recorded: empty() },
    app: { raw: empty(), recorded: empty() },
  };
  for (const { labels, value } of samples) {
    const [layer, source, edge] = (labels[COVERAGE_LABEL] ?? '').split(':');
    const found = coverage[layer as CoverageLayer]?.[source as CoverageSource];
    if (found && (edge === 'start' || edge === 'end') && value > 0) {
      found[edge] = true;
    }
  }
  return coverage;
}

/**
 * Recorded series are used when some layer has them at the window's end, and every layer with raw series near
 * an edge has recorded series there too: rules written for other settings, rules that started inside the window or
 * stopped before its end leave the raw path in charge.
 */
export function chooseSource(coverage: Coverage): OverviewSource {
  const layers = ['mesh', 'app'] as const;
  if (!layers.some((layer) => coverage[layer].recorded.end)) {
    return { path: 'raw', reason: 'the store has no series of Mesh Lens’ recording rules for these settings' };
  }
  for (const layer of layers) {
    const { raw, recorded } = coverage[layer];
    if (raw.end && !recorded.end) {
      return {
        path: 'raw',
        reason: `the recording rules write no ${LAYER_NAMES[layer]} series for these settings, or stopped before the window's end`,
      };
    }
    if (raw.start && !recorded.start) {
      return { path: 'raw', reason: 'the recorded series begin after the start of the time range' };
    }
  }
  return { path: 'recorded', reason: 'the recording rules’ series cover the time range' };
}

/**
 * Coverage answers kept for the page's lifetime, by settings, namespace and window (to the minute): the overview
 * and the service map, and every re-render in the same minute, ask once.
 */
export class SourceCache {
  private readonly answers = new Map<string, Promise<OverviewSource>>();

  get(key: string, detect: () => Promise<OverviewSource>): Promise<OverviewSource> {
    const known = this.answers.get(key);
    if (known) {
      return known;
    }
    const answer = detect();
    this.answers.set(key, answer);
    // A failed or cancelled check is asked again next time.
    answer.catch(() => this.answers.delete(key));
    return answer;
  }
}

export interface SourceOptions extends QueryOptions {
  mode: RecordedSeriesMode;
  cache?: SourceCache;
}

/** The overview's path: forced by the settings, or detected with one query at the window's end. */
export async function resolveSource(
  api: PromApi,
  query: OverviewQueryOptions,
  timeSeconds: number,
  options: SourceOptions
): Promise<OverviewSource> {
  if (options.mode === 'raw') {
    return { path: 'raw', reason: 'the settings ask for the raw series' };
  }
  if (options.mode === 'recorded') {
    return { path: 'recorded', reason: 'the settings ask for the recorded series' };
  }
  const detect = async (): Promise<OverviewSource> => {
    try {
      const samples = await api.instant(buildCoverageQuery(query), timeSeconds, { signal: options.signal });
      return chooseSource(readCoverage(samples));
    } catch (error) {
      if (error instanceof PromQueryError && error.kind === 'cancelled') {
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      return { path: 'raw', reason: `the check for recorded series failed (${message})` };
    }
  };
  if (!options.cache) {
    return detect();
  }
  const { settings, windowSeconds, namespace } = query;
  const key = JSON.stringify([
    settings.metricsDatasourceUid,
    settings.labelSchema,
    settings.meshSelector,
    settings.semconv,
    settings.appServiceLabel,
    namespace,
    Math.floor(timeSeconds / 60),
    Math.round(windowSeconds / 60),
  ]);
  return options.cache.get(key, detect);
}
