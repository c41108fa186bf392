/**
 * Why a store refused a spool segment, which decides what the ingestor does with it:
 * - 'data': the store rejects the content (a value it cannot convert or parse, a constraint).
 *   Trying again gives the same answer, so after a few attempts the segment is quarantined
 *   (quarantine.ts) and the segments behind it go on;
 * - 'availability': anything else (connection refused or reset, timeouts, a full disk, a lock,
 *   an unknown error). Retried with backoff for as long as it takes: nothing is set aside.
 * Only errors recognised as data errors count as such; when in doubt, keep retrying, since a
 * quarantined segment is not stored until someone replays it by hand.
 */
import { AppError, messageOf } from '../errors.js';

export type StoreFailureKind = 'data' | 'availability';

/**
 * ClickHouse error codes for content it cannot read or store (src/Common/ErrorCodes.cpp):
 * CANNOT_PARSE_TEXT 6, CANNOT_PARSE_ESCAPE_SEQUENCE 25, CANNOT_PARSE_QUOTED_STRING 26,
 * CANNOT_PARSE_INPUT_ASSERTION_FAILED 27, CANNOT_PARSE_DATE 38, CANNOT_PARSE_DATETIME 41,
 * TYPE_MISMATCH 53, ARGUMENT_OUT_OF_BOUND 69, CANNOT_CONVERT_TYPE 70, CANNOT_PARSE_NUMBER 72,
 * INCORRECT_DATA 117, TOO_LARGE_STRING_SIZE 131, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE 321,
 * CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN 349, CANNOT_PARSE_BOOL 467.
 */
const CLICKHOUSE_DATA_CODES = new Set([6, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 131, 321, 349, 467]);

/** DuckDB error classes (the message prefix) raised by the values of the rows, not by the engine. */
const DUCKDB_DATA_ERROR = /^(Conversion|Constraint|Out of Range|Invalid Input) Error:/;

/** Postgres SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation). */
const POSTGRES_DATA_CLASS = /^2[23][0-9A-Z]{3}$/;

export function classifyStoreFailure(err: unknown): StoreFailureKind {
  if (err instanceof AppError) return 'availability';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && POSTGRES_DATA_CLASS.test(code)) return 'data';
  const message = messageOf(err);
  if (DUCKDB_DATA_ERROR.test(message)) return 'data';
  // The ClickHouse client puts the numeric code in `code`; chdb only in the message.
  const clickHouseCode = typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : Number(/\bCode: (\d+)\./.exec(message)?.[1]);
  if (CLICKHOUSE_DATA_CODES.has(clickHouseCode)) return 'data';
  return 'availability';
}
