import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, Checkbox, Text, useStyles2 } from '@grafana/ui';
import {
  rankLabelSavings,
  unusedFamilies,
  type CardinalityReport,
  type DropPlan,
  type DropSelection,
  type LabelSaving,
} from '../../cardinality';
import { testIds } from '../../testIds';
import { formatCount } from '../../components/formatCount';

/** The candidates shown: the labels whose removal saves most, per layer. */
const TOP_LABELS = 10;

interface Props {
  report: CardinalityReport;
  selection: DropSelection;
  plan?: DropPlan;
  onChange: (selection: DropSelection) => void;
}

function labelDrop(saving: LabelSaving) {
  // Mesh labels go from the whole scrape job; app labels only from the families that carry them.
  return saving.layer === 'mesh'
    ? { label: saving.label }
    : { label: saving.label, families: saving.families.map((f) => f.family) };
}

export function DropChooser({ report, selection, plan, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const savings = (['mesh', 'app'] as const).flatMap((layer) =>
    rankLabelSavings(report, { layer, includeZero: false }).slice(0, TOP_LABELS)
  );
  const unused = unusedFamilies(report);
  const labelChosen = (s: LabelSaving) =>
    selection.labels.some((l) => l.label === s.label && Boolean(l.families) === (s.layer === 'app'));
  const toggleLabel = (s: LabelSaving) =>
    onChange({
      ...selection,
      labels: labelChosen(s)
        ? selection.labels.filter((l) => !(l.label === s.label && Boolean(l.families) === (s.layer === 'app')))
        : [...selection.labels, labelDrop(s)],
    });
  const toggleFamily = (family: string) =>
    onChange({
      ...selection,
      families: selection.families.includes(family)
        ? selection.families.filter((f) => f !== family)
        : [...selection.families, family],
    });

  return (
    <div className={styles.grid}>
      <div>
        <Text element="h3" variant="h5">
          Families no view reads
        </Text>
        {unused.length === 0 && <Text color="secondary">Every kept family is read by a view.</Text>}
        {unused.map((f) => (
          <div
            key={f.family}
            className={styles.row}
            data-testid={testIds.cardinality.unusedFamily}
            data-family={f.family}
          >
            <Checkbox
              value={selection.families.includes(f.family)}
              onChange={() => toggleFamily(f.family)}
              label={f.family}
            />
            <Text color="secondary">{formatCount(f.series)} series</Text>
          </div>
        ))}
        {plan && (selection.labels.length > 0 || selection.families.length > 0) && (
          <div className={styles.saving} data-testid={testIds.cardinality.saving}>
            {(['mesh', 'app'] as const).map((layer) => (
              <Text key={layer} element="p">
                {layer}: {formatCount(plan.totals[layer].seriesBefore)} → {formatCount(plan.totals[layer].seriesAfter)}{' '}
                series (−
                {formatCount(plan.totals[layer].seriesSaved)}, −{formatCount(plan.totals[layer].samplesPerMinuteSaved)}{' '}
                samples/min)
              </Text>
            ))}
          </div>
        )}
      </div>
      <div>
        <Text element="h3" variant="h5">
          Labels whose removal saves most
        </Text>
        {savings.length === 0 && (
          <Text color="secondary">No label of a kept family can go without merging nothing.</Text>
        )}
        {savings.map((s) => (
          <div
            key={`${s.layer}/${s.label}`}
            className={styles.row}
            data-testid={testIds.cardinality.labelSaving}
            data-label={s.label}
            data-layer={s.layer}
            data-saved={s.seriesSaved}
          >
            <Checkbox value={labelChosen(s)} onChange={() => toggleLabel(s)} label={`${s.label} (${s.layer})`} />
            <Text color="secondary">
              −{formatCount(s.seriesSaved)} series, −{formatCount(s.samplesPerMinuteSaved)} samples/min
            </Text>
            {s.usedByViews && (
              <Badge
                text="a view reads it"
                color="orange"
                tooltip="Dropping it empties or merges a Mesh Lens figure."
              />
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: theme.spacing(3) }),
  row: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', padding: theme.spacing(0.5, 0) }),
  saving: css({
    marginTop: theme.spacing(2),
    padding: theme.spacing(1.5),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
});
