/**
 * The database side of the Postgres SQL console: a SECURITY DEFINER function that runs the
 * console's query. Re-created idempotently at every migrate.
 *
 * Why a function and not just `SET LOCAL ROLE`: when Footfall connects as a superuser, a query
 * running under SET LOCAL ROLE can call `set_config('role', <superuser>, true)` and then run
 * more SQL as the superuser through query_to_xml() (pg_read_file, ...). Inside a SECURITY
 * DEFINER function Postgres refuses to change `role` or `session_authorization` at all, and the
 * query runs with the owner's privileges only. So when the migrating user is a superuser, the
 * function is owned by the NOLOGIN role `footfall_console`, which may only SELECT from events,
 * sites and goals (not salts or API keys). When it is not a superuser, the function is owned by
 * the connecting role itself, which owns the secret tables too: what keeps the console away from
 * them then is console-allowlist.ts, which every query passes before it gets here (creating
 * roles would need CREATEROLE, which Footfall's role usually lacks). Such a role cannot read
 * server files (unless an operator granted it pg_read_server_files), and the READ ONLY
 * transaction stops every write.
 */
import type { PoolClient } from 'pg';
import { CONSOLE_TABLES } from './console-allowlist.js';

export const CONSOLE_FUNCTION = 'footfall_console_run';
export const CONSOLE_ROLE = 'footfall_console';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Body: SELECT ARRAY[c1::text, ...] FROM (<query>) AS q(c1, ...) LIMIT max_rows. Every value is
 * sent as text so the caller parses it with the column's type (known from Describe).
 */
function functionSql(schema: string): string {
  return `CREATE OR REPLACE FUNCTION ${ident(schema)}.${CONSOLE_FUNCTION}(query text, ncols integer, max_rows bigint)
    RETURNS SETOF text[] LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = ${ident(schema)}, pg_temp
    AS $fn$
    DECLARE
      casts text;
      aliases text;
    BEGIN
      SELECT string_agg(format('c%s::text', i), ', ' ORDER BY i), string_agg(format('c%s', i), ', ' ORDER BY i)
        INTO casts, aliases FROM generate_series(1, ncols) AS i;
      RETURN QUERY EXECUTE format(E'SELECT ARRAY[%s] FROM (\\n%s\\n) AS footfall_q(%s) LIMIT %s', casts, query, aliases, max_rows);
    END
    $fn$`;
}

/** Creates or updates the console function (and role, for a superuser); idempotent. */
export async function ensureConsoleFunction(client: PoolClient): Promise<void> {
  const who = await client.query<{ superuser: boolean; schema: string; me: string }>(
    `SELECT r.rolsuper AS superuser, current_schema() AS schema, current_user AS me
     FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const { superuser, schema, me } = who.rows[0]!;
  const existing = await client.query<{ owner: string }>(
    `SELECT pg_get_userbyid(p.proowner) AS owner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND p.proname = $2`,
    [schema, CONSOLE_FUNCTION],
  );
  const owner = existing.rows[0]?.owner;
  // Set up by a superuser earlier and now run by a plain role: leave the stronger setup alone.
  if (owner !== undefined && owner !== me && !superuser) return;

  const signature = `${ident(schema)}.${CONSOLE_FUNCTION}(text, integer, bigint)`;
  await client.query(functionSql(schema));
  await client.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
  if (!superuser) return;

  // Roles are cluster-wide: another database of the same cluster may create it concurrently.
  await client.query(`DO $$ BEGIN
      CREATE ROLE ${ident(CONSOLE_ROLE)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${ident(CONSOLE_ROLE)}`);
  await client.query(`GRANT SELECT ON ${CONSOLE_TABLES.map((t) => `${ident(schema)}.${ident(t)}`).join(', ')} TO ${ident(CONSOLE_ROLE)}`);
  await client.query(`ALTER FUNCTION ${signature} OWNER TO ${ident(CONSOLE_ROLE)}`);
  await client.query(`GRANT EXECUTE ON FUNCTION ${signature} TO ${ident(me)}`);
}
