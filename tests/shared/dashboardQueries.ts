import { LINKERD_GRPC_FAILURE_CODES } from '../../src/settings/types';

/**
 * The TraceQL of the boundary dashboard's trap panel link. A dashboard cannot know the apps' conventions, so it asks
 * for Linkerd's failure codes in both generations of the RPC conventions: names in the stable
 * `rpc.response.status_code`, numbers in the legacy `rpc.grpc.status_code`.
 */
export function dashboardTrapTraceQL(service: string): string {
  return (
    `{ resource.service.name = "${service}" && kind = server && (span.rpc.response.status_code =~ ` +
    '"UNKNOWN|DEADLINE_EXCEEDED|PERMISSION_DENIED|INTERNAL|UNAVAILABLE|DATA_LOSS" || ' +
    LINKERD_GRPC_FAILURE_CODES.map((code) => `span.rpc.grpc.status_code = ${code}`).join(' || ') +
    ') }'
  );
}
