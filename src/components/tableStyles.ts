import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** The compact table of the drill-down's peers and the map's edges. */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    marginTop: theme.spacing(1),
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
    },
    th: { background: theme.colors.background.secondary },
  }),
  number: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
});
