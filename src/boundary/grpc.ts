/** gRPC status codes by number, as Linkerd reports them in `grpc_status`. */
const GRPC_STATUS_NAMES = [
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
];

/** `14` → `UNAVAILABLE`; names pass through; unknown numbers stay as they are. */
export function grpcStatusName(code: string): string {
  const index = Number(code);
  if (code !== '' && Number.isInteger(index) && GRPC_STATUS_NAMES[index]) {
    return GRPC_STATUS_NAMES[index];
  }
  return code;
}

/** `UNAVAILABLE` → 14, for the newer RPC convention that reports names. */
export function grpcStatusNumber(name: string): number | undefined {
  const index = GRPC_STATUS_NAMES.indexOf(name);
  return index >= 0 ? index : undefined;
}

/** True when an app RPC status (number or name) is not OK. */
export function isGrpcError(status: string): boolean {
  return status !== '' && status !== '0' && status !== 'OK';
}
