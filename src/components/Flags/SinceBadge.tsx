import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2, type BadgeColor } from '@grafana/ui';
import type { Flag, FlagOnset } from '../../boundary/types';
import { testIds } from '../../testIds';
import { onsetText } from './timelineText';

interface Props {
  flag: Flag;
  label: { text: string; color: BadgeColor };
  /** Undefined while the timeline loads, or where it could not load. */
  onset?: FlagOnset;
  endMs?: number;
  /** How the page names the recent window ("last 5 min"), when the flag fired there only. */
  recentLabel?: string;
}

/**
 * A flag's badge with since when it holds. Machine-readable: `data-flag`, `data-since` (epoch ms of the onset, empty
 * when it held all along or is not known), `data-onset` (its kind, or `unknown`) and `data-window` (the windows it
 * fired in).
 */
export function SinceBadge({ flag, label, onset, endMs, recentLabel }: Props) {
  const styles = useStyles2(getStyles);
  const recentOnly = flag.windows?.length === 1 && flag.windows[0] === 'recent';
  const since = onset?.state === 'since' ? String(onset.sinceMs) : '';
  const text = onset && endMs !== undefined ? onsetText(onset, endMs) : undefined;
  return (
    <span
      className={styles.badge}
      data-testid={testIds.timeline.since}
      data-flag={flag.id}
      data-since={since}
      data-onset={onset?.state ?? 'unknown'}
      data-window={(flag.windows ?? ['range']).join(' ')}
    >
      <Badge
        text={label.text}
        color={label.color}
        tooltip={flag.summary}
        icon={recentOnly ? 'clock-nine' : undefined}
      />
      {(text || recentOnly) && (
        <span className={styles.since}>{[recentOnly && recentLabel, text].filter(Boolean).join(' · ')}</span>
      )}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  since: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
});
