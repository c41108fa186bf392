/**
 * The ClickHouse side of the read-only SQL console, enforced by the engine:
 * - ClickHouse's own parser (formatQuerySingleLine) must accept the text as exactly one
 *   statement, and that statement must be a SELECT (or WITH ... SELECT) without INTO OUTFILE;
 * - its AST (EXPLAIN AST) must not call `file` or `catboostEvaluate`, the scalar functions that
 *   read files, nor table functions other than generators such as numbers() (readonly refuses
 *   file(), url(), s3(), remote() too, but some check their arguments before that);
 * - its analysed form (EXPLAIN QUERY TREE) may read only events, sites and goals (an allowlist:
 *   Footfall's user has every table of its database, users, api_keys and salts included);
 * - it runs with `readonly=1` (no writes, no DDL, no SET, no setting changes in SETTINGS),
 *   `max_execution_time` and `max_result_rows` (result_overflow_mode=break), all applied after
 *   the other settings, so the query cannot lift them.
 * The parse checks matter most for the embedded engine (chdb), which like clickhouse-local
 * runs several statements from one string, writes INTO OUTFILE itself and lets file() read any
 * path; a server refuses multi-statements, and confines file() to its user_files_path.
 */
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { AppError, messageOf } from '../../errors.js';
import type { ReadOnlySqlOptions, SqlResult } from '../store.js';
import { compactArrays } from './values.js';
import { deduplicateColumnNames } from '../console-columns.js';
import { SECRET_TABLES } from '../console-tables.js';

/** Scalar functions that read the server's files. */
const FILE_FUNCTIONS = new Set(['file', 'catboostevaluate']);
/**
 * Table functions the console may use: generators only. readonly=1 already refuses file(),
 * url(), s3(), remote() and the like, but some check their arguments first, so an allowlist
 * is the safer second line. Not view(): the query tree does not show the tables its body reads
 * (a sub-select does the same and is checked).
 */
const TABLE_FUNCTIONS = new Set([
  'numbers', 'numbers_mt', 'zeros', 'zeros_mt', 'generate_series', 'generateseries', 'values', 'null', 'generaterandom',
]);

/** Footfall's tables the console may read (analytics only, never credentials or salts), and system.one of a FROM-less SELECT. */
const CONSOLE_TABLES = new Set(['events', 'sites', 'goals']);
const SYSTEM_TABLES = new Set(['one', 'numbers', 'numbers_mt', 'zeros', 'zeros_mt']);

/** Functions whose right-hand argument may name a table (`x IN salts`). */
const IN_FUNCTIONS = /^Function (?:global)?(?:not)?(?:null)?in\b/i;

/**
 * Refuses, in the parsed form and so before anything is analysed, every name that reaches a
 * secret table or another database: analysing runs scalar subqueries, so a failing cast in one
 * (`SELECT (SELECT CAST(secret AS INTEGER) FROM salts)`) would put a secret into the error
 * message before checkTables could refuse the query. Unqualified names of other tables are left
 * to checkTables (a CTE may be called anything but a secret table's name).
 */
function checkName(name: string, asTable: boolean, database: string): void {
  const parts = name.split('.');
  const refuse = () => {
    throw new AppError('forbidden', `the SQL console reads ${[...CONSOLE_TABLES].join(', ')} only; it cannot read ${name}`);
  };
  if (parts.some((part) => SECRET_TABLES.has(part.toLowerCase()))) refuse();
  if (parts.length < 2) return;
  const [db, table] = [parts[0]!, parts[1]!];
  if (db === 'system' && !SYSTEM_TABLES.has(table)) refuse();
  if (asTable && db !== 'system' && db !== database) refuse();
}

/** Refuses file-reading functions, non-generator table functions and names checkName refuses in an EXPLAIN AST listing. */
function checkAst(lines: string[], database: string): void {
  const parents: Array<{ indent: number; label: string }> = [];
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const label = line.trim();
    while (parents.length > 0 && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const parent = parents[parents.length - 1]?.label ?? '';
    const grandparent = parents[parents.length - 2]?.label ?? '';
    parents.push({ indent, label });
    const table = /^TableIdentifier\s+(\S+)/.exec(label)?.[1];
    if (table) checkName(table, true, database);
    const identifier = /^Identifier\s+(\S+)/.exec(label)?.[1];
    // Qualified names (salts.secret, system.users) and the table of `x IN t`; a bare column or
    // alias may be called users.
    if (identifier && (identifier.includes('.') || IN_FUNCTIONS.test(grandparent))) checkName(identifier, IN_FUNCTIONS.test(grandparent), database);
    const fn = /^Function\s+(\S+)/.exec(label)?.[1];
    if (!fn) continue;
    const name = fn.toLowerCase();
    if (FILE_FUNCTIONS.has(name)) throw new AppError('forbidden', `the SQL console cannot access files (${fn})`);
    if (parent.startsWith('TableExpression') && !TABLE_FUNCTIONS.has(name)) {
      throw new AppError('forbidden', `the SQL console reads Footfall's tables only, not the table function ${fn}()`);
    }
  }
}

/**
 * Refuses a query whose analysed form (EXPLAIN QUERY TREE: names resolved, CTEs, sub-selects,
 * IN subqueries and view() bodies included, also scalar subqueries the analyser folded into
 * constants) reads a table outside the allowlist: users, login_sessions, api_keys, salts and
 * share_links above all. The tree holds folded values, so none of it goes into the message.
 */
function checkTables(lines: string[], database: string): void {
  const refused = new Set<string>();
  for (const line of lines) {
    const name = /^\s*TABLE id: \d+,.*\btable_name: (.+?)(?:,\s\w+:|$)/.exec(line)?.[1];
    if (name === undefined) continue;
    const dot = name.indexOf('.');
    const db = name.slice(0, dot);
    const table = name.slice(dot + 1);
    const allowed = (db === database && CONSOLE_TABLES.has(table)) || (db === 'system' && SYSTEM_TABLES.has(table));
    if (!allowed) refused.add(db === database ? table : name);
  }
  if (refused.size > 0) {
    throw new AppError('forbidden', `the SQL console reads ${[...CONSOLE_TABLES].join(', ')} only; it cannot read ${[...refused].join(', ')}`);
  }
}

function consoleError(err: unknown, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  const type = String((err as { type?: unknown } | null)?.type ?? '');
  const message = messageOf(err);
  if (type === 'TIMEOUT_EXCEEDED' || /Timeout exceeded/i.test(message)) return new AppError('timeout', `query cancelled after ${timeoutMs} ms`);
  if (type === 'READONLY' || type === 'ACCESS_DENIED' || type === 'DATABASE_ACCESS_DENIED' || /readonly mode/i.test(message)) {
    return new AppError('forbidden', `the SQL console is read-only: ${message}`);
  }
  if (/Multi-statements are not allowed/i.test(message)) return new AppError('bad_request', 'the SQL console runs exactly one statement');
  if (/ECONNREFUSED|ECONNRESET|socket hang up/i.test(message)) return new AppError('unavailable', `clickhouse: server unavailable: ${message}`);
  return new AppError('bad_request', `SQL error: ${message}`);
}

async function scalar(client: ClickHouseClient, query: string, params: Record<string, unknown>, settings: ClickHouseSettings): Promise<string> {
  const result = await client.query({ query, query_params: params, format: 'JSONCompactEachRow', clickhouse_settings: settings });
  const rows = await result.json<[string]>();
  return String(rows[0]?.[0] ?? '');
}

export async function runReadOnly(client: ClickHouseClient, sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs));
  const maxRows = Math.max(0, Math.floor(options.maxRows));
  const limits: ClickHouseSettings = {
    max_execution_time: Math.max(0.001, timeoutMs / 1000),
    max_result_rows: String(maxRows + 1),
    result_overflow_mode: 'break',
    cancel_http_readonly_queries_on_client_close: 1,
  };
  // readonly last: chdb applies settings as SETs in this order, and after readonly=1 none may
  // change. The parse checks run before it: SELECT ... FROM (EXPLAIN ...) is refused in
  // readonly mode, and parsing runs nothing.
  const settings: ClickHouseSettings = { ...limits, readonly: '1' };
  if (!sql.trim()) throw new AppError('bad_request', 'the SQL console needs a query');
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs + 2000);
  try {
    const formatted = await scalar(client, 'SELECT formatQuerySingleLine({q:String})', { q: sql }, limits);
    const keyword = /^\(*\s*([A-Za-z]+)/.exec(formatted)?.[1]?.toUpperCase() ?? '';
    if (keyword !== 'SELECT' && keyword !== 'WITH') {
      throw new AppError('forbidden', `the SQL console is read-only: only SELECT queries are allowed${keyword ? ` (got ${keyword})` : ''}`);
    }
    if (/\bINTO\s+OUTFILE\b/i.test(formatted)) throw new AppError('forbidden', 'the SQL console cannot write files (INTO OUTFILE)');
    // As a subquery, so that the output format applies to the EXPLAIN's result.
    const ast = await client.query({
      query: `SELECT explain FROM (EXPLAIN AST ${formatted})`, format: 'JSONCompactEachRow', clickhouse_settings: limits,
    });
    const database = await scalar(client, 'SELECT currentDatabase()', {}, limits);
    checkAst((await ast.json<[string]>()).map(([line]) => String(line)), database);
    // After checkAst: analysing runs scalar subqueries, so file() and url() must be out by now.
    const tree = await client.query({
      query: `SELECT explain FROM (EXPLAIN QUERY TREE ${formatted})`, format: 'JSONCompactEachRow', clickhouse_settings: limits,
    });
    checkTables((await tree.json<[string]>()).map(([line]) => String(line)), database);
    const result = await client.query({
      query: formatted,
      format: 'JSONCompactEachRowWithNamesAndTypes',
      clickhouse_settings: settings,
      abort_signal: abort.signal,
    });
    const all = await result.json<unknown[]>();
    const names = (all[0] ?? []) as string[];
    const types = (all[1] ?? []) as string[];
    const data = all.slice(2) as unknown[][];
    return {
      columns: deduplicateColumnNames(names.map(String)),
      rows: compactArrays(types.map(String), data.slice(0, maxRows)),
      truncated: data.length > maxRows,
    };
  } catch (err) {
    if (abort.signal.aborted) throw new AppError('timeout', `query cancelled after ${timeoutMs} ms`);
    throw consoleError(err, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}
