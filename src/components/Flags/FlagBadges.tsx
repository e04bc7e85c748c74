import React from 'react';
import { Badge, Stack } from '@grafana/ui';
import type { Coverage, Flag, RowTimeline } from '../../boundary/types';
import { FLAG_FACTS } from '../../boundary/flags';
import { COVERAGE_TEXT, flagText } from './flagLabels';
import { SinceBadge } from './SinceBadge';

const UNKNOWN_COVERAGE_HINT =
  "A layer's query failed: whether this service is meshed and instrumented cannot be told until it answers";

/**
 * A row's flags, each with since when it holds once the row's timeline is known (SinceBadge); the coverage flag says
 * which layer is missing, and an unknown coverage says so.
 */
export function FlagBadges({
  flags,
  coverage,
  timeline,
  endMs,
  recentLabel,
}: { flags: Flag[]; coverage: Coverage } & TimelineProps) {
  return (
    <Stack direction="row" gap={0.5} wrap="wrap">
      {flags.map((flag) => (
        <SinceBadge
          key={flag.id}
          flag={flag}
          label={{ text: flagText(flag.id, flag.coverage ?? coverage), color: FLAG_FACTS[flag.id].color }}
          onset={timeline?.onsets[flag.id]}
          endMs={endMs}
          recentLabel={recentLabel}
        />
      ))}
      {coverage === 'unknown' && (
        <span data-coverage-unknown>
          <Badge text={COVERAGE_TEXT.unknown} color="darkgrey" tooltip={UNKNOWN_COVERAGE_HINT} />
        </span>
      )}
    </Stack>
  );
}

interface TimelineProps {
  timeline?: RowTimeline;
  endMs?: number;
  recentLabel?: string;
}
