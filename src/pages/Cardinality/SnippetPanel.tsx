import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, Stack, Text, useStyles2 } from '@grafana/ui';
import { collectorSnippets, type CardinalityReport, type DropPlan, type DropSelection } from '../../cardinality';
import { testIds } from '../../testIds';
import { formatCount } from '../../components/formatCount';

interface Props {
  report: CardinalityReport;
  selection: DropSelection;
  plan?: DropPlan;
}

/** The two ways the article names, side by side: scrape-time relabelling and OTTL processors. */
export function SnippetPanel({ report, selection, plan }: Props) {
  const styles = useStyles2(getStyles);
  if (selection.labels.length === 0 && selection.families.length === 0) {
    return (
      <Text color="secondary">
        Tick labels or families above to get the OpenTelemetry Collector configuration that drops them.
      </Text>
    );
  }
  const saved = plan ? plan.totals.mesh.seriesSaved + plan.totals.app.seriesSaved : undefined;
  return (
    <div className={styles.grid}>
      {collectorSnippets(selection, { report }).map((snippet) => (
        <div
          key={snippet.method}
          className={styles.card}
          data-testid={testIds.cardinality.snippet}
          data-method={snippet.method}
        >
          <Stack direction="row" justifyContent="space-between" alignItems="center">
            <Text element="h3" variant="h5">
              {snippet.title}
            </Text>
            <ClipboardButton icon="copy" size="sm" variant="secondary" getText={() => snippet.yaml}>
              Copy
            </ClipboardButton>
          </Stack>
          <Text element="p" color="secondary">
            {snippet.note}
            {saved !== undefined && ` Saves ${formatCount(saved)} series.`}
          </Text>
          <pre className={styles.yaml}>{snippet.yaml}</pre>
          {[...snippet.caveats, ...snippet.skipped.map((s) => `${s.what}: ${s.reason}`)].map((line) => (
            <Text key={line} element="p" color="warning" variant="bodySmall">
              {line}
            </Text>
          ))}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(2) }),
  card: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    minWidth: 0,
  }),
  yaml: css({
    fontSize: theme.typography.bodySmall.fontSize,
    maxHeight: 360,
    overflow: 'auto',
    margin: theme.spacing(1, 0),
  }),
});
