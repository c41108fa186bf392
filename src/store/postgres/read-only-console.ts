/**
 * The Postgres side of the read-only SQL console. Enforced by the engine, in layers:
 * - Parse + Describe (nothing runs) must accept the text as ONE statement, and must accept it
 *   as a subquery `SELECT * FROM (<sql>) q`, which only a SELECT / VALUES / TABLE query is
 *   (INSERT, COPY, SET, CREATE, SELECT INTO, data-modifying WITH all fail there);
 * - the engine's analysis of the query may reference only the allowlisted tables and built-in
 *   functions of console-allowlist.ts: never users, login_sessions, api_keys, salts or
 *   share_links, whatever role Footfall connects as;
 * - it runs in a `BEGIN READ ONLY` transaction with `SET LOCAL statement_timeout`, always
 *   rolled back;
 * - inside the SECURITY DEFINER function of console-function.ts, which cannot switch roles and
 *   runs as a role that cannot read server files (pg_read_file, COPY, lo_import need superuser);
 * - on a connection that is thrown away afterwards, so no session state (advisory locks, ...)
 *   outlives the query.
 */
import type { Pool } from 'pg';
import { AppError, messageOf } from '../../errors.js';
import type { ReadOnlySqlOptions, SqlResult } from '../store.js';
import { checkConsoleAllowlist } from './console-allowlist.js';
import { checkout } from './checkout.js';
import { CONSOLE_FUNCTION } from './console-function.js';
import { describeStatement } from './describe-statement.js';
import { isConnectionError, unavailable } from './pg-errors.js';
import { parserFor } from './values.js';
import { deduplicateColumnNames } from '../console-columns.js';

/** ' (got INSERT)' from the first keyword, or the server's reason when it is more telling. */
function statementKind(text: string, wrappedError: unknown): string {
  const message = messageOf(wrappedError);
  if (/data-modifying/.test(message)) return ` (${message})`;
  const keyword = /^[a-z]+/i.exec(text.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, ''))?.[0];
  return keyword ? ` (got ${keyword.toUpperCase()})` : '';
}

function sqlError(err: unknown, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  if (isConnectionError(err)) return unavailable(err);
  const code = (err as { code?: unknown }).code;
  const message = messageOf(err);
  if (code === '57014') return new AppError('timeout', `query cancelled after ${timeoutMs} ms`);
  if (code === '25006' || code === '42501') return new AppError('forbidden', `the SQL console is read-only: ${message}`);
  if (/cannot insert multiple commands/.test(message)) {
    return new AppError('bad_request', 'the SQL console runs exactly one statement');
  }
  return new AppError('bad_request', `SQL error: ${message}`);
}

export async function runReadOnly(pool: Pool, sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
  // Trailing semicolons would end the subquery early; the newline ends a trailing -- comment.
  const text = sql.replace(/[\s;]+$/, '');
  if (!text.trim()) throw new AppError('bad_request', 'the SQL console needs a query');
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs));
  const maxRows = Math.max(0, Math.floor(options.maxRows));

  const client = await checkout(pool);
  try {
    // Describe outside the transaction: a Parse error inside one would abort it.
    let fields;
    try {
      fields = await describeStatement(client, `SELECT * FROM (\n${text}\n) AS footfall_q`);
    } catch (wrappedError) {
      if (isConnectionError(wrappedError)) throw unavailable(wrappedError);
      // Valid on its own but not as a subquery: a statement other than a query.
      try {
        await describeStatement(client, text);
      } catch (err) {
        throw sqlError(err, timeoutMs);
      }
      throw new AppError('forbidden', `the SQL console is read-only: only SELECT queries are allowed${statementKind(text, wrappedError)}`);
    }
    if (!fields || fields.length === 0) return { columns: [], rows: [], truncated: false };

    const aliases = fields.map((_, i) => `c${i + 1}`);
    const wrapped = `SELECT ${aliases.map((a) => `${a}::text`).join(', ')} FROM (\n${text}\n) AS footfall_q(${aliases.join(', ')})`;
    try {
      await checkConsoleAllowlist(client, wrapped, timeoutMs);
    } catch (err) {
      throw sqlError(err, timeoutMs);
    }

    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      const result = await client.query<{ r: (string | null)[] }>({
        text: `SELECT r FROM ${CONSOLE_FUNCTION}($1, $2, $3) AS r`,
        values: [text, fields.length, maxRows + 1],
      });
      const parsers = fields.map((f) => parserFor(f.dataTypeID));
      const truncated = result.rows.length > maxRows;
      const rows = result.rows.slice(0, maxRows).map(({ r }) =>
        parsers.map((parse, i) => {
          const value = r[i];
          return value === null || value === undefined ? null : parse(value);
        }));
      return { columns: deduplicateColumnNames(fields.map((f) => f.name)), rows, truncated };
    } catch (err) {
      throw sqlError(err, timeoutMs);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    // Destroyed, not returned to the pool: nothing the query left in the session survives.
    client.release(true);
  }
}
