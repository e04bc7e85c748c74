import React from 'react';
import { Alert } from '@grafana/ui';

/** Said plainly on pages whose content is not in this version yet, rather than an empty panel. */
export function PlannedPage({ what }: { what: string }) {
  return (
    <Alert severity="info" title={`${what} is not in this version yet`}>
      The overview and the service drill-down are ready; this page follows in the next release.
    </Alert>
  );
}
