import React, { type ReactNode } from 'react';
import { Alert } from '@grafana/ui';

interface Props {
  /** What could not be loaded, as its title says it: "The overview could not be loaded". */
  title: string;
  /** The cause, in the store's or Grafana's words. */
  error: string;
  /** Where to look: the metrics datasource unless the view says otherwise. */
  hint?: string;
  testId?: string;
  /** A button that tries again. */
  action?: ReactNode;
}

/** A view whose data could not be loaded: the cause and where to look, in the view's own place. */
export function LoadError({
  title,
  error,
  hint = 'Check the metrics datasource on the configuration page.',
  testId,
  action,
}: Props) {
  return (
    <div data-testid={testId}>
      <Alert severity="error" title={title} action={action}>
        {error.replace(/\.$/, '')}. {hint}
      </Alert>
    </div>
  );
}
