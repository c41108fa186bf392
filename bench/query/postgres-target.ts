/**
 * A fresh Postgres database for one bench run on the server of the bench's Postgres URL,
 * dropped afterwards (also the leftovers of runs that were killed), and the server backends
 * that serve it, whose memory the bench samples while the dashboard runs.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/store/postgres/open.js';

const PREFIX = 'footfall_bench_';

export interface PostgresTarget {
  url: string;
  database: string;
  /** Process ids of the server backends connected to the bench database now. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  // An autovacuum worker may still be analysing the fresh table, and FORCE cannot end it: retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (err) {
      if (attempt >= 19) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** Creates the database, or returns why not (no server, refused credentials, no CREATEDB). */
export async function createPostgresTarget(baseUrl: string): Promise<PostgresTarget | string> {
  let admin: pg.Client;
  try {
    admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
    admin.on('error', () => undefined);
    await admin.connect();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    // No server is a reason to skip a store; a server that refuses us is a setup error to fix.
    const what = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'no Postgres server at' : 'cannot connect to Postgres at';
    return `${what} ${redactUrl(baseUrl)} (${messageOf(err)}); set FOOTFALL_BENCH_POSTGRES_URL or --postgres-url`;
  }
  try {
    // Databases of bench runs that were killed before their clean-up: their pid is gone.
    const stale = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${PREFIX}%`]);
    for (const { datname } of stale.rows) {
      const pid = Number(/^footfall_bench_(\d+)_/.exec(datname)?.[1]);
      if (pid && !alive(pid)) await dropDatabase(admin, datname).catch(() => undefined);
    }
    const database = `${PREFIX}${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(baseUrl);
    url.pathname = `/${database}`;
    return {
      url: url.toString(),
      database,
      async backendPids() {
        const rows = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        return rows.rows.map((r) => Number(r.pid));
      },
      async drop() {
        try {
          await dropDatabase(admin, database);
        } finally {
          await admin.end().catch(() => undefined);
        }
      },
    };
  } catch (err) {
    await admin.end().catch(() => undefined);
    return `cannot create a database on ${redactUrl(baseUrl)} (${messageOf(err)}); the role needs CREATEDB`;
  }
}
