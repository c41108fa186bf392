/**
 * Opens the Postgres store named by a `postgres://user:password@host:port/database` URL (libpq
 * query parameters such as `sslmode` are passed through to node-postgres). Checks the server
 * answers before returning, so a bad URL or credentials fail at start-up with one clear line.
 */
import pg from 'pg';
import { AppError, messageOf } from '../../errors.js';
import type { Store } from '../store.js';
import { PostgresStore } from './postgres-store.js';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

function describeFailure(err: unknown, parsed: URL): string {
  const code = (err as { code?: unknown } | null)?.code;
  const host = `${parsed.hostname || 'localhost'}:${parsed.port || 5432}`;
  const user = decodeURIComponent(parsed.username) || '(default user)';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  switch (code) {
    case 'ECONNREFUSED': return `cannot connect to ${host}: connection refused (is the server running?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot resolve host ${parsed.hostname}`;
    case 'ETIMEDOUT': case 'EHOSTUNREACH': return `cannot reach ${host}`;
    case '28P01': case '28000': return `authentication failed for user ${user}`;
    case '3D000': return `database ${database} does not exist`;
    case '57P03': return `the server at ${host} is starting up or shutting down`;
    default: return messageOf(err);
  }
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('store', `postgres: not a valid URL (${redactUrl(url)}); expected postgres://user:password@host:5432/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new AppError('store', `postgres: the URL must start with postgres:// (${redactUrl(url)})`);
  }
  // The URL's `options` would replace ours (below) rather than add to it: merge them instead.
  const userOptions = parsed.searchParams.get('options');
  const connection = new URL(url);
  connection.searchParams.delete('options');
  const pool = new pg.Pool({
    connectionString: connection.toString(),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'footfall',
    // Every session in UTC: `timestamp` columns hold UTC, and now()/date functions agree.
    options: [userOptions, '-c TimeZone=UTC'].filter(Boolean).join(' '),
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh client and reports the failure.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new AppError('store', `postgres: ${describeFailure(err, parsed)} (${redactUrl(url)})`);
  }
  return new PostgresStore(pool);
}
