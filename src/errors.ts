/**
 * The one error type of Footfall. `code` is stable (clients and tests match on it);
 * `message` is one line a person can act on. Mapping to HTTP status lives only in server/.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_query'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'timeout'
  | 'unavailable'
  | 'config'
  | 'store';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable detail, e.g. the name of the bad field. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Returns a one-line message for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.message;
  return String(err);
}
