/**
 * The Postgres console's allowlist, judged on the engine's own analysis of the query, whatever
 * role Footfall connects as. A role that owns users, api_keys and salts can read them however the
 * console runs its query (the SECURITY DEFINER function of console-function.ts runs as that role
 * unless Footfall migrated as a superuser), so the query itself must stay away from them.
 *
 * How: the query becomes a TEMP VIEW inside a transaction that is always rolled back. Creating a
 * view only parses and analyses (nothing runs), and Postgres stores the analysed query tree in
 * pg_rewrite with every name already resolved to an OID: schema-qualified names, CTEs,
 * sub-selects, views, operators and casts all end up as :relid / :funcid / :opno fields. String
 * constants are stored as bytes, so no text of the query can pose as one of those fields.
 * Regclass constants ('users'::regclass) are caught through pg_depend.
 *
 * The rules (allowlists, both):
 * - relations: Footfall's events, sites and goals in its own schema, and the two
 *   information_schema views that describe columns; nothing else (no catalog such as pg_stats,
 *   which shows sampled column values, no sequence, no other schema);
 * - functions, operators and aggregates: built-in ones of pg_catalog that the engine marks
 *   parallel-safe and not volatile, plus a few named volatile ones (random, sleeps, clocks).
 *   Every built-in that runs SQL given as text (query_to_xml, table_to_xml, ts_stat, the
 *   ts_rewrite variant) or reads files or large objects is volatile or not parallel-safe, so it
 *   is refused; so is anything an extension or a user added.
 */
import type { PoolClient, QueryConfig } from 'pg';
import { AppError, messageOf } from '../../errors.js';

/** Footfall's tables the console may read: analytics only, never credentials or salts. */
export const CONSOLE_TABLES = ['events', 'sites', 'goals'] as const;
const INFORMATION_SCHEMA_VIEWS = new Set(['tables', 'columns']);
/** Volatile or parallel-restricted built-ins that are still harmless and useful. */
const ALLOWED_VOLATILE = new Set([
  'random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'bernoulli', 'system',
]);
/** Objects with OIDs below this were made by initdb (FirstNormalObjectId). */
const FIRST_NORMAL_OID = 16384;
const PROBE_VIEW = 'footfall_console_probe';

/** Query-tree fields that hold a pg_proc OID, one that holds a pg_operator OID, and relations. */
const TREE_FIELDS = /:(funcid|aggfnoid|winfnoid|opfuncid|startInRangeFunc|endInRangeFunc|tsmhandler|opno|eqop|sortop|relid) (\d+)/;

/** Lists what the probe view's query tree references, resolved through the catalogs. */
const REFERENCES_SQL = `
  WITH probe AS (SELECT r.oid AS rule, r.ev_class AS view, r.ev_action::text AS tree
                 FROM pg_catalog.pg_rewrite r WHERE r.ev_class = $1::regclass),
  tokens AS (SELECT m[1] AS field, m[2]::oid AS id FROM probe, pg_catalog.regexp_matches(probe.tree, $2, 'g') AS m),
  procs AS (SELECT id FROM tokens WHERE field NOT IN ('opno', 'eqop', 'sortop', 'relid') AND id <> 0
            UNION SELECT o.oprcode FROM tokens JOIN pg_catalog.pg_operator o ON o.oid = tokens.id
                  WHERE tokens.field IN ('opno', 'eqop', 'sortop')),
  rels AS (SELECT id FROM tokens WHERE field = 'relid'
           UNION SELECT d.refobjid FROM pg_catalog.pg_depend d, probe
                 WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = probe.rule
                   AND d.refclassid = 'pg_catalog.pg_class'::regclass)
  SELECT 'relation' AS kind, rels.id::bigint AS oid, n.nspname AS schema, c.relname AS name,
         NULL::text AS parallel, NULL::text AS volatility
  FROM rels LEFT JOIN pg_catalog.pg_class c ON c.oid = rels.id LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE rels.id <> (SELECT view FROM probe)
  UNION ALL
  SELECT 'function', procs.id::bigint, n.nspname, p.proname, p.proparallel::text, p.provolatile::text
  FROM procs LEFT JOIN pg_catalog.pg_proc p ON p.oid = procs.id LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace`;

interface Reference {
  kind: 'relation' | 'function';
  oid: string;
  schema: string | null;
  name: string | null;
  parallel: string | null;
  volatility: string | null;
}

function allowedRelation(ref: Reference, ownSchema: string): boolean {
  if (ref.schema === ownSchema) return (CONSOLE_TABLES as readonly string[]).includes(ref.name ?? '');
  return ref.schema === 'information_schema' && INFORMATION_SCHEMA_VIEWS.has(ref.name ?? '');
}

function allowedFunction(ref: Reference): boolean {
  if (ref.schema !== 'pg_catalog' || Number(ref.oid) >= FIRST_NORMAL_OID || !ref.name) return false;
  return (ref.parallel === 's' && ref.volatility !== 'v') || ALLOWED_VOLATILE.has(ref.name);
}

/**
 * Refuses (AppError 'forbidden') a query that references anything outside the allowlists.
 * `wrapped` is the console's query as one SELECT whose columns are all text (each column of the
 * user's query cast, so that any type can be a view column); the caller has checked that it is
 * exactly one statement. Runs on `client` in a transaction of its own, always rolled back.
 */
export async function checkConsoleAllowlist(client: PoolClient, wrapped: string, timeoutMs: number): Promise<void> {
  let refs: Reference[];
  let ownSchema: string;
  await client.query('BEGIN');
  try {
    // The same name resolution as inside the console function (SET search_path = <schema>, pg_temp).
    const schema = await client.query<{ s: string | null }>('SELECT current_schema() AS s');
    ownSchema = schema.rows[0]?.s ?? '';
    if (!ownSchema) throw new AppError('store', 'postgres: no schema of the search_path exists; run footfall migrate');
    await client.query("SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1) || ', pg_temp', true)", [ownSchema]);
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    // The extended protocol: Parse accepts exactly one statement. (node-postgres supports
    // queryMode since 8.11; its type definitions do not list it yet.)
    try {
      await client.query({ text: `CREATE TEMP VIEW ${PROBE_VIEW} AS ${wrapped}`, queryMode: 'extended' } as QueryConfig);
    } catch (err) {
      if ((err as { code?: unknown }).code !== '42501') throw err;
      throw new AppError('forbidden', `the SQL console needs the TEMPORARY privilege on the database to check queries: ${messageOf(err)}`);
    }
    refs = (await client.query<Reference>(REFERENCES_SQL, [`pg_temp.${PROBE_VIEW}`, TREE_FIELDS.source])).rows;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
  const refused = new Set<string>();
  for (const ref of refs) {
    const name = ref.name === null ? `object ${ref.oid}` : ref.schema && ref.schema !== ownSchema ? `${ref.schema}.${ref.name}` : ref.name;
    if (ref.kind === 'relation' && !allowedRelation(ref, ownSchema)) refused.add(name);
    if (ref.kind === 'function' && !allowedFunction(ref)) refused.add(`${name}()`);
  }
  if (refused.size > 0) {
    throw new AppError('forbidden', `the SQL console reads ${CONSOLE_TABLES.join(', ')} only, with built-in functions; it cannot use ${[...refused].join(', ')}`);
  }
}
