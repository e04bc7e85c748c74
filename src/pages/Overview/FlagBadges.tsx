import React from 'react';
import { Badge, Stack, type BadgeColor } from '@grafana/ui';
import type { FlagId } from '../../constants';
import type { Flag } from '../../boundary/types';

export const FLAG_LABELS: Record<FlagId, { text: string; color: BadgeColor }> = {
  'grpc-trap': { text: 'gRPC trap', color: 'red' },
  disagreement: { text: 'Layers disagree', color: 'orange' },
  'boundary-latency': { text: 'Boundary latency', color: 'purple' },
  coverage: { text: 'One layer', color: 'blue' },
};

export function FlagBadges({ flags }: { flags: Flag[] }) {
  return (
    <Stack direction="row" gap={0.5} wrap="wrap">
      {flags.map((flag) => (
        <span key={flag.id} data-flag={flag.id}>
          <Badge text={FLAG_LABELS[flag.id].text} color={FLAG_LABELS[flag.id].color} tooltip={flag.summary} />
        </span>
      ))}
    </Stack>
  );
}
