/**
 * The DuckDB store's salt file (src/store/duckdb/salt-file.ts): salts survive a reopen, a torn
 * slot reads as free and is wiped, read-only opens see the salts without writing, and salts an
 * older version kept in the salts table move to the file at migrate.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { AppError } from '../../src/errors.js';
import { DuckDbStore, saltFilePath } from '../../src/store/duckdb/duckdb-store.js';
import { readSaltFile } from '../../src/store/duckdb/salt-file.js';
import { tempDataDir } from '../helpers/server.js';

test('DuckDB salt file: reopen, torn slot, read-only, legacy table', async () => {
  const file = path.join(tempDataDir('footfall-salt-file-'), 'footfall.duckdb');
  let store = await DuckDbStore.open({ file });
  await store.migrate();
  const a = await store.getOrCreateSalt('h24:1', () => 'secret-a', 1000);
  assert.deepEqual(await store.getOrCreateSalt('h24:1', () => 'other', 2000), a, 'an existing salt is kept');
  await store.getOrCreateSalt('h24:2', () => 'secret-b', 5000);
  await store.close();

  // A torn write: half of the second slot overwritten with garbage.
  const saltFile = saltFilePath(file);
  const fd = fs.openSync(saltFile, 'r+');
  fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 256 + 20);
  fs.closeSync(fd);
  assert.deepEqual(readSaltFile(saltFile).map((s) => s.period), ['h24:1'], 'the torn slot reads as free');

  const reader = await DuckDbStore.open({ file, readOnly: true });
  await assert.rejects(reader.getOrCreateSalt('h24:3', () => 'x', 1), (err: unknown) => err instanceof AppError && err.code === 'unavailable');
  await reader.close();

  store = await DuckDbStore.open({ file });
  assert.ok(!fs.readFileSync(saltFile).includes(Buffer.from('AAAA')), 'the torn slot is wiped when the writer opens');
  assert.equal((await store.getOrCreateSalt('h24:2', () => 'secret-b2', 6000)).secret, 'secret-b2', 'a lost salt is made again');
  // Salts of an older version, still in the salts table, move to the file.
  await store.close();
  const raw = await DuckDBInstance.create(file);
  const conn = await raw.connect();
  await conn.run("INSERT INTO salts VALUES ('h24:9', 'legacy-secret', epoch_ms(7000::BIGINT))");
  conn.closeSync();
  raw.closeSync();
  store = await DuckDbStore.open({ file });
  await store.migrate();
  assert.deepEqual((await store.query('SELECT count(*) AS n FROM salts'))[0], { n: 0 }, 'the table is emptied');
  assert.deepEqual(await store.getOrCreateSalt('h24:9', () => 'new', 8000), { period: 'h24:9', secret: 'legacy-secret', createdAt: 7000 });
  assert.equal(await store.deleteSaltsBefore(6500), 2);
  assert.deepEqual(readSaltFile(saltFile).map((s) => s.period).sort(), ['h24:9']);
  await store.close();
});
