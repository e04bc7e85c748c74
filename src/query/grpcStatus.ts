/**
 * gRPC status codes as the two layers write them: a number (`14`, current Linkerd proxies and the older RPC
 * semantic conventions), a name (`UNAVAILABLE`, Linkerd's route families and the newer RPC conventions), or the
 * English description Linkerd proxies v2.194–v2.210 wrote (`"The service is currently unavailable"`: tonic
 * 0.8.3's `Code::description()`, rendered by linkerd2-proxy `linkerd/app/core/src/metrics.rs` until
 * "Render grpc_status metric label as number (#2480)"; Linkerd stable-2.13.x, 2.14.0 and 2.14.1).
 */

/** Code names, indexed by code (grpc/grpc `doc/statuscodes.md`). */
export const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** tonic 0.8.3 `tonic/src/status.rs` `Code::description()`, indexed by code. */
export const TONIC_DESCRIPTIONS = [
  'The operation completed successfully',
  'The operation was cancelled',
  'Unknown error',
  'Client specified an invalid argument',
  'Deadline expired before operation could complete',
  'Some requested entity was not found',
  'Some entity that we attempted to create already exists',
  'The caller does not have permission to execute the specified operation',
  'Some resource has been exhausted',
  "The system is not in a state required for the operation's execution",
  'The operation was aborted',
  'Operation was attempted past the valid range',
  'Operation is not implemented or not supported',
  'Internal error',
  'The service is currently unavailable',
  'Unrecoverable data loss or corruption',
  'The request does not have valid authentication credentials',
] as const;

const BY_TEXT = new Map<string, number>([
  ...GRPC_STATUS_NAMES.map((name, code): [string, number] => [name, code]),
  ...TONIC_DESCRIPTIONS.map((text, code): [string, number] => [text, code]),
]);

/** The code a label value stands for (`"14"`, `"UNAVAILABLE"`, `"The service is currently unavailable"`), or undefined. */
export function parseGrpcStatus(value: string | undefined): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  return BY_TEXT.get(value);
}

/** `14` → `UNAVAILABLE`; codes outside the table keep their number. */
export function grpcStatusName(code: number): string {
  return GRPC_STATUS_NAMES[code] ?? String(code);
}

/** Every spelling of these codes a store may hold: numbers, names and Linkerd's old descriptions. */
export function grpcStatusSpellings(codes: number[]): string[] {
  return codes.flatMap((code) => [String(code), grpcStatusName(code), TONIC_DESCRIPTIONS[code]].filter(Boolean));
}

/** `UNAVAILABLE` → 14. */
export function grpcStatusNumber(name: string): number | undefined {
  const index = (GRPC_STATUS_NAMES as readonly string[]).indexOf(name);
  return index >= 0 ? index : undefined;
}
