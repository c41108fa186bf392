/**
 * Skipping a test whose environment is missing (a Postgres server, Chromium) says why, and fails
 * instead under FOOTFALL_TEST_REQUIRE_ALL=1 so CI cannot pass by skipping.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { messageOf } from '../../../src/errors.js';

export function skipOrFail(t: TestContext, reason: string): void {
  if (process.env.FOOTFALL_TEST_REQUIRE_ALL === '1') assert.fail(`required test cannot run (FOOTFALL_TEST_REQUIRE_ALL=1): ${reason}`);
  t.skip(reason);
}

const SHARED_PG_URL = process.env.FOOTFALL_TEST_PG_URL ?? 'postgres://footfall:footfall@127.0.0.1:5432/footfall_test';

/**
 * A fresh database on the shared Postgres server (scripts/ci-postgres.sh), dropped by `drop()`;
 * a string says why there is none. Each test file uses its own database, so files run in parallel.
 */
export async function sharedPostgresDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const admin = new pg.Client({ connectionString: SHARED_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    return `no Postgres server at ${SHARED_PG_URL.replace(/:[^:@/]*@/, ':***@')} (${messageOf(err)}); run scripts/ci-postgres.sh`;
  }
  const name = `footfall_h_${tag}_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SHARED_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
