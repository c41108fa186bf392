/**
 * The three stores a hardening test can run `footfall serve` on, as the environment the server
 * and CLI get: DuckDB in the data dir, a fresh database on the shared Postgres server, and
 * ClickHouse through chdb (`chdb://<dir>`, the engine in-process, so it lives and dies with the
 * server process like DuckDB does). A string says why a store is not available here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messageOf } from '../../../src/errors.js';
import { openClickHouseStore } from '../../../src/store/clickhouse/open.js';
import type { Store } from '../../../src/store/store.js';
import { sharedPostgresDatabase } from './require.js';
import type { StoredCounts } from './stored.js';

export type StoreName = 'duckdb' | 'postgres' | 'clickhouse';

export interface StoreUnderTest {
  name: StoreName;
  env: Record<string, string>;
  /** The ClickHouse (chdb) data directory, for tests that read the store's files. */
  chdbDir?: string;
  dispose(): Promise<void>;
}

/** True when the optional chdb package can be loaded; otherwise why not. */
export async function chdbAvailable(): Promise<true | string> {
  try {
    const name = 'chdb';
    await import(name);
    return true;
  } catch (err) {
    return `chdb is not installed (scripts/ci-chdb.sh installs it): ${messageOf(err)}`;
  }
}

export async function storeUnderTest(name: StoreName, tag: string): Promise<StoreUnderTest | string> {
  if (name === 'duckdb') return { name, env: {}, dispose: async () => undefined };
  if (name === 'postgres') {
    const db = await sharedPostgresDatabase(tag);
    if (typeof db === 'string') return db;
    return { name, env: { FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: db.url }, dispose: db.drop };
  }
  const available = await chdbAvailable();
  if (available !== true) return available;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `footfall-chdb-${tag}-`));
  return {
    name,
    env: { FOOTFALL_STORE: 'clickhouse', FOOTFALL_DATABASE_URL: `chdb://${dir}` },
    chdbDir: dir,
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs `task` on the ClickHouse store in `dir`, opened in the test process once no server holds
 * it (chdb: one process per directory at a time). For reads the console would refuse or cap.
 */
export async function withChdbStore<T>(dir: string, task: (store: Store) => Promise<T>): Promise<T> {
  const store = await openClickHouseStore(`chdb://${dir}`);
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

/** pathname -> stored rows for paths starting with `prefix`, read directly from a chdb store. */
export async function storedInChdb(dir: string, prefix: string): Promise<StoredCounts> {
  return withChdbStore(dir, async (store) => {
    const rows = await store.query('SELECT pathname, count() AS n FROM events WHERE startsWith(pathname, {p1:String}) GROUP BY pathname', [prefix]);
    return new Map(rows.map((r) => [String(r.pathname), Number(r.n)]));
  });
}
