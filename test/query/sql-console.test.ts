/** The read-only SQL console (Store.readOnlySql) as /api/v2/sql uses it: reads only, and a timeout. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { generateEvents } from '../../src/generate/generate-events.js';
import type { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { openTempStore } from './support/dataset.js';

let store: DuckDbStore;
let dir: string;
let count = 0;
before(async () => {
  ({ store, dir } = await openTempStore('footfall-sql-'));
  const site = await store.addSite({ domain: 'site1.example', timezone: 'UTC' });
  const rows = [...generateEvents({ seed: 3, events: 500, days: 3, endMs: Date.UTC(2024, 3, 5), sites: [{ id: site.id, domain: site.domain, timezone: 'UTC' }] })]
    .filter((e) => !e.hit.bot).map((e) => e.row);
  count = rows.length;
  await store.insertEvents(rows);
});
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const LIMITS = { timeoutMs: 10_000, maxRows: 10_000 };

describe('read-only SQL console', () => {
  test('answers a SELECT with columns, rows and the row cap', async () => {
    const result = await store.readOnlySql('select count(*) as n from events', LIMITS);
    assert.deepEqual(result, { columns: ['n'], rows: [[count]], truncated: false });
    const capped = await store.readOnlySql('select * from range(100)', { ...LIMITS, maxRows: 10 });
    assert.equal(capped.rows.length, 10);
    assert.equal(capped.truncated, true);
  });

  const REFUSED = [
    "insert into sites (domain, timezone, raw, salt_rotation_hours, created_at) values ('x.example', 'UTC', false, 24, now())",
    'delete from events',
    'update events set pathname = 1',
    'drop table events',
    'create table stolen as select * from events',
    "copy events to '/tmp/footfall-stolen.csv'",
    "copy (select * from events) to '/tmp/footfall-stolen.csv'",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "select * from read_json_auto('/etc/hosts')",
    "select * from '/etc/passwd'",
    "attach '/tmp/footfall-other.duckdb' as other",
    'install httpfs',
    'load httpfs',
    "set memory_limit = '1GB'",
    'set threads = 1',
    'pragma threads = 1',
    'select 1; drop table events',
    'checkpoint',
    'export database \'/tmp/footfall-export\'',
  ];
  for (const sql of REFUSED) {
    test(`refuses: ${sql}`, async () => {
      await assert.rejects(store.readOnlySql(sql, LIMITS), (err: unknown) => {
        assert.ok(err instanceof AppError, String(err));
        assert.ok(['forbidden', 'bad_request'].includes(err.code), `${err.code}: ${err.message}`);
        return true;
      });
    });
  }

  test('nothing was changed or written by the refused statements', async () => {
    const result = await store.readOnlySql('select count(*) from events', LIMITS);
    assert.deepEqual(result.rows, [[count]]);
    assert.equal(fs.existsSync('/tmp/footfall-stolen.csv'), false);
    assert.equal(fs.existsSync('/tmp/footfall-other.duckdb'), false);
  });

  test('cancels a long query at the timeout', async () => {
    const started = Date.now();
    await assert.rejects(store.readOnlySql('select count(*) from range(10000000000)', { timeoutMs: 1000, maxRows: 10 }), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'timeout', String(err));
      return true;
    });
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 5000, `took ${took} ms`);
    // The console still works afterwards.
    assert.deepEqual((await store.readOnlySql('select 42 as x', LIMITS)).rows, [[42]]);
  });
});
