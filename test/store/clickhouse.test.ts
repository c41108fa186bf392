/**
 * The ClickHouse store on the in-process engine of the optional chdb package (no ClickHouse
 * server can be installed here): a `chdb://<temp dir>` URL runs the same adapter code as over
 * HTTP. chdb is large and slow to load, so this is one file with one engine. Without chdb the
 * test is skipped, or fails under FOOTFALL_TEST_REQUIRE_ALL=1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createClient } from '@clickhouse/client';
import { AppError } from '../../src/errors.js';
import { EVENT_COLUMNS } from '../../src/store/event-row.js';
import { openClickHouseStore } from '../../src/store/clickhouse/open.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { fullSchema } from '../../src/store/clickhouse/schema.js';
import { BASE_SETTINGS, clientTransport } from '../../src/store/clickhouse/transport.js';
import type { Store } from '../../src/store/store.js';
import { eventRow, runAdapterChecks, writeSegment, type AdapterSql } from './adapter-checks.js';
import { skipOrFail } from '../helpers/require-all.js';


const SQL: AdapterSql = {
  param: (index, kind) => `{p${index}:${{ int: 'Int64', text: 'String', bool: 'Bool' }[kind]}}`,
  slowQuery: 'SELECT count() FROM numbers_mt(1000000000000) WHERE sipHash64(number) = 0',
  refusals: [
    ['INSERT INTO sites (id, domain) VALUES (99, \'x\')', 'forbidden'],
    ['DELETE FROM events WHERE 1', 'forbidden'],
    ['ALTER TABLE events DELETE WHERE 1', 'forbidden'],
    ['CREATE TABLE evil (a Int8) ENGINE = Memory', 'forbidden'],
    ['DROP TABLE events', 'forbidden'],
    ['TRUNCATE TABLE events', 'forbidden'],
    ["SELECT * FROM file('/etc/hostname', 'LineAsString')", 'forbidden'],
    ["SELECT file('/etc/hostname')", 'forbidden'],
    ["SELECT length(file('/etc/hostname')) FROM numbers(1)", 'forbidden'],
    ["SELECT * FROM url('http://127.0.0.1:1/x', 'LineAsString')", 'forbidden'],
    ["SELECT * FROM remote('127.0.0.1', system.one)", 'forbidden'],
    ["SELECT * FROM executable('ls', 'LineAsString', 'x String')", 'forbidden'],
    ["SELECT * FROM sqlite('/tmp/footfall-evil.db', 't')", 'forbidden'],
    ["SELECT count() FROM events WHERE site_id IN (SELECT toUInt32(x) FROM s3('http://127.0.0.1:1/bucket-name/x.csv', 'CSV', 'x String'))", 'forbidden'],
    ["SELECT 1 INTO OUTFILE '/tmp/footfall-evil.txt'", 'forbidden'],
    ['SET max_threads = 1', 'forbidden'],
    ['SELECT 1 SETTINGS readonly = 0', 'forbidden'],
    ['SELECT 1 SETTINGS max_execution_time = 0', 'forbidden'],
    ['KILL QUERY WHERE 1', 'forbidden'],
    ['SELECT 1; DROP TABLE events', 'bad_request'],
    ['SELEC 1', 'bad_request'],
    ['SELECT * FROM no_such_table', 'bad_request'],
  ],
};

async function openChdb(t: { skip(message: string): void }): Promise<{ store: Store; dir: string } | undefined> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-chdb-'));
  try {
    return { store: await openClickHouseStore(`chdb://${dir}`), dir };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (err instanceof AppError && /install chdb/.test(err.message)) {
      skipOrFail(t, `chdb is not installed (${err.message})`);
      return undefined;
    }
    throw err;
  }
}

test('clickhouse store (chdb)', async (t) => {
  const opened = await openChdb(t);
  if (!opened) return;
  const { store, dir } = opened;
  try {
    await store.migrate();
    await runAdapterChecks(t, store, SQL);

    await t.test('a retried segment whose rows landed before a crash is not inserted twice', async () => {
      const rows = Array.from({ length: 40 }, (_, i) => eventRow({ site_id: 96, ts: 1_700_000_000_000 + i }));
      // What a crash between the rows and the ingested_segments row leaves behind: chunk 0 of
      // segment 'crashed' inserted with its token, the segment not recorded.
      const internals = store as unknown as { insertJsonLines(table: string, columns: readonly string[], lines: string[], token: string): Promise<void> };
      await internals.insertJsonLines('events', EVENT_COLUMNS, rows.map((r) => JSON.stringify(r)), 'crashed:0');
      assert.equal(await store.hasSegment('crashed'), false);
      await store.ingestSegment({ id: 'crashed', path: writeSegment(rows) });
      assert.equal(await store.hasSegment('crashed'), true);
      assert.deepEqual(await store.query('SELECT count() AS n FROM events WHERE site_id = 96'), [{ n: 40 }]);
    });

    await t.test('concurrent additions get distinct small ids', async () => {
      const sites = await Promise.all(Array.from({ length: 6 }, (_, i) => store.addSite({ domain: `race-${i}.example` })));
      assert.equal(new Set(sites.map((s) => s.id)).size, 6);
      const listed = new Map((await store.listSites()).map((s) => [s.domain, s.id]));
      for (const site of sites) assert.equal(listed.get(site.domain), site.id);
      const dup = await Promise.allSettled([store.addSite({ domain: 'same.example' }), store.addSite({ domain: 'same.example' })]);
      assert.equal(dup.filter((r) => r.status === 'fulfilled').length, 1, 'one of two racing adds of a domain wins');
      assert.equal((await store.listSites()).filter((s) => s.domain === 'same.example').length, 1);
    });

    await t.test('the HTTP transport\'s code paths (exec with a body, ResultSet.stream) work', async () => {
      // The production transport over a client on chdb's Connection instead of HTTP.
      type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
      const specifier = 'chdb/connection';
      const { createChdbConnection } = (await import(specifier)) as { createChdbConnection(o: { path: string }): Connection };
      const client = createClient({ connection: createChdbConnection({ path: dir }), clickhouse_settings: BASE_SETTINGS });
      const viaClient = new ClickHouseStore(clientTransport(client, 'test', async () => undefined), { database: 'default' });
      try {
        // A segment stores only rows of sites that exist.
        const site = (await store.addSite({ domain: 'via-client.example' })).id;
        await viaClient.insertEvents([eventRow({ site_id: site, visitor_id: '-9223372036854775808' })]);
        const file = writeSegment(Array.from({ length: 30 }, (_, i) => eventRow({ site_id: site, ts: 1_700_000_000_000 + i })));
        assert.equal(await viaClient.ingestSegment({ id: 'via-client', path: file }), 30);
        assert.equal(await viaClient.ingestSegment({ id: 'via-client', path: file }), 0);
        assert.deepEqual(await store.query('SELECT count() AS n, min(visitor_id) AS v FROM events WHERE site_id = {p1:Int64}', [site]),
          [{ n: 31, v: '-9223372036854775808' }]);
        let total = 0;
        for await (const chunk of viaClient.stream('SELECT ts FROM events WHERE site_id = {p1:Int64}', [93])) {
          assert.ok(chunk.length <= 1000 && typeof chunk[0]?.ts === 'number');
          total += chunk.length;
        }
        assert.equal(total, 2500);
      } finally {
        await viaClient.close();
      }
    });

    await t.test('the cluster schema parses (ReplicatedMergeTree + Distributed)', async () => {
      const statements = fullSchema({ database: 'footfall', cluster: 'analytics' });
      assert.ok(statements.some((s) => /ENGINE = Distributed\(`analytics`, `footfall`, events_local, cityHash64\(site_id, visitor_id\)\)/.test(s)));
      assert.ok(statements.some((s) => /ReplicatedMergeTree\('\/clickhouse\/tables\/\{shard\}\/footfall\/events_local', '\{replica\}'\)/.test(s)));
      for (const statement of statements) {
        assert.ok(/ON CLUSTER `analytics`/.test(statement), statement);
        const parsed = await store.query(`SELECT formatQuerySingleLine(${SQL.param(1, 'text')}) AS f`, [statement]);
        assert.ok(String(parsed[0]?.f).length > 0);
      }
    });
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('clickhouse store: bad URLs and unreachable servers say what failed', async () => {
  const cases: Array<[string, RegExp]> = [
    ['not a url', /^clickhouse: not a valid URL/],
    ['ftp://host/db', /^clickhouse: the URL must start with http:\/\/, https:\/\/, clickhouse:\/\/ or chdb:\/\//],
    ['http://default:secret@127.0.0.1:1/footfall', /^clickhouse: cannot connect: connection refused .*\(http:\/\/default:\*\*\*@127\.0\.0\.1:1\/footfall\)$/],
    ['http://127.0.0.1:1/bad-name!', /^clickhouse: not a database name/],
    ['chdb://', /^clickhouse: a chdb URL needs a directory/],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(openClickHouseStore(url), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'store', String(err));
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
  }
});
