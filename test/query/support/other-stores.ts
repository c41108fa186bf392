/**
 * Opens the Postgres (a fresh database on FOOTFALL_TEST_PG_URL) and ClickHouse (chdb,
 * in-process) stores for the query tests, or says why it cannot (the test is then skipped).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/errors.js';
import { openClickHouseStore } from '../../../src/store/clickhouse/open.js';
import { openPostgresStore } from '../../../src/store/postgres/open.js';
import type { Store } from '../../../src/store/store.js';
import type { OpenedStore } from './dataset.js';
import { createTestDatabase } from '../../helpers/postgres.js';

export async function openPostgres(): Promise<OpenedStore | string> {
  const database = await createTestDatabase('footfall_q');
  if (typeof database === 'string') return database;
  const store: Store = await openPostgresStore(database.url);
  await store.migrate();
  return {
    store,
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
}

export async function openChdb(): Promise<OpenedStore | string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-chdb-q-'));
  let store: Store;
  try {
    store = await openClickHouseStore(`chdb://${dir}`);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (err instanceof AppError && /install chdb/.test(err.message)) return `chdb is not installed (${err.message})`;
    throw err;
  }
  await store.migrate();
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
