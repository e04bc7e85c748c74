import React from 'react';
import { Alert } from '@grafana/ui';
import type { QueryFailure } from '../boundary/runOverview';
import type { ServiceMapRefId } from '../boundary/runServiceMap';
import type { OverviewRefId } from '../query/overviewQueries';

/** What each of the overview's queries brings (the drill-down's header runs the same queries). */
export const OVERVIEW_QUERY_PURPOSES: Record<OverviewRefId, string> = {
  meshResponses: 'the mesh layer (rates, success, the gRPC trap); coverage cannot be told',
  meshLatency: 'mesh latency and time outside the app',
  meshCallers: 'the callers’ view (the gRPC trap on proxies that do not classify inbound gRPC)',
  appRequests: 'the app layer (rates, success); coverage cannot be told',
  appLatency: 'app latency and time outside the app',
};

/** What each of the service map's queries brings. */
export const MAP_QUERY_PURPOSES: Record<ServiceMapRefId, string> = {
  meshResponses: 'the nodes’ request rates and success, and their flags',
  meshLatency: 'the nodes’ latency flags',
  meshCallers: 'the gRPC trap seen by callers whose callee does not classify inbound gRPC',
  appRequests: 'the app layer behind the nodes’ flags',
  appLatency: 'app latency behind the boundary latency flag',
  calleeResponses: 'the edges as the callees’ proxies counted them (rates, success, mTLS)',
  calleeLatency: 'the edges’ latency at the callees’ proxies',
  callerResponses: 'the edges as the callers’ proxies counted them (which workload called)',
  callerLatency: 'the edges’ latency at the callers’ proxies',
  serviceAccounts: 'the service accounts that tie callers to their identities',
};

interface Props<R extends string> {
  failures: Array<QueryFailure<R>>;
  /** What each query brings, so a failed one says which figures are missing. */
  purposes: Record<R, string>;
  testId: string;
}

/** The queries of a view that failed while others answered: what is missing and why; the rest is shown. */
export function PartialFailures<R extends string>({ failures, purposes, testId }: Props<R>) {
  return (
    <div data-testid={testId}>
      <Alert severity="warning" title="Some figures could not be loaded">
        <ul>
          {failures.map((failure) => (
            <li key={failure.refId} data-refid={failure.refId}>
              Missing {purposes[failure.refId]}: {failure.message}
            </li>
          ))}
        </ul>
        The figures shown come from the queries that answered.
      </Alert>
    </div>
  );
}
