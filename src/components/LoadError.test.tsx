import { render, screen, within } from '@testing-library/react';
import React from 'react';
import { LoadError } from './LoadError';

describe('LoadError', () => {
  it('names what failed, the cause in one sentence and where to look', () => {
    render(
      <LoadError
        title="The overview could not be loaded"
        error="the metrics datasource failed (HTTP 502)."
        testId="e"
      />
    );
    const alert = screen.getByTestId('e');
    expect(within(alert).getByText('The overview could not be loaded')).toBeInTheDocument();
    expect(alert).toHaveTextContent(
      'the metrics datasource failed (HTTP 502). Check the metrics datasource on the configuration page.'
    );
  });

  it('takes the view’s own hint and a button that tries again', () => {
    render(
      <LoadError
        title="The rule costs could not be measured"
        error="timeout"
        hint="The rule file does not depend on it."
        action={<button>Measure again</button>}
        testId="e"
      />
    );
    expect(screen.getByTestId('e')).toHaveTextContent('timeout. The rule file does not depend on it.');
    expect(screen.getByRole('button', { name: 'Measure again' })).toBeInTheDocument();
  });
});
