/**
 * The privacy promises (issue 7) on the ClickHouse store, through chdb (privacy.test.ts does
 * DuckDB and Postgres):
 * - after a load with default settings, no client IP and no User-Agent string in any column of
 *   any table, nor in the bytes of the engine's directory or the spool; a raw-mode site in the
 *   same load is the control (its IP and UA must be found, so the search works);
 * - `footfall site remove` leaves no event of the site, including events still waiting in the
 *   spool when it was removed.
 * Each test has its own chdb directory, read in this process once the servers stopped (chdb
 * keeps a directory locked by the process that opened it until that process exits).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli, tempDataDir, type RunningServer } from '../helpers/server.js';
import { startManaged } from './support/managed.js';
import { skipOrFail } from './support/require.js';
import { sqlRows } from './support/store-reads.js';
import { storeUnderTest, withChdbStore, type StoreUnderTest } from './support/stores.js';
import { waitForDrained } from './support/stored.js';
import { filesContaining, probeIps, removalHits, sendProbeHit } from './support/probe-hits.js';

const IPS = probeIps(20, 5);
/** A unique token in every UA: not a browser or OS name, so only a stored UA string carries it. */
const UA_TOKEN = 'FootfallProbe-c41e07';
const hits = (server: RunningServer, domain: string, tag: string, n: number) => removalHits(server, UA_TOKEN, domain, tag, n);
const RAW_IP = '192.0.2.78';
const RAW_TOKEN = 'RawModeProbe-8e0b';

async function chdbStore(t: TestContext, tag: string): Promise<StoreUnderTest | undefined> {
  const store = await storeUnderTest('clickhouse', tag);
  if (typeof store === 'string') {
    skipOrFail(t, store);
    return undefined;
  }
  t.after(() => store.dispose());
  return store;
}

const send = (server: RunningServer, n: number) => sendProbeHit(server, UA_TOKEN, IPS, n);

test('ClickHouse (chdb): no IP and no User-Agent in any table, the engine\'s files or the spool', { timeout: 60_000 }, async (t) => {
  const store = await chdbStore(t, 'privacy');
  if (!store) return;
  const { env, chdbDir } = store;
  const dataDir = tempDataDir('footfall-privacy-ch-');
  for (const args of [['example.com'], ['raw.example', '--raw']]) {
    const added = await runCli(dataDir, ['site', 'add', ...args], { env });
    assert.equal(added.code, 0, added.stderr);
  }
  const server = await startManaged(t, { dataDir, args: ['--trust-proxy'], env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
  for (let i = 0; i < 200; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => send(server, i + j)));
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${server.url}/a.gif?${new URLSearchParams({ url: `https://raw.example/r/${i}`, t: 'Raw', ref: '' })}`, { headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 ${RAW_TOKEN}`, 'x-forwarded-for': RAW_IP } });
    assert.equal(res.headers.get('x-footfall-dropped'), null);
  }
  await waitForDrained(server, 10_000);
  assert.equal((await server.stop()).code, 0);

  const needles = [...IPS, UA_TOKEN];
  const fileLeaks = [dataDir, chdbDir!].flatMap((dir) => needles.flatMap((needle) => filesContaining(dir, needle).map((f) => `${needle} in ${f}`)));
  assert.deepEqual(fileLeaks.slice(0, 10), [], 'client IPs or User-Agents in the data dir or the engine\'s files');

  const { tableLeaks, tables, rawRows } = await withChdbStore(chdbDir!, async (ch) => {
    const names = (await ch.query('SELECT name FROM system.tables WHERE database = currentDatabase()')).map((r) => String(r.name));
    const leaks: string[] = [];
    for (const table of names) {
      for (const row of await ch.query(`SELECT * FROM ${table}`)) {
        const text = JSON.stringify(row);
        for (const needle of needles) if (text.includes(needle)) leaks.push(`${needle} in ${table}: ${text.slice(0, 120)}`);
      }
    }
    const raw = await ch.query('SELECT count() AS n FROM events WHERE ip = {p1:String} AND position(headers, {p2:String}) > 0', [RAW_IP, RAW_TOKEN]);
    return { tableLeaks: leaks, tables: names, rawRows: Number(raw[0]!.n) };
  });
  assert.ok(tables.includes('events') && tables.includes('salts'), tables.join(', '));
  assert.deepEqual(tableLeaks.slice(0, 10), [], 'client IPs or User-Agents stored in ClickHouse');
  assert.equal(rawRows, 5, 'the raw site\'s IP and UA are stored (control of the table search)');
  // The engine compresses its columns, so the byte search of its files has its own control.
  const rawInFiles = filesContaining(chdbDir!, RAW_IP).length > 0 && filesContaining(chdbDir!, RAW_TOKEN).length > 0;
  t.diagnostic(`${tables.length} tables searched; the raw site's IP and UA ${rawInFiles ? 'are' : 'are NOT'} found in the engine's files (control of the file search)`);
  assert.ok(rawInFiles, 'the raw site\'s IP and UA are found in the engine\'s files (control of the file search)');
});

test('ClickHouse (chdb): `footfall site remove` leaves no event of the site, stored or still in the spool', { timeout: 60_000 }, async (t) => {
  const store = await chdbStore(t, 'remove');
  if (!store) return;
  const { env, chdbDir } = store;
  const dataDir = tempDataDir('footfall-remove-ch-');
  for (const domain of ['gone.example', 'kept.example']) {
    const added = await runCli(dataDir, ['site', 'add', domain], { env });
    assert.equal(added.code, 0, added.stderr);
  }
  const first = await startManaged(t, { dataDir, env });
  const goal = await first.cli(['goal', 'add', 'gone.example', '--event', 'Signup'], { env });
  assert.equal(goal.code, 0, goal.stderr);
  assert.deepEqual(new Set(await hits(first, 'kept.example', 'kept', 25)), new Set([null]));
  assert.deepEqual(new Set(await hits(first, 'gone.example', 'stored', 10)), new Set([null]));
  assert.equal((await first.stop()).code, 0);

  // This run flushes only at its shutdown, after the removal: the 8 hits below wait in the spool.
  const server = await startManaged(t, { dataDir, env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '60000' } });
  const ids = new Map((await sqlRows(dataDir, env, 'select id, domain from sites')).map((r) => [String(r.domain), Number(r.id)]));
  const gone = ids.get('gone.example')!;
  const kept = ids.get('kept.example')!;
  assert.deepEqual(new Set(await hits(server, 'gone.example', 'spooled', 8)), new Set([null]));
  const spool = path.join(dataDir, 'spool');
  assert.ok(fs.readdirSync(spool).some((f) => f.endsWith('.ndjson') && fs.readFileSync(path.join(spool, f), 'utf8').includes('/removal/spooled/')),
    'some of the removed site\'s events are still in the spool');
  const atRemoval = await sqlRows(dataDir, env, `select pathname from events where site_id = ${gone}`);
  assert.equal(atRemoval.length, 10, 'the first run\'s events are stored');
  const removed = await server.cli(['site', 'remove', 'gone.example'], { env });
  assert.equal(removed.code, 0, removed.stderr);
  // The CLI went through this server, which drops the site's hits at once.
  assert.deepEqual(new Set(await hits(server, 'gone.example', 'after', 3)), new Set(['unknown_site']));
  assert.equal((await server.stop()).code, 0);

  const left = await withChdbStore(chdbDir!, async (ch) => {
    const count = async (sql: string, id: number) => Number((await ch.query(sql, [id]))[0]!.n);
    return {
      paths: (await ch.query('SELECT pathname FROM events WHERE site_id = {p1:UInt32} ORDER BY pathname', [gone])).map((r) => String(r.pathname)),
      goals: await count('SELECT count() AS n FROM goals FINAL WHERE site_id = {p1:UInt32} AND NOT deleted', gone),
      kept: await count('SELECT count() AS n FROM events WHERE site_id = {p1:UInt32}', kept),
    };
  });
  assert.deepEqual(left.paths, [], 'events of the removed site, including those in the spool at removal');
  assert.deepEqual([left.goals, left.kept], [0, 25]);
});
