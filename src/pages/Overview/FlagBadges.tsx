import React from 'react';
import { Badge, Stack } from '@grafana/ui';
import type { Coverage, Flag } from '../../boundary/types';
import { COVERAGE_TEXT, FLAG_STYLES, flagText } from './flagLabels';

const UNKNOWN_COVERAGE_HINT =
  "A layer's query failed: whether this service is meshed and instrumented cannot be told until it answers";

/** A row's flags; the coverage flag says which layer is missing, and an unknown coverage says so. */
export function FlagBadges({ flags, coverage }: { flags: Flag[]; coverage: Coverage }) {
  return (
    <Stack direction="row" gap={0.5} wrap="wrap">
      {flags.map((flag) => (
        <span key={flag.id} data-flag={flag.id}>
          <Badge text={flagText(flag.id, coverage)} color={FLAG_STYLES[flag.id].color} tooltip={flag.summary} />
        </span>
      ))}
      {coverage === 'unknown' && (
        <span data-coverage-unknown>
          <Badge text={COVERAGE_TEXT.unknown} color="darkgrey" tooltip={UNKNOWN_COVERAGE_HINT} />
        </span>
      )}
    </Stack>
  );
}
