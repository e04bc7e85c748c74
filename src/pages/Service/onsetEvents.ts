import type { AnnotationEvent } from '@grafana/data';
import type { Coverage, Flag, RowTimeline } from '../../boundary/types';
import { FLAG_FACTS } from '../../boundary/flags';
import { flagText } from '../../components/Flags/flagLabels';

/**
 * The annotations of a row's onsets: one per flag that began inside the range (a region where it also ended), one
 * where a flag that held from the range's start ended. Named as the flag's badge names it.
 */
export function onsetEvents(flags: Flag[], coverage: Coverage, timeline: RowTimeline | undefined): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const flag of flags) {
    const onset = timeline?.onsets[flag.id];
    const label = flagText(flag.id, flag.coverage ?? coverage);
    if (onset?.state === 'since') {
      events.push({
        time: onset.sinceMs,
        timeEnd: onset.untilMs,
        isRegion: onset.untilMs !== undefined,
        title: onset.untilMs === undefined ? `${label} since here` : `${label} held here`,
        text: flag.summary,
        tags: [flag.id],
        color: FLAG_FACTS[flag.id].color,
      });
    } else if (onset?.state === 'all-along' && onset.untilMs !== undefined) {
      events.push({ time: onset.untilMs, title: `${label} ended here`, text: flag.summary, tags: [flag.id] });
    }
  }
  return events;
}
