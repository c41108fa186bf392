/**
 * The Postgres store against a real server: FOOTFALL_TEST_PG_URL (scripts/ci-postgres.sh sets
 * one up). This file creates its own database and drops it at the end, so it can run beside
 * other test files. Without a server the test is skipped, or fails under
 * FOOTFALL_TEST_REQUIRE_ALL=1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { skipOrFail } from '../helpers/require-all.js';
import { eventRow, runAdapterChecks, writeSegment, type AdapterSql } from './adapter-checks.js';

const BASE_URL = process.env.FOOTFALL_TEST_PG_URL ?? 'postgres://footfall:footfall@127.0.0.1:5432/footfall_test';
const SUPERUSER_URL = process.env.FOOTFALL_TEST_PG_SUPERUSER_URL ?? 'postgres://footfall_super:footfall@127.0.0.1:5432/footfall_test';

const SQL: AdapterSql = {
  param: (index, kind) => `$${index}::${{ int: 'bigint', text: 'text', bool: 'boolean' }[kind]}`,
  slowQuery: 'SELECT pg_sleep(10)',
  refusals: [
    ["INSERT INTO sites (domain, timezone, raw, salt_rotation_hours, created_at) VALUES ('x', 'UTC', false, 24, now())", 'forbidden'],
    ['DELETE FROM events', 'forbidden'],
    ['UPDATE sites SET raw = true', 'forbidden'],
    ['CREATE TABLE evil (a int)', 'forbidden'],
    ['DROP TABLE events', 'forbidden'],
    ['COPY events TO STDOUT', 'forbidden'],
    ["COPY events TO '/tmp/footfall-evil.csv'", 'forbidden'],
    ["SELECT pg_read_file('/etc/hostname')", 'forbidden'],
    ["SELECT * FROM pg_ls_dir('/')", 'forbidden'],
    ["SET work_mem = '1GB'", 'forbidden'],
    ["SELECT lo_import('/etc/hostname')", 'forbidden'],
    ['SELECT * INTO evil FROM events', 'forbidden'],
    ['WITH d AS (DELETE FROM events RETURNING *) SELECT count(*) FROM d', 'forbidden'],
    ["SELECT nextval('sites_id_seq')", 'forbidden'],
    ['SELECT 1; DELETE FROM events', 'bad_request'],
    ['SELEC 1', 'bad_request'],
    ['SELECT * FROM no_such_table', 'bad_request'],
  ],
};

test('postgres store', async (t) => {
  const db = await createTestDatabase('footfall_t', BASE_URL);
  if (typeof db === 'string') return skipOrFail(t, db);
  const url = db.url;
  const store = await openPostgresStore(url);
  try {
    await store.migrate();
    await runAdapterChecks(t, store, SQL);

    await t.test('a schema chosen with the URL\'s options holds its own tables', async () => {
      await store.query('CREATE SCHEMA IF NOT EXISTS other_schema');
      const scoped = await openPostgresStore(`${url}?options=${encodeURIComponent('-c search_path=other_schema')}`);
      try {
        await scoped.migrate();
        await scoped.addSite({ domain: 'scoped.example' });
        assert.deepEqual((await scoped.listSites()).map((s) => s.domain), ['scoped.example']);
        assert.equal(await store.getSite('scoped.example'), undefined);
        assert.deepEqual((await scoped.readOnlySql('SELECT domain FROM sites', { timeoutMs: 5000, maxRows: 10 })).rows, [['scoped.example']]);
        assert.deepEqual(await scoped.query('SELECT current_setting(\'TimeZone\') AS tz'), [{ tz: 'UTC' }]);
      } finally {
        await scoped.close();
      }
    });

    await t.test('two stores on one database share metadata and ingest exactly once', async () => {
      const other = await openPostgresStore(url);
      try {
        await other.migrate();
        assert.deepEqual(await other.listSites(), await store.listSites());
        const salts = await Promise.all([
          store.getOrCreateSalt('h1:7', () => 'from-a', 1), other.getOrCreateSalt('h1:7', () => 'from-b', 1),
        ]);
        assert.equal(salts[0].secret, salts[1].secret);
        // Both try the same segment at once: the second waits on the first one's claim.
        const site = (await store.addSite({ domain: 'shared-ingest.example' })).id;
        const file = writeSegment(Array.from({ length: 3000 }, (_, i) => eventRow({ site_id: site, ts: 1_700_000_000_000 + i })));
        const counts = await Promise.all([store.ingestSegment({ id: 'shared', path: file }), other.ingestSegment({ id: 'shared', path: file })]);
        assert.deepEqual(counts.sort(), [0, 3000]);
        assert.equal((await store.query('SELECT count(*) AS n FROM events WHERE site_id = $1', [site]))[0]?.n, 3000);
      } finally {
        await other.close();
      }
    });
  } finally {
    await store.close();
    await db.drop();
  }
});

test('postgres store: the console of a superuser connection still cannot read files', async (t) => {
  const db = await createTestDatabase('footfall_t', SUPERUSER_URL);
  if (typeof db === 'string') return skipOrFail(t, db);
  const store = await openPostgresStore(db.url);
  try {
    await store.migrate();
    const limits = { timeoutMs: 5000, maxRows: 10 };
    assert.deepEqual((await store.readOnlySql('SELECT count(*) AS n FROM events', limits)).rows, [[0]]);
    for (const sql of [
      "SELECT pg_read_file('/etc/hostname')",
      // Under SET LOCAL ROLE this would switch back to the superuser and read the file.
      "SELECT set_config('role', current_setting('is_superuser'), true), query_to_xml('select pg_read_file(''/etc/hostname'')', true, false, '')",
      'SELECT * FROM salts',
      "SELECT lo_import('/etc/hostname')",
    ]) {
      await assert.rejects(store.readOnlySql(sql, limits), (err: unknown) => err instanceof AppError && err.code === 'forbidden', sql);
    }
  } finally {
    await store.close();
    await db.drop();
  }
});

test('postgres store: bad URLs and refused connections say what failed', async () => {
  const cases: Array<[string, RegExp]> = [
    ['not a url', /^postgres: not a valid URL/],
    ['mysql://x@localhost/db', /^postgres: the URL must start with postgres:\/\//],
    ['postgres://footfall:footfall@127.0.0.1:1/footfall_test', /^postgres: cannot connect to 127\.0\.0\.1:1: connection refused/],
  ];
  const base = new URL(BASE_URL);
  if (await createTestDatabase('footfall_t', BASE_URL).then(async (db) => (typeof db === 'string' ? false : (await db.drop(), true)))) {
    cases.push(
      [`postgres://${base.username}:wrong-password@${base.host}/footfall_test`, /^postgres: authentication failed for user footfall \(postgres:\/\/footfall:\*\*\*@/],
      [Object.assign(new URL(BASE_URL), { pathname: '/no_such_db_here' }).toString(), /^postgres: database no_such_db_here does not exist/],
    );
  }
  for (const [url, message] of cases) {
    await assert.rejects(openPostgresStore(url), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'store', String(err));
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /wrong-password/);
      return true;
    });
  }
});
