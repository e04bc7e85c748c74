import React from 'react';
import { Alert, Text } from '@grafana/ui';
import { formatDuration } from '../boundary/format';
import { recentLabel } from '../boundary/runTimeline';
import { testIds } from '../testIds';
import type { IncidentInfo } from '../scenes/loadIncident';

const PARTS = {
  recent: 'The flags of the range’s recent part',
  baseline: 'The figures to compare with',
  timeline: 'Onsets and trends',
} as const;

/** "1 h earlier": how the page names the window compared with. */
export function baselineLabel(seconds: number): string {
  return `${formatDuration(seconds)} earlier`;
}

/** What is still loading, or the timeline's step once it has loaded. */
function progress({ windowsLoading, timelineLoading, recentSeconds, compareSeconds, stepSeconds }: IncidentInfo) {
  if (windowsLoading) {
    const parts = [recentSeconds && `the ${recentLabel(recentSeconds)}`, compareSeconds && 'the comparison'];
    return parts.some(Boolean) ? `Loading ${parts.filter(Boolean).join(' and ')}…` : undefined;
  }
  if (timelineLoading) {
    return 'Loading onsets and trends…';
  }
  return stepSeconds ? `Onsets and trends step by ${formatDuration(stepSeconds)}.` : undefined;
}

/**
 * What the page looked at besides the range (the window flags also fire in, the window compared with, the timeline's
 * step), and what of it could not be loaded.
 */
export function IncidentNotes({ incident }: { incident: IncidentInfo }) {
  const { recentSeconds, compareSeconds, stepSeconds, windowsLoading, timelineLoading, notes } = incident;
  const loading = windowsLoading ? 'windows' : timelineLoading ? 'timeline' : '';
  const looked = [
    recentSeconds
      ? `Flags fire over the whole range or over its ${recentLabel(recentSeconds)} (the clock marks those only the ${recentLabel(recentSeconds)} show).`
      : 'Flags fire over the whole range.',
    progress(incident),
    compareSeconds ? `Changes are against the same range ${baselineLabel(compareSeconds)}.` : undefined,
  ];
  return (
    <div
      data-testid={testIds.timeline.notes}
      data-loading={loading}
      data-recent-seconds={recentSeconds ?? ''}
      data-step-seconds={stepSeconds ?? ''}
    >
      <Text color="secondary" variant="bodySmall">
        {looked.filter(Boolean).join(' ')}
      </Text>
      {notes.length > 0 && (
        <Alert severity="warning" title="Part of the incident view could not be loaded">
          <ul>
            {notes.map((note) => (
              <li key={`${note.part}-${note.message}`} data-part={note.part}>
                {PARTS[note.part]}: {note.message}
              </li>
            ))}
          </ul>
          The figures of the range are shown.
        </Alert>
      )}
    </div>
  );
}
