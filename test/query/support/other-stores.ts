/**
 * Opens the Postgres (a fresh database on FOOTFALL_TEST_PG_URL) and ClickHouse (chdb,
 * in-process) stores for the query tests, or says why it cannot (the test is then skipped).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppError, messageOf } from '../../../src/errors.js';
import { openClickHouseStore } from '../../../src/store/clickhouse/open.js';
import { openPostgresStore } from '../../../src/store/postgres/open.js';
import type { Store } from '../../../src/store/store.js';
import type { OpenedStore } from './dataset.js';

const PG_URL = process.env.FOOTFALL_TEST_PG_URL ?? 'postgres://footfall:footfall@127.0.0.1:5432/footfall_test';

export async function openPostgres(): Promise<OpenedStore | string> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    return `no Postgres server (${messageOf(err)}); run scripts/ci-postgres.sh`;
  }
  const name = `footfall_q_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const store: Store = await openPostgresStore(url.toString());
  await store.migrate();
  return {
    store,
    async cleanup() {
      await store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
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
