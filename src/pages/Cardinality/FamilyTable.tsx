import React from 'react';
import { Badge, Text, useStyles2 } from '@grafana/ui';
import type { CardinalityReport, FamilyCost } from '../../cardinality';
import { getTableStyles } from '../../components/tableStyles';
import { testIds } from '../../testIds';
import { formatCount } from '../../components/formatCount';

/** Labels shown per family, costliest first; the rest are counted, not listed. */
const LABELS_SHOWN = 8;

function FamilyLabels({ family }: { family: FamilyCost }) {
  const shown = family.labels.slice(0, LABELS_SHOWN);
  return (
    <Text color="secondary" variant="bodySmall">
      {shown
        .map((l) => `${l.label} ${formatCount(l.distinctValues)} values (−${formatCount(l.seriesSavedIfDropped)})`)
        .join(' · ')}
      {family.labels.length > LABELS_SHOWN && ` · ${family.labels.length - LABELS_SHOWN} more labels`}
    </Text>
  );
}

export function FamilyTable({ report }: { report: CardinalityReport }) {
  const styles = useStyles2(getTableStyles);
  return (
    <div>
      <Text element="h3" variant="h5">
        Kept families
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Family</th>
            <th>Layer</th>
            <th>Series</th>
            <th>Labels</th>
            <th>Buckets</th>
            <th>Series per bucket</th>
            <th>Samples/min</th>
            <th>Read by a view</th>
          </tr>
        </thead>
        <tbody>
          {report.families.map((f) => (
            <React.Fragment key={f.family}>
              <tr
                data-testid={testIds.cardinality.family}
                data-family={f.family}
                data-series={f.series}
                data-buckets={f.buckets ?? ''}
              >
                <td>{f.family}</td>
                <td>{f.layer}</td>
                <td className={styles.number}>{formatCount(f.series)}</td>
                <td className={styles.number}>{f.labels.length}</td>
                <td className={styles.number}>{f.buckets ?? '–'}</td>
                <td className={styles.number}>
                  {f.seriesPerBucket === undefined ? '–' : formatCount(f.seriesPerBucket)}
                </td>
                <td className={styles.number}>{formatCount(f.samplesPerMinute)}</td>
                <td>{f.usedByViews ? 'yes' : <Badge text="unused" color="orange" />}</td>
              </tr>
              <tr>
                <td colSpan={8}>
                  <FamilyLabels family={f} />
                </td>
              </tr>
            </React.Fragment>
          ))}
        </tbody>
      </table>
      {report.absentFamilies.length > 0 && (
        <Text color="secondary" variant="bodySmall">
          Not in the store: {report.absentFamilies.map((f) => f.family).join(', ')}.
        </Text>
      )}
    </div>
  );
}
