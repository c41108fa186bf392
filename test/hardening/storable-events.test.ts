/**
 * Valid but awkward hits, end to end on DuckDB and PostgreSQL (found by fuzz-parse's "row every
 * store can hold" property). Each is well-formed, so the collector acknowledges it; then it must
 * be stored like any other. A row a store cannot hold is worse than a 4xx: DuckDB's read_json
 * skips it silently (an acknowledged event lost), and Postgres refuses the whole spool segment,
 * which the collector retries forever while refusing every new write: one request would stop
 * the collector. So: every acknowledged hit stored exactly once, no failed flush, still healthy,
 * and the JSON text columns still parse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { duckDbFile } from '../../src/store/open-store.js';
import { DESKTOP_UA, runCli, tempDataDir, type RunningServer } from '../helpers/server.js';
import { startManaged } from './support/managed.js';
import { sharedPostgresDatabase, skipOrFail } from './support/require.js';
import { health, metric, waitForDrained } from './support/stored.js';

const LONG_EMOJI_CUT = `${'a'.repeat(499)}😀`; // the 500-character limit cuts the emoji's surrogate pair in half

/** [what, how it is sent]: event bodies are sent as written (JSON escapes included), pixels as query strings. */
const CASES: Array<[string, { body: string } | { gif: Record<string, string> }]> = [
  ['title with a lone surrogate (JSON escape)', { body: '{"n":"pageview","u":"https://example.com/poison/0/","t":"x\\ud800y"}' }],
  ['title with a lone low surrogate', { body: '{"n":"pageview","u":"https://example.com/poison/1/","t":"\\udc00"}' }],
  ['title with NUL', { body: '{"n":"pageview","u":"https://example.com/poison/2/","t":"a\\u0000b"}' }],
  ['title whose emoji is cut at 500 characters', { body: JSON.stringify({ n: 'pageview', u: 'https://example.com/poison/3/', t: LONG_EMOJI_CUT }) }],
  ['pixel title whose emoji is cut at 500 characters', { gif: { url: 'https://example.com/poison/4/', t: LONG_EMOJI_CUT, ref: '' } }],
  ['path with %00', { gif: { url: 'https://example.com/poison/5/%00', t: '', ref: '' } }],
  ['utm_source with %00', { body: JSON.stringify({ n: 'pageview', u: 'https://example.com/poison/6/?utm_source=a%00b' }) }],
  ['utm_campaign whose emoji is cut at 500 characters', { body: JSON.stringify({ n: 'pageview', u: `https://example.com/poison/7/?utm_campaign=${encodeURIComponent(LONG_EMOJI_CUT)}` }) }],
  ['query parameter with %00', { body: JSON.stringify({ n: 'pageview', u: 'https://example.com/poison/8/?q=%00' }) }],
  ['query parameter whose emoji is cut at 500 characters', { body: JSON.stringify({ n: 'pageview', u: `https://example.com/poison/9/?q=${encodeURIComponent(LONG_EMOJI_CUT)}` }) }],
  ['custom event name with a lone surrogate', { body: '{"n":"Sign\\ud83dup","u":"https://example.com/poison/10/"}' }],
  ['prop value with NUL', { body: '{"n":"Signup","u":"https://example.com/poison/11/","p":{"plan":"pro\\u0000"}}' }],
  ['prop key with a lone surrogate', { body: '{"n":"Signup","u":"https://example.com/poison/12/","p":{"\\ud800":"x"}}' }],
  ['referrer with NUL', { body: '{"n":"pageview","u":"https://example.com/poison/13/","r":"https://ref.example/\\u0000"}' }],
  ['screen width beyond SMALLINT', { body: '{"n":"pageview","u":"https://example.com/poison/14/","w":40000}' }],
  ['utm_source naming an Object.prototype member', { gif: { url: 'https://example.com/poison/15/?utm_source=constructor', t: '', ref: '' } }],
  ['utm_source __proto__', { body: JSON.stringify({ n: 'pageview', u: 'https://example.com/poison/16/?utm_source=__proto__' }) }],
  ['referrer host naming an Object.prototype member', { body: JSON.stringify({ n: 'pageview', u: 'https://example.com/poison/17/', r: 'https://toString/' }) }],
  ['prop key __proto__', { body: '{"n":"Signup","u":"https://example.com/poison/18/","p":{"__proto__":"x"}}' }],
  ['a normal hit after all of them', { body: '{"n":"pageview","u":"https://example.com/poison/19/"}' }],
];

async function send(server: RunningServer, how: { body: string } | { gif: Record<string, string> }): Promise<boolean> {
  if ('body' in how) {
    const res = await fetch(`${server.url}/api/event`, { method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': DESKTOP_UA }, body: how.body });
    await res.arrayBuffer();
    return res.status === 202;
  }
  const res = await fetch(`${server.url}/a.gif?${new URLSearchParams(how.gif)}`, { headers: { 'user-agent': DESKTOP_UA } });
  await res.arrayBuffer();
  return res.status === 200 && !res.headers.get('x-footfall-dropped');
}

/** Sends every case; returns the indexes acknowledged. */
async function sendAll(server: RunningServer): Promise<number[]> {
  const acknowledged: number[] = [];
  for (const [i, [what, how]] of CASES.entries()) {
    const ok = await send(server, how);
    assert.ok(ok, `case ${i} (${what}) is well-formed and must be acknowledged`);
    acknowledged.push(i);
  }
  return acknowledged;
}

/** Checks the collector after the cases: everything flushed, nothing failed, still taking writes. */
async function assertStillHealthy(server: RunningServer): Promise<void> {
  const drained = await waitForDrained(server, 10_000);
  const failures = await metric(server, 'footfall_flush_failures_total');
  assert.equal(failures, 0, 'a flush failed: the store refused a row the collector acknowledged');
  assert.equal(drained.queue_depth, 0, `events stuck in the spool: ${JSON.stringify(drained)}`);
  assert.equal((await health(server)).status, 'ok');
  assert.ok(await send(server, { body: '{"n":"pageview","u":"https://example.com/after/"}' }), 'new writes are still acknowledged');
}

/** Which case indexes are stored, and how often. */
function casesStored(pathnames: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of pathnames) {
    const i = /^\/poison\/(\d+)\//.exec(p)?.[1];
    if (i !== undefined) counts.set(Number(i), (counts.get(Number(i)) ?? 0) + 1);
  }
  return counts;
}

function assertAllStoredOnce(counts: Map<number, number>, acknowledged: number[]): void {
  const missing = acknowledged.filter((i) => !counts.has(i)).map((i) => `${i} (${CASES[i]![0]})`);
  assert.deepEqual(missing, [], 'acknowledged but not stored');
  assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], 'stored more than once');
}

describe('awkward but valid hits are stored like any other', { timeout: 120_000 }, () => {
  test('DuckDB', { timeout: 60_000 }, async (t) => {
    const dataDir = tempDataDir('footfall-storable-');
    assert.equal((await runCli(dataDir, ['site', 'add', 'example.com'])).code, 0);
    const server = await startManaged(t, { dataDir, env: { FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
    const acknowledged = await sendAll(server);
    await assertStillHealthy(server);
    assert.equal((await server.stop()).code, 0);

    const store = await DuckDbStore.open({ file: duckDbFile(dataDir), readOnly: true });
    try {
      const rows = await store.query("SELECT pathname, json(props) AS props, json(query) AS query FROM events WHERE starts_with(pathname, '/poison/')");
      assertAllStoredOnce(casesStored(rows.map((r) => String(r.pathname))), acknowledged);
    } finally {
      await store.close();
    }
  });

  describe('PostgreSQL', () => {
    let db: { url: string; drop: () => Promise<void> } | string;
    before(async () => {
      db = await sharedPostgresDatabase('storable');
    }, { timeout: 60_000 });
    after(async () => {
      if (typeof db !== 'string') await db.drop();
    });

    test('PostgreSQL', { timeout: 60_000 }, async (t) => {
      if (typeof db === 'string') return skipOrFail(t, db);
      const env = { FOOTFALL_STORE: 'postgres', FOOTFALL_DATABASE_URL: db.url };
      const dataDir = tempDataDir('footfall-storable-pg-');
      const added = await runCli(dataDir, ['site', 'add', 'example.com'], { env });
      assert.equal(added.code, 0, added.stderr);
      const server = await startManaged(t, { dataDir, env: { ...env, FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
      try {
        const acknowledged = await sendAll(server);
        await assertStillHealthy(server);
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          // The text columns holding JSON must stay readable as jsonb (the query engine reads props that way).
          const { rows } = await client.query<{ pathname: string }>("SELECT pathname, props::jsonb, query::jsonb FROM events WHERE starts_with(pathname, '/poison/')");
          assertAllStoredOnce(casesStored(rows.map((r) => r.pathname)), acknowledged);
        } finally {
          await client.end();
        }
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    });
  });
});
