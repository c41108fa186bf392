/**
 * Opens the ClickHouse store named by a database URL:
 * - `http://user:password@host:8123/database` or `https://...` (`clickhouse://` is read as
 *   http, `clickhouses://` as https): a server, over the official client;
 * - `chdb:///absolute/dir` or `chdb://relative/dir`: the in-process engine of the optional chdb
 *   package, with its data in that directory (one directory per process).
 * `?cluster=<name>` (servers only) makes migrate() create the replicated, sharded schema of
 * `footfall clickhouse schema --cluster <name>` and makes writes go through the cluster.
 */
import { AppError, messageOf } from '../../errors.js';
import type { Store } from '../store.js';
import { chdbTransport } from './chdb-client.js';
import { ClickHouseStore } from './clickhouse-store.js';
import type { SchemaTarget } from './schema.js';
import { httpTransport, type ClickHouseTransport } from './transport.js';

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

function fail(what: string, url: string): never {
  throw new AppError('store', `clickhouse: ${what} (${redactUrl(url)})`);
}

function connectFailure(err: unknown): string {
  const message = messageOf(err);
  if (/ECONNREFUSED/.test(message)) return 'cannot connect: connection refused (is the server running?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'cannot resolve the host';
  if (/AUTHENTICATION_FAILED|Authentication failed|password is incorrect|REQUIRED_PASSWORD/i.test(message)) return 'authentication failed';
  return `cannot connect: ${message}`;
}

async function openTransport(url: string): Promise<{ transport: ClickHouseTransport; target: SchemaTarget }> {
  if (url.startsWith('chdb://')) {
    const [rawDir = '', query = ''] = url.slice('chdb://'.length).split('?', 2);
    const dir = decodeURIComponent(rawDir);
    if (!dir) fail('a chdb URL needs a directory, e.g. chdb:///var/lib/footfall/clickhouse', url);
    if (new URLSearchParams(query).has('cluster')) fail('?cluster= needs a ClickHouse server, not chdb', url);
    // The chdb Connection always works in the `default` database.
    return { transport: await chdbTransport(dir, `chdb ${dir}`), target: { database: 'default' } };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('not a valid URL; expected http://user:password@host:8123/database or chdb:///dir', url);
  }
  const scheme = { 'http:': 'http', 'https:': 'https', 'clickhouse:': 'http', 'clickhouses:': 'https' }[parsed.protocol];
  if (!scheme) fail('the URL must start with http://, https://, clickhouse:// or chdb://', url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || 'default';
  if (!/^[A-Za-z0-9_]+$/.test(database)) fail(`not a database name: ${database}`, url);
  const cluster = parsed.searchParams.get('cluster') ?? undefined;
  const port = parsed.port || (scheme === 'https' ? '8443' : '8123');
  const label = `clickhouse ${scheme}://${parsed.hostname}:${port}/${database}`;
  const transport = httpTransport({
    url: `${scheme}://${parsed.hostname}:${port}`,
    username: decodeURIComponent(parsed.username) || 'default',
    password: decodeURIComponent(parsed.password),
    database,
    label,
  });
  return { transport, target: cluster ? { database, cluster } : { database } };
}

export async function openClickHouseStore(url: string): Promise<Store> {
  const { transport, target } = await openTransport(url);
  try {
    // ping() alone succeeds without credentials on a server; a query checks them too.
    const check = await transport.client.query({ query: 'SELECT 1', format: 'JSONEachRow' });
    await check.json();
  } catch (err) {
    await transport.close().catch(() => undefined);
    fail(connectFailure(err), url);
  }
  return new ClickHouseStore(transport, target);
}
