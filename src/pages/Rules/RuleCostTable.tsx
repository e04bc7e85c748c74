import React from 'react';
import { Button, Stack, Text, useStyles2 } from '@grafana/ui';
import type { RuleCost, RuleCosts } from '../../rules';
import { getTableStyles } from '../../components/tableStyles';
import { testIds } from '../../testIds';
import { formatCount } from '../../components/formatCount';

interface Props {
  costs: RuleCosts;
  measuring: boolean;
  onMeasure: () => void;
}

function SeriesCell({ cost, readsRecorded }: { cost: RuleCost; readsRecorded: boolean }) {
  if (cost.error !== undefined) {
    return <Text color="error">not measured: {cost.error}</Text>;
  }
  if (cost.series === 0 && readsRecorded) {
    return <Text color="secondary">0 until the recorded rates are in the store</Text>;
  }
  return <>{formatCount(cost.series ?? 0)}</>;
}

/** Series per recording rule, measured with one count() each, and the total. */
export function RuleCostTable({ costs, measuring, onMeasure }: Props) {
  const styles = useStyles2(getTableStyles);
  const firstGroup = costs.rules[0]?.group;
  const noRecordedRates = costs.recordedInStore === 0;
  return (
    <div>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <Text element="h3" variant="h5">
          What the rules cost in series
        </Text>
        <Button variant="secondary" icon="sync" onClick={onMeasure} disabled={measuring}>
          Measure again
        </Button>
      </Stack>
      <Text element="p" color="secondary">
        Each recording rule writes as many series as its expression gives: measured now with one{' '}
        <code>count(&lt;expr&gt;)</code> per rule ({costs.queries} queries, whatever the number of services).{' '}
        {costs.recordedInStoreError !== undefined
          ? `Whether the store already holds the recorded rates could not be read: ${costs.recordedInStoreError}.`
          : noRecordedRates
            ? `The store holds none of the ${firstGroup} series yet, so the rules that read them count 0: load the file, then measure again.`
            : `The store holds ${formatCount(costs.recordedInStore ?? 0)} series of the ${firstGroup} group now.`}
      </Text>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Group</th>
            <th>Recorded series</th>
            <th>Series</th>
          </tr>
        </thead>
        <tbody>
          {/* The mesh bucket series are recorded by one rule per `le` set: a row each, under the same name. */}
          {costs.rules.map((cost, i) => (
            <tr
              key={`${cost.record}:${i}`}
              data-testid={testIds.rules.cost}
              data-record={cost.record}
              data-series={cost.series ?? ''}
            >
              <td>{cost.group}</td>
              <td>
                <code>{cost.record}</code>
              </td>
              <td className={styles.number}>
                <SeriesCell cost={cost} readsRecorded={cost.group !== firstGroup && noRecordedRates} />
              </td>
            </tr>
          ))}
          <tr data-testid={testIds.rules.total} data-series={costs.total}>
            <td colSpan={2}>
              <strong>All recording rules</strong>
              {costs.rules.some((c) => c.error !== undefined) && ' (the measured ones)'}
              {noRecordedRates && ` (the ${firstGroup} group: the others once its series are stored)`}
            </td>
            <td className={styles.number}>
              <strong>{formatCount(costs.total)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      <Text element="p" color="secondary" variant="bodySmall">
        And {costs.alerts} alerting rules, which write only <code>ALERTS</code> series, one per alert while it is
        pending or firing.
      </Text>
    </div>
  );
}
