/**
 * The DuckDB side of the read-only SQL console. Read-only is enforced by the engine:
 * DuckDB's parser must classify the text as exactly one SELECT statement, it runs inside a
 * READ ONLY transaction that is always rolled back, file access is off instance-wide and
 * the configuration is locked. A timer interrupts the connection at the timeout.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';
import { AppError, messageOf } from '../../errors.js';
import type { ReadOnlySqlOptions, SqlResult } from '../store.js';
import { plainValue } from './values.js';
import { SECRET_TABLES } from '../console-tables.js';

export async function runReadOnly(connection: DuckDBConnection, sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
  let statementType: StatementType;
  try {
    const extracted = await connection.extractStatements(sql);
    if (extracted.count !== 1) {
      throw new AppError('bad_request', `the SQL console runs exactly one statement, got ${extracted.count}`);
    }
    const prepared = await extracted.prepare(0);
    statementType = prepared.statementType;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = messageOf(err);
    if (/Permission Error/.test(message)) throw new AppError('forbidden', `the SQL console cannot access files: ${message}`);
    throw new AppError('bad_request', `SQL error: ${message}`);
  }
  if (statementType !== StatementType.SELECT) {
    throw new AppError('forbidden', `the SQL console is read-only: only SELECT queries are allowed (got ${StatementType[statementType] ?? statementType})`);
  }

  await refuseSecretTables(connection, sql);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, options.timeoutMs);
  await connection.run('BEGIN TRANSACTION READ ONLY');
  try {
    const result = await connection.stream(sql);
    const columns = result.deduplicatedColumnNames();
    const rows: unknown[][] = [];
    let truncated = false;
    for await (const chunk of result.yieldRowsJs()) {
      for (const row of chunk) {
        if (rows.length >= options.maxRows) {
          truncated = true;
          break;
        }
        rows.push(row.map(plainValue));
      }
      if (truncated) break;
    }
    return { columns, rows, truncated };
  } catch (err) {
    if (timedOut) throw new AppError('timeout', `query cancelled after ${options.timeoutMs} ms`);
    const message = messageOf(err);
    if (/read-only|read only|Permission Error|lock/i.test(message)) throw new AppError('forbidden', `the SQL console is read-only: ${message}`);
    throw new AppError('bad_request', `SQL error: ${message}`);
  } finally {
    clearTimeout(timer);
    await connection.run('ROLLBACK').catch(() => undefined);
  }
}

/** Tables with credentials or salts: the console is for analytics, not for password hashes. */
/**
 * The only table functions the console may call: generators and the catalog's descriptions.
 * An allowlist, because a denylist keeps missing some: json_execute_serialized_sql,
 * query and query_table run SQL given as text (the tree walk cannot see into it), and
 * pragma_storage_info shows 8-byte prefixes of each column's min and max (salts, password
 * hashes). File readers are refused here too, besides failing in the engine.
 */
const ALLOWED_TABLE_FUNCTIONS = new Set([
  'range', 'generate_series', 'unnest', 'json_each', 'json_tree', 'repeat', 'repeat_row',
  'duckdb_columns', 'duckdb_constraints', 'duckdb_databases', 'duckdb_dependencies', 'duckdb_extensions', 'duckdb_functions',
  'duckdb_indexes', 'duckdb_keywords', 'duckdb_schemas', 'duckdb_sequences', 'duckdb_tables', 'duckdb_types', 'duckdb_views',
  'pragma_table_info', 'pragma_show', 'pragma_version', 'pragma_platform', 'pragma_database_size',
]);

/**
 * Refuses a SELECT that reads a secret table or calls a table function outside the allowlist,
 * judged on DuckDB's own parse tree (json_serialize_sql), not on the text. A CTE named like a
 * secret table is refused too.
 */
async function refuseSecretTables(connection: DuckDBConnection, sql: string): Promise<void> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const tree = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')) as { error?: boolean };
  if (tree.error) throw new AppError('forbidden', 'the SQL console could not analyse this query; simplify it');
  const refused: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'BASE_TABLE' && SECRET_TABLES.has(String(o.table_name).toLowerCase())) refused.push(String(o.table_name));
    if (o.type === 'TABLE_FUNCTION') {
      const fn = (o.function as { function_name?: unknown } | undefined)?.function_name;
      if (!ALLOWED_TABLE_FUNCTIONS.has(String(fn).toLowerCase())) refused.push(`${String(fn)}()`);
    }
    Object.values(o).forEach(walk);
  };
  walk(tree);
  if (refused.length > 0) throw new AppError('forbidden', `the SQL console cannot read ${[...new Set(refused)].join(', ')}`);
}
