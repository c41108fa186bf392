/**
 * Privacy promises (issue 7), adversarially:
 * - after a load with default settings, no client IP and no User-Agent string anywhere: not in
 *   the DuckDB data dir's files (database, WAL, spool, while running and after), not in any
 *   column of any table in PostgreSQL. A raw-mode site in the same load is the control (its IP
 *   and UA must be found, so the search works);
 * - salts older than 48 h are gone (SaltKeeper on a fixed clock against real stores);
 * - `footfall site remove` leaves no event of the site, including events still waiting in the
 *   spool when the site was removed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { fixedClock } from '../../src/clock.js';
import { SALT_MAX_AGE_MS, SaltKeeper, saltPeriod } from '../../src/ingest/salts.js';
import { DuckDbStore, saltFilePath } from '../../src/store/duckdb/duckdb-store.js';
import { readSaltFile } from '../../src/store/duckdb/salt-file.js';
import type { EventRow } from '../../src/store/event-row.js';
import { duckDbFile } from '../../src/store/open-store.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import type { Store } from '../../src/store/store.js';
import { runCli, tempDataDir, type RunningServer } from '../helpers/server.js';
import { startManaged } from './support/managed.js';
import { sharedPostgresDatabase, skipOrFail } from './support/require.js';
import { waitForDrained } from './support/stored.js';
import { filesContaining, probeIps, removalHits, sendProbeHit } from './support/probe-hits.js';

const IPS = probeIps(40, 10);
/** A unique token in every UA: it is not a browser or OS name, so only a stored UA string would carry it. */
const UA_TOKEN = 'FootfallProbe-7f3a9c';
const hits = (server: RunningServer, domain: string, tag: string, n: number) => removalHits(server, UA_TOKEN, domain, tag, n);
const RAW_IP = '192.0.2.77';
const RAW_TOKEN = 'RawModeProbe-51d2';

/** Sends `count` hits for example.com from many IPs and UAs (events and pixels), and a few for the raw site. */
async function load(server: RunningServer, count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, async (_, j) => {
      await sendProbeHit(server, UA_TOKEN, IPS, i + j);
    }));
  }
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${server.url}/a.gif?${new URLSearchParams({ url: `https://raw.example/r/${i}`, t: 'Raw', ref: '' })}`, { headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 ${RAW_TOKEN}`, 'x-forwarded-for': RAW_IP } });
    assert.equal(res.headers.get('x-footfall-dropped'), null);
  }
}

function assertNothingIdentifyingIn(dataDir: string, when: string): void {
  const leaks = [...IPS, UA_TOKEN].flatMap((needle) => filesContaining(dataDir, needle).map((f) => `${needle} in ${f}`));
  assert.deepEqual(leaks.slice(0, 10), [], `${when}: client IPs or User-Agents in the data dir`);
}

async function addSites(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  for (const args of [['example.com'], ['raw.example', '--raw']]) {
    const added = await runCli(dataDir, ['site', 'add', ...args], { env });
    assert.equal(added.code, 0, added.stderr);
  }
}

describe('no IP and no User-Agent stored with default settings', { timeout: 120_000 }, () => {
  test('DuckDB: database, WAL and spool, during the load and after', { timeout: 60_000 }, async (t) => {
    const dataDir = tempDataDir('footfall-privacy-');
    await addSites(dataDir);
    // A long flush interval keeps the first half in the spool while we look; --trust-proxy lets
    // the test speak as many clients.
    const server = await startManaged(t, { dataDir, args: ['--trust-proxy'], env: { FOOTFALL_FLUSH_INTERVAL_MS: '60000' } });
    await load(server, 200);
    assert.ok(fs.readdirSync(path.join(dataDir, 'spool')).length > 0, 'events are waiting in the spool');
    assertNothingIdentifyingIn(dataDir, 'spool before the flush');
    await load(server, 200);
    assert.equal((await server.stop()).code, 0);
    assertNothingIdentifyingIn(dataDir, 'after shutdown');
    // Control: the raw-mode site keeps both, as documented, so the search above can find them.
    assert.ok(filesContaining(dataDir, RAW_IP).length > 0 && filesContaining(dataDir, RAW_TOKEN).length > 0, 'the raw site\'s IP and UA are stored (control)');
  });

  describe('PostgreSQL', () => {
    let db: { url: string; drop: () => Promise<void> } | string;
    before(async () => {
      db = await sharedPostgresDatabase('privacy');
    }, { timeout: 60_000 });
    after(async () => {
      if (typeof db !== 'string') await db.drop();
    });

    test('PostgreSQL: every column of every table', { timeout: 60_000 }, async (t) => {
      if (typeof db === 'string') return skipOrFail(t, db);
      const env = { FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: db.url };
      const dataDir = tempDataDir('footfall-privacy-pg-');
      await addSites(dataDir, env);
      const server = await startManaged(t, { dataDir, args: ['--trust-proxy'], env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
      await load(server, 300);
      await waitForDrained(server, 10_000);
      assertNothingIdentifyingIn(dataDir, 'spool of a Postgres collector');
      assert.equal((await server.stop()).code, 0);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const tables = (await client.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).rows.map((r) => r.t);
        assert.ok(tables.includes('events') && tables.includes('salts'));
        const leaks: string[] = [];
        for (const table of tables) {
          const { rows } = await client.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${table}" x`);
          for (const { j } of rows) {
            for (const needle of [...IPS, UA_TOKEN]) if (j.includes(needle)) leaks.push(`${needle} in ${table}: ${j.slice(0, 120)}`);
          }
        }
        assert.deepEqual(leaks.slice(0, 10), [], 'client IPs or User-Agents stored in Postgres');
        const raw = await client.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE ip = $1 AND headers LIKE $2', [RAW_IP, `%${RAW_TOKEN}%`]);
        assert.equal(Number(raw.rows[0]!.n), 5, 'the raw site\'s IP and UA are stored (control)');
      } finally {
        await client.end();
      }
    });
  });
});

/** The salts a store keeps: period -> created_at (ms). */
type StoredSalts = () => Promise<Map<string, number>>;

/** Drives SaltKeeper hour by hour over four days; salts must be deleted exactly once older than 48 h. */
async function checkSaltExpiry(store: Store, label: string, stored: StoredSalts): Promise<void> {
  const start = Date.UTC(2026, 0, 10, 0, 30);
  const clock = fixedClock(start);
  const keeper = new SaltKeeper(store, clock);
  await keeper.refresh([24, 6]);
  const firstPeriods = [...(await stored()).keys()];
  assert.ok(firstPeriods.length >= 4, `${label}: salts for the current and next period of each rotation`);
  for (let hour = 1; hour <= 96; hour++) {
    clock.set(start + hour * 3_600_000);
    await keeper.refresh();
    const now = clock.now();
    for (const [period, createdAt] of await stored()) {
      assert.ok(now - createdAt <= SALT_MAX_AGE_MS, `${label}: salt ${period} is ${((now - createdAt) / 3_600_000).toFixed(1)} h old at hour ${hour}`);
    }
    // The current period's salt must exist and be in memory (hashing never waits on the store).
    assert.ok(keeper.secret(24, now), `${label}: current salt loaded at hour ${hour}`);
  }
  const left = await stored();
  for (const period of firstPeriods) assert.equal(left.has(period), false, `${label}: first salt ${period} still stored after 96 h`);
  assert.equal(keeper.secret(24, start), undefined, `${label}: an expired salt stays in memory`);
  assert.ok(left.has(saltPeriod(24, clock.now())), `${label}: the current salt survives`);
}

/** A plain stored event (no IP, no UA) for site 1 at `ts`. */
function storableRow(i: number, ts: number): EventRow {
  return {
    site_id: 1, ts, name: 'pageview', hostname: 'example.com', pathname: `/p/${i}`, title: 'Title', query: '{}', referrer: '',
    referrer_source: '', utm_source: '', utm_medium: '', utm_campaign: '', utm_term: '', utm_content: '', country: '', browser: 'Firefox',
    browser_version: '128.0', os: 'Linux', os_version: '', device: 'Desktop', screen_width: 1280, visitor_id: String(i * 7919),
    session_id: String(i), props: '{}', revenue_amount: null, revenue_currency: '', scroll_depth: null, engagement_ms: null,
    interactive: true, ip: null, headers: null,
  };
}

describe('salts older than 48 h are gone', { timeout: 120_000 }, () => {
  test('DuckDB store', async () => {
    const dir = tempDataDir('footfall-salts-');
    const file = path.join(dir, 'footfall.duckdb');
    const store = await DuckDbStore.open({ file });
    await store.migrate();
    try {
      // What is on disk (the salt file is synced at every change), not what the store remembers.
      await checkSaltExpiry(store, 'duckdb', async () => new Map(readSaltFile(saltFilePath(file)).map((s) => [s.period, s.createdAt])));
    } finally {
      await store.close();
    }
  });

  // A salt deleted from a DuckDB table stays in the database file's freed blocks (DuckDB neither
  // zeroes nor promptly reuses them), and with it old visitor hashes could be linked again by
  // hashing candidate IP + UA pairs. The DuckDB store keeps salts in a salt file whose slots are
  // overwritten in place (salt-file.ts): checked here on the bytes of every file of the data dir.
  test('a deleted salt cannot be read back from any file of the DuckDB store', async () => {
    const dir = tempDataDir('footfall-salts-file-');
    const file = path.join(dir, 'footfall.duckdb');
    const store = await DuckDbStore.open({ file });
    await store.migrate();
    const clock = fixedClock(Date.UTC(2026, 0, 10, 0, 30));
    const keeper = new SaltKeeper(store, clock);
    await keeper.refresh([24, 6]);
    const secrets = () => readSaltFile(saltFilePath(file)).map((s) => s.secret);
    const first = secrets();
    assert.ok(first.length >= 4, 'salts of both rotations');
    const inFiles = (secret: string) => fs.readdirSync(dir).some((f) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from(secret)));
    assert.ok(first.every(inFiles), 'the search finds live salts (control)');
    const seen = new Set(first);
    for (let hour = 1; hour <= 96; hour++) {
      clock.advance(3_600_000);
      await keeper.refresh();
      for (const secret of secrets()) seen.add(secret);
      // Events written meanwhile make DuckDB checkpoint and reuse blocks, as a running server does.
      if (hour % 12 === 0) await store.insertEvents(Array.from({ length: 500 }, (_, i) => storableRow(i, clock.now())));
    }
    const left = secrets();
    assert.equal(left.filter((s) => first.includes(s)).length, 0, 'the first salts are deleted');
    assert.ok(left.length >= 4, 'newer salts are kept');
    await store.close();
    // Every salt deleted during the four days, the last ones (whose space nothing reused yet) too.
    const deleted = [...seen].filter((s) => !left.includes(s));
    assert.ok(deleted.length >= 12, `salts were deleted (${deleted.length})`);
    const recoverable = deleted.filter(inFiles);
    assert.deepEqual(recoverable.map((s) => `${s.slice(0, 6)}…`), [], 'deleted salts still readable in the data dir');
    assert.ok(left.every(inFiles), 'the salts still in use are on disk (control)');
  });

  test('PostgreSQL store', async (t) => {
    const db = await sharedPostgresDatabase('salts');
    if (typeof db === 'string') return skipOrFail(t, db);
    const store = await openPostgresStore(db.url);
    try {
      await store.migrate();
      await checkSaltExpiry(store, 'postgres', async () => new Map((await store.query('SELECT period, created_at FROM salts')).map((r) => [String(r.period), Number(r.created_at)])));
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

interface Removal {
  /** Paths of the removed site's events that were in the store when it was removed. */
  storedAtRemoval: string[];
  /** Paths of the removed site's events in the store at the end (after the spool was flushed). */
  left: string[];
  goals: number;
  shares: number;
  keptEvents: number;
}

/**
 * Removes a site while some of its events are stored (a first run, flushed at shutdown) and
 * some still wait in the spool (a second run flushes only at its shutdown, after the removal).
 * `read` lists what the store holds for a site id once the server is gone.
 */
async function removeWhileSpooled(t: TestContext, env: NodeJS.ProcessEnv,
  read: (dataDir: string, siteId: number) => Promise<{ paths: string[]; goals: number; shares: number }>): Promise<Removal> {
  const dataDir = tempDataDir('footfall-remove-');
  for (const domain of ['gone.example', 'kept.example']) assert.equal((await runCli(dataDir, ['site', 'add', domain], { env })).code, 0);
  const first = await startManaged(t, { dataDir, env });
  assert.equal((await first.cli(['goal', 'add', 'gone.example', '--event', 'Signup'], { env })).code, 0);
  assert.deepEqual(new Set(await hits(first, 'kept.example', 'kept', 25)), new Set([null]));
  assert.deepEqual(new Set(await hits(first, 'gone.example', 'stored', 10)), new Set([null]));
  assert.equal((await first.stop()).code, 0);

  const server = await startManaged(t, { dataDir, env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '60000' } });
  const sql = async (query: string) => {
    const answer = await server.cli(['sql', query, '--format', 'json'], { env });
    assert.equal(answer.code, 0, answer.stderr);
    return JSON.parse(answer.stdout) as Array<Record<string, unknown>>;
  };
  const ids = new Map((await sql('select id, domain from sites')).map((r) => [String(r.domain), Number(r.id)]));
  const gone = ids.get('gone.example')!;
  const kept = ids.get('kept.example')!;
  assert.deepEqual(new Set(await hits(server, 'gone.example', 'spooled', 8)), new Set([null]));
  const spool = path.join(dataDir, 'spool');
  const spooled = fs.readdirSync(spool).filter((f) => fs.readFileSync(path.join(spool, f), 'utf8').includes('/removal/spooled/')).length;
  assert.ok(spooled > 0, 'some of the removed site\'s events are still in the spool');
  const storedAtRemoval = (await sql(`select pathname from events where site_id = ${gone}`)).map((r) => String(r.pathname));
  assert.equal(storedAtRemoval.length, 10, 'the first run\'s events are stored');
  const removed = await server.cli(['site', 'remove', 'gone.example'], { env });
  assert.equal(removed.code, 0, removed.stderr);
  // A collector on DuckDB removes the site itself (the CLI goes through it) and drops its hits
  // at once; on a shared store another process removed it, and collectors notice within their
  // refresh interval: hits meanwhile may be acknowledged (but should not be stored).
  const after = new Set(await hits(server, 'gone.example', 'after', 3));
  if (env.FOOTFALL_STORE === 'postgres') assert.ok([...after].every((h) => h === null || h === 'unknown_site'));
  else assert.deepEqual(after, new Set(['unknown_site']), 'hits for a removed site are dropped');
  assert.equal((await server.stop()).code, 0);
  const goneNow = await read(dataDir, gone);
  return { storedAtRemoval, left: goneNow.paths, goals: goneNow.goals, shares: goneNow.shares, keptEvents: (await read(dataDir, kept)).paths.length };
}

describe('`footfall site remove` leaves no event of the site', { timeout: 120_000 }, () => {
  test('DuckDB: stored and spooled events, goals and share links', { timeout: 60_000 }, async (t) => {
    const removal = await removeWhileSpooled(t, {}, async (dataDir, siteId) => {
      const store = await DuckDbStore.open({ file: duckDbFile(dataDir), readOnly: true });
      try {
        const n = async (table: string) => Number((await store.query(`SELECT count(*) AS n FROM ${table} WHERE site_id = $1::INTEGER`, [siteId]))[0]!.n);
        const paths = (await store.query('SELECT pathname FROM events WHERE site_id = $1::INTEGER', [siteId])).map((r) => String(r.pathname));
        return { paths, goals: await n('goals'), shares: await n('share_links') };
      } finally {
        await store.close();
      }
    });
    assert.deepEqual(removal.left, [], 'events of the removed site, including those in the spool at removal');
    assert.deepEqual([removal.goals, removal.shares, removal.keptEvents], [0, 0, 25]);
  });

  describe('PostgreSQL', () => {
    let removal: Removal | undefined;
    test('PostgreSQL: stored and spooled events, goals and share links', { timeout: 60_000 }, async (t) => {
      const db = await sharedPostgresDatabase('remove');
      if (typeof db === 'string') return skipOrFail(t, db);
      try {
        removal = await removeWhileSpooled(t, { FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: db.url }, async (_dataDir, siteId) => {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          try {
            const n = async (table: string) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE site_id = $1`, [siteId])).rows[0]!.n);
            const paths = (await client.query<{ pathname: string }>('SELECT pathname FROM events WHERE site_id = $1', [siteId])).rows.map((r) => r.pathname);
            return { paths, goals: await n('goals'), shares: await n('share_links') };
          } finally {
            await client.end();
          }
        });
      } finally {
        await db.drop();
      }
      const survivors = removal.left.filter((p) => removal!.storedAtRemoval.includes(p));
      assert.deepEqual(survivors, [], 'events stored before the removal are gone');
      // Rows of a removed site still waiting in a spool (or accepted before a collector noticed
      // the removal) are dropped at ingest: postgres-store.ts ingestSegment keeps known sites only.
      assert.deepEqual(removal.left, [], 'events of the removed site, including those in the spool at removal');
      assert.deepEqual([removal.goals, removal.shares, removal.keptEvents], [0, 0, 25]);
    });
  });
});
