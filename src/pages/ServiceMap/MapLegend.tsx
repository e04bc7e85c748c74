import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2, useTheme2 } from '@grafana/ui';
import type { MapNode } from '../../boundary/serviceMap';
import type { FlagId } from '../../constants';
import { testIds } from '../../testIds';
import { mapLegend } from './mapFrames';

/** What the rings on the map mean, with how many of the shown services carry each mark. */
export function MapLegend({ nodes }: { nodes: MapNode[] }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const count = (id: FlagId | 'none') =>
    nodes.filter((n) => (id === 'none' ? n.flags.length === 0 : n.flags.includes(id))).length;
  return (
    <Stack direction="row" gap={2} alignItems="center" wrap="wrap">
      <Text color="secondary" variant="bodySmall">
        Rings:
      </Text>
      {mapLegend(theme).map((entry) => {
        const shown = count(entry.id);
        return (
          <span
            key={entry.id}
            className={styles.entry}
            data-testid={testIds.serviceMap.legend}
            data-mark={entry.id}
            data-count={shown}
          >
            <span className={styles.ring} style={{ borderColor: entry.color }} />
            <Text variant="bodySmall">{entry.name}</Text>
            <Text variant="bodySmall" color="secondary">
              {String(shown)}
            </Text>
          </span>
        );
      })}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  entry: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75) }),
  ring: css({ display: 'inline-block', width: 12, height: 12, borderRadius: '50%', border: '3px solid' }),
});
