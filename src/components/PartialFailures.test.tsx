import { render, screen, within } from '@testing-library/react';
import React from 'react';
import type { OverviewRefId } from '../query/overviewQueries';
import { MAP_QUERY_PURPOSES, OVERVIEW_QUERY_PURPOSES, PartialFailures } from './PartialFailures';

describe('PartialFailures', () => {
  it('says which figures are missing and why, one line per failed query, and that the rest is shown', () => {
    const failures: Array<{ refId: OverviewRefId; message: string }> = [
      { refId: 'meshLatency', message: 'query timed out in expression evaluation' },
      { refId: 'appRequests', message: '422: bad_data' },
    ];
    render(<PartialFailures failures={failures} purposes={OVERVIEW_QUERY_PURPOSES} testId="overview-failures" />);

    const alert = screen.getByTestId('overview-failures');
    expect(within(alert).getByText('Some figures could not be loaded')).toBeInTheDocument();
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual([
      'Missing mesh latency and time outside the app: query timed out in expression evaluation',
      'Missing the app layer (rates, success); coverage cannot be told: 422: bad_data',
    ]);
    expect(alert).toHaveTextContent('The figures shown come from the queries that answered.');
  });

  it('names what each of the map’s queries brings', () => {
    render(
      <PartialFailures
        failures={[{ refId: 'serviceAccounts', message: 'connection refused' }]}
        purposes={MAP_QUERY_PURPOSES}
        testId="map-failures"
      />
    );
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'Missing the service accounts that tie callers to their identities: connection refused'
    );
  });
});
