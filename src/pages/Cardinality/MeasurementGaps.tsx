import React from 'react';
import { Alert } from '@grafana/ui';
import type { MeasurementGap } from '../../cardinality';
import { testIds } from '../../testIds';

function subject(gap: MeasurementGap): string {
  const layer = gap.layer === 'mesh' ? 'Mesh layer' : 'App layer';
  if (!gap.family) {
    return layer;
  }
  if (!gap.labels) {
    return `${layer}, ${gap.family}`;
  }
  return `${layer}, ${gap.family}, label${gap.labels.length === 1 ? '' : 's'} ${gap.labels.join(', ')}`;
}

/** What the store could not count: every figure shown is exact, and what is missing says why. */
export function MeasurementGaps({ gaps }: { gaps: MeasurementGap[] }) {
  if (gaps.length === 0) {
    return null;
  }
  return (
    <div data-testid={testIds.cardinality.gaps}>
      <Alert severity="warning" title="Some counts could not be measured">
        <ul>
          {gaps.map((gap, i) => (
            <li key={i} data-layer={gap.layer} data-family={gap.family ?? ''}>
              {subject(gap)}: {gap.reason}
            </li>
          ))}
        </ul>
        Everything else on this page was measured exactly; what is listed here is not in it.
      </Alert>
    </div>
  );
}
