/**
 * A fresh PostgreSQL database per test file on the server of FOOTFALL_TEST_PG_URL
 * (scripts/ci-postgres.sh sets it up), dropped at the end; or the reason there is none.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { messageOf } from '../../src/errors.js';

export const PG_URL = process.env.FOOTFALL_TEST_PG_URL ?? 'postgres://footfall:footfall@127.0.0.1:5432/footfall_test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** `baseUrl`: the server and role that create (and own) the database; the test server by default. */
export async function createTestDatabase(prefix = 'footfall_t', baseUrl = PG_URL): Promise<TestDatabase | string> {
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    return `no Postgres server at ${baseUrl.replace(/:[^:@/]*@/, ':***@')} (${messageOf(err)}); run scripts/ci-postgres.sh`;
  }
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await dropDatabase(admin, name);
      await admin.end();
    },
  };
}

export { skipOrFail as skipOrFailWithout } from './require-all.js';

/**
 * DROP DATABASE ... WITH (FORCE), retried: an autovacuum worker (a superuser backend) may still
 * be analysing fresh tables, and FORCE cannot end it. Never fails a test over cleanup.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (err) {
      if (attempt === 19) process.stderr.write(`could not drop test database ${name}: ${messageOf(err)}\n`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
