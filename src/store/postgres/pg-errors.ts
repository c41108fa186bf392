/** Telling "the server is not there" apart from "the SQL was wrong", for Postgres errors. */
import { AppError, messageOf } from '../../errors.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']);

/**
 * True for failures of the connection rather than of the statement: network errors, the
 * server shutting down or starting (57P01-57P03), SQLSTATE class 08 (connection exception),
 * and node-postgres' own "Connection terminated" errors.
 */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error/i.test(messageOf(err));
}

/** AppError('unavailable') so callers retry and turn new writes away with 503 meanwhile. */
export function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('unavailable', `postgres: server unavailable: ${messageOf(err)}`);
}

/** Re-throws connection failures as AppError('unavailable'); SQL errors stay as they are. */
export function rethrow(err: unknown): never {
  throw isConnectionError(err) ? unavailable(err) : err;
}
