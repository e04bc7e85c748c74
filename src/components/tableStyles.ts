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
  /** A success rate's colour beside its figure. */
  dot: css({ display: 'inline-block', width: 8, height: 8, borderRadius: '50%', marginRight: theme.spacing(0.75) }),
});
