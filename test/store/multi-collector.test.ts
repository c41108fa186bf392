// Issue 6: several `footfall serve` processes share one PostgreSQL store; a visitor whose hits
// are split between them still makes one visit, with one visitor id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, skipOrFailWithout } from '../helpers/postgres.js';
import { DESKTOP_UA, runCli, sendGif, startServer, tempDataDir, type RunningServer } from '../helpers/server.js';

const CLIENT_IP = '198.51.100.23';

async function sqlJson(server: RunningServer, storeArgs: string[], sql: string): Promise<Array<Record<string, unknown>>> {
  const result = await server.cli(['sql', sql, '--format', 'json', ...storeArgs]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

async function waitForRows(server: RunningServer, storeArgs: string[], expected: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await sqlJson(server, storeArgs, 'select count(*) as n from events');
    if (Number(row?.n) === expected) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`events never reached ${expected}`);
}

test('two collectors on one Postgres store make one visit of one visitor', async (t) => {
  const database = await createTestDatabase('footfall_mc');
  if (typeof database === 'string') return skipOrFailWithout(t, database);
  const storeArgs = ['--store', 'postgres', '--database-url', database.url];
  const servers: RunningServer[] = [];
  try {
    const added = await runCli(tempDataDir(), ['site', 'add', 'example.com', ...storeArgs]);
    assert.equal(added.code, 0, added.stderr);
    for (let i = 0; i < 2; i++) servers.push(await startServer({ args: ['--trust-proxy', ...storeArgs] }));
    const [a, b] = servers as [RunningServer, RunningServer];
    const pages = ['/one', '/two', '/three', '/four'];
    for (const [i, page] of pages.entries()) {
      const server = i % 2 === 0 ? a : b;
      const res = await sendGif(server.url, { url: `https://example.com${page}` }, undefined, { 'x-forwarded-for': CLIENT_IP });
      assert.equal(res.headers.get('x-footfall-dropped'), null);
      // The other process learns of the visit from the store once this hit is flushed (1 s).
      await waitForRows(server, storeArgs, i + 1);
    }
    const [visit] = await sqlJson(a, storeArgs,
      'select count(distinct session_id) as visits, count(distinct visitor_id) as visitors, count(*) as pageviews from events');
    assert.deepEqual(visit, { visits: 1, visitors: 1, pageviews: 4 });
    for (const server of servers) assert.equal((await server.stop()).code, 0);
  } finally {
    for (const server of servers) if (server.process.exitCode === null) await server.kill9();
    await database.drop();
  }
});

test('a collector on a hung shared store still answers a new visitor\'s hit (the visit look-up gives up)', async (t) => {
  const database = await createTestDatabase('footfall_mc');
  if (typeof database === 'string') return skipOrFailWithout(t, database);
  const storeArgs = ['--store', 'postgres', '--database-url', database.url];
  let server: RunningServer | undefined;
  const locker = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5000 });
  let locked = false;
  try {
    const added = await runCli(tempDataDir(), ['site', 'add', 'example.com', ...storeArgs]);
    assert.equal(added.code, 0, added.stderr);
    server = await startServer({ args: ['--trust-proxy', ...storeArgs] });
    await locker.connect();
    // ACCESS EXCLUSIVE blocks reads too: the open-visit look-up hangs instead of failing.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    locked = true;
    const query = new URLSearchParams({ url: 'https://example.com/while-hung', t: '', ref: '' });
    const res = await fetch(`${server.url}/a.gif?${query}`, {
      headers: { 'user-agent': DESKTOP_UA, 'x-forwarded-for': CLIENT_IP },
      signal: AbortSignal.timeout(15_000),
    }).catch((err: unknown) => assert.fail(`no answer within 15 s while the store hung: ${String(err)}`));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-footfall-dropped'), null);
    assert.ok(locked, 'answered while the lock was still held');
    await locker.query('COMMIT');
    locked = false;
    await waitForRows(server, storeArgs, 1);
    assert.equal((await server.stop()).code, 0);
  } finally {
    if (locked) await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end().catch(() => undefined);
    if (server && server.process.exitCode === null) await server.kill9();
    await database.drop();
  }
});
