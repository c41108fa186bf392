/**
 * Checks of every Store method that the server adapters (Postgres, ClickHouse) share, run by
 * test/store/postgres.test.ts and test/store/clickhouse.test.ts against a real engine. Only
 * the SQL placeholders and the console's refusals differ per adapter.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { AppError, type ErrorCode } from '../../src/errors.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/store.js';

export interface AdapterSql {
  /** Placeholder of 1-based parameter `index` holding a value of `kind`. */
  param(index: number, kind: 'int' | 'text' | 'bool'): string;
  /** A query the console must cancel at its timeout (runs for seconds). */
  slowQuery: string;
  /** Console input -> the error code it must get. */
  refusals: Array<[sql: string, code: ErrorCode]>;
}

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0, 123);

export function eventRow(overrides: Partial<EventRow> = {}): EventRow {
  return {
    site_id: 1, ts: T0, name: 'pageview', hostname: 'example.com', pathname: '/', title: 'Home', query: '{}',
    referrer: '', referrer_source: '', utm_source: '', utm_medium: '', utm_campaign: '', utm_term: '', utm_content: '',
    country: 'DE', browser: 'Firefox', browser_version: '128.0', os: 'Linux', os_version: '', device: 'Desktop',
    screen_width: 1920, visitor_id: '42', session_id: '7', props: '{}', revenue_amount: null, revenue_currency: '',
    scroll_depth: null, engagement_ms: null, interactive: true, ip: null, headers: null,
    ...overrides,
  };
}

/** Segment directories made by this test process, removed when it exits. */
const segmentDirs: string[] = [];
process.once('exit', () => {
  for (const dir of segmentDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a spool segment: one JSON line per row, then `tail` (e.g. a line cut short by a crash). */
export function writeSegment(rows: EventRow[], tail = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-segment-'));
  segmentDirs.push(dir);
  const file = path.join(dir, 'segment.ndjson');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r) + '\n').join('') + tail);
  return file;
}

async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AppError, `expected AppError(${code}), got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

async function countEvents(store: Store, sql: AdapterSql, siteId: number): Promise<number> {
  const rows = await store.query(`SELECT count(*) AS n FROM events WHERE site_id = ${sql.param(1, 'int')}`, [siteId]);
  return Number(rows[0]?.n);
}

/** Runs every check as a subtest of `t`; `store` is migrated and empty. */
export async function runAdapterChecks(t: TestContext, store: Store, sql: AdapterSql): Promise<void> {
  await t.test('migrate is idempotent', async () => {
    await store.migrate();
    await store.migrate();
  });

  await t.test('sites: add, conflict, update, list, not found', async () => {
    const a = await store.addSite({ domain: 'b-site.example' });
    assert.deepEqual({ ...a, id: 0, createdAt: 0 }, { id: 0, domain: 'b-site.example', timezone: 'UTC', raw: false, saltRotationHours: 24, createdAt: 0 });
    assert.ok(Math.abs(a.createdAt - Date.now()) < 60_000, 'createdAt is now, in ms');
    const b = await store.addSite({ domain: 'a-site.example', timezone: 'Europe/Berlin', raw: true, saltRotationHours: 6 });
    assert.ok(Number.isInteger(a.id) && b.id > a.id, 'small increasing integer ids');
    await rejectsWith(store.addSite({ domain: 'b-site.example' }), 'conflict');
    const updated = await store.updateSite('b-site.example', { timezone: 'America/New_York' });
    assert.equal(updated.timezone, 'America/New_York');
    assert.equal(updated.raw, false, 'fields not in the patch keep their values');
    assert.deepEqual(await store.getSite('b-site.example'), updated);
    assert.equal(await store.getSite('nope.example'), undefined);
    assert.deepEqual((await store.listSites()).map((s) => s.domain), ['a-site.example', 'b-site.example']);
    await rejectsWith(store.updateSite('nope.example', { raw: true }), 'not_found');
    await rejectsWith(store.removeSite('nope.example'), 'not_found');
  });

  await t.test('goals', async () => {
    const site = (await store.getSite('a-site.example'))!;
    const signup = await store.addGoal(site.id, { kind: 'event', match: 'Signup' });
    const blog = await store.addGoal(site.id, { kind: 'page', match: '/blog*' });
    assert.equal(blog.displayName, 'Visit /blog*');
    assert.equal(signup.siteId, site.id);
    await rejectsWith(store.addGoal(site.id, { kind: 'event', match: 'Signup' }), 'conflict');
    assert.deepEqual((await store.listGoals(site.id)).map((g) => g.match), ['Signup', '/blog*']);
    await store.removeGoal(site.id, signup.id);
    await rejectsWith(store.removeGoal(site.id, signup.id), 'not_found');
    assert.deepEqual((await store.listGoals(site.id)).map((g) => g.id), [blog.id]);
  });

  await t.test('API keys', async () => {
    const key = await store.createApiKey({ name: 'ci', prefix: 'ff_abc', keyHash: 'h'.repeat(64), admin: false, siteIds: [1, 2] });
    assert.deepEqual({ ...key, id: 0, createdAt: 0 }, { id: 0, name: 'ci', prefix: 'ff_abc', keyHash: 'h'.repeat(64), admin: false, siteIds: [1, 2], createdAt: 0 });
    await rejectsWith(store.createApiKey({ name: 'dup', prefix: 'ff_x', keyHash: 'h'.repeat(64), admin: true, siteIds: [] }), 'conflict');
    assert.deepEqual(await store.findApiKeyByHash('h'.repeat(64)), key);
    assert.deepEqual((await store.listApiKeys()).map((k) => k.id), [key.id]);
    await store.revokeApiKey(key.id);
    assert.equal(await store.findApiKeyByHash('h'.repeat(64)), undefined);
    await rejectsWith(store.revokeApiKey(key.id), 'not_found');
  });

  await t.test('users, login sessions, share links', async () => {
    const user = await store.createUser({ email: 'Ada@Example.com', passwordHash: 'scrypt$x', role: 'member', siteIds: [3] });
    assert.equal(user.email, 'ada@example.com');
    await rejectsWith(store.createUser({ email: 'ada@example.com', passwordHash: 'y', role: 'admin', siteIds: [] }), 'conflict');
    assert.deepEqual(await store.findUserByEmail('ADA@example.com'), user);
    const changed = await store.updateUser(user.id, { role: 'viewer' });
    assert.deepEqual(changed, { ...user, role: 'viewer' });
    assert.deepEqual(await store.getUser(user.id), changed);
    assert.deepEqual((await store.listUsers()).map((u) => u.id), [user.id]);

    await store.createLoginSession({ idHash: 's1', userId: user.id, csrfToken: 'c1', expiresAt: T0 });
    await store.createLoginSession({ idHash: 's2', userId: user.id, csrfToken: 'c2', expiresAt: T0 + 10_000 });
    assert.deepEqual(await store.findLoginSession('s1'), { idHash: 's1', userId: user.id, csrfToken: 'c1', expiresAt: T0 });
    await store.deleteLoginSession('s1');
    assert.equal(await store.findLoginSession('s1'), undefined);
    await store.createLoginSession({ idHash: 's3', userId: user.id, csrfToken: 'c3', expiresAt: T0 - 1 });
    assert.equal(await store.deleteLoginSessionsBefore(T0), 1);
    assert.ok(await store.findLoginSession('s2'));
    await store.deleteUser(user.id);
    assert.equal(await store.getUser(user.id), undefined);
    assert.equal(await store.findLoginSession('s2'), undefined, 'deleting a user ends its sessions');
    await rejectsWith(store.deleteUser(user.id), 'not_found');

    const site = (await store.getSite('a-site.example'))!;
    const link = await store.createShareLink({ siteId: site.id, slug: 'slug-1', passwordHash: null });
    assert.deepEqual(await store.findShareLink('slug-1'), link);
    await rejectsWith(store.createShareLink({ siteId: site.id, slug: 'slug-1', passwordHash: 'p' }), 'conflict');
    assert.deepEqual(await store.listShareLinks(site.id), [link]);
    await store.deleteShareLink(site.id, link.id);
    await rejectsWith(store.deleteShareLink(site.id, link.id), 'not_found');
  });

  await t.test('salts: concurrent creators agree; old ones are deleted', async () => {
    const racers = Array.from({ length: 8 }, (_, i) => store.getOrCreateSalt('h24:1', () => `secret-${i}`, T0));
    const salts = await Promise.all(racers);
    assert.equal(new Set(salts.map((s) => s.secret)).size, 1, 'every caller gets the same secret');
    assert.deepEqual(salts[0], { period: 'h24:1', secret: salts[0]!.secret, createdAt: T0 });
    assert.deepEqual(await store.getOrCreateSalt('h24:1', () => 'other', T0 + 5), salts[0]);
    await store.getOrCreateSalt('h24:2', () => 'newer', T0 + 86_400_000);
    assert.equal(await store.deleteSaltsBefore(T0 + 1), 1);
    assert.equal((await store.getOrCreateSalt('h24:1', () => 'recreated', T0 + 2)).secret, 'recreated');
    assert.equal((await store.getOrCreateSalt('h24:2', () => 'x', T0)).secret, 'newer');
  });

  await t.test('ingestSegment: exactly once, a cut-short last line skipped', async () => {
    // A segment stores only rows of sites that exist: create them first.
    const site = (await store.addSite({ domain: 'ingest-a.example' })).id;
    const other = (await store.addSite({ domain: 'ingest-b.example' })).id;
    const rows = Array.from({ length: 250 }, (_, i) => eventRow({ site_id: site, ts: T0 + i, session_id: String(i % 5) }));
    const file = writeSegment(rows, `{"site_id":${site},"ts":17684784`);
    assert.equal(await store.hasSegment('seg-a'), false);
    assert.equal(await store.ingestSegment({ id: 'seg-a', path: file }), 250);
    assert.equal(await store.hasSegment('seg-a'), true);
    assert.equal(await store.ingestSegment({ id: 'seg-a', path: file }), 0, 'a recorded segment is skipped');
    assert.equal(await countEvents(store, sql, site), 250);

    const bad = writeSegment([eventRow({ site_id: other })], 'not json\n' + JSON.stringify(eventRow({ site_id: other })) + '\n');
    assert.equal(await store.ingestSegment({ id: 'seg-b', path: bad }), 2);
    assert.equal(await store.ingestSegment({ id: 'seg-empty', path: writeSegment([]) }), 0);
    await assert.rejects(store.ingestSegment({ id: 'seg-missing', path: path.join(os.tmpdir(), 'no-such-footfall-segment') }));
    assert.equal(await store.hasSegment('seg-missing'), false, 'a failed ingest records nothing');
    assert.equal(await store.hasSegment('seg-empty'), true);
  });

  await t.test('ingestSegment skips rows of a site removed while they waited in the spool', async () => {
    const kept = (await store.addSite({ domain: 'spool-kept.example' })).id;
    const removed = (await store.addSite({ domain: 'spool-removed.example' })).id;
    const neverAdded = removed + 1000;
    const file = writeSegment([
      ...Array.from({ length: 7 }, (_, i) => eventRow({ site_id: kept, ts: T0 + i, props: '{"site_id":1}' })),
      ...Array.from({ length: 5 }, (_, i) => eventRow({ site_id: removed, ts: T0 + i })),
      ...Array.from({ length: 3 }, (_, i) => eventRow({ site_id: neverAdded, ts: T0 + i })),
    ]);
    await store.removeSite('spool-removed.example');
    assert.equal(await store.ingestSegment({ id: 'seg-removed-site', path: file }), 7);
    assert.equal(await store.hasSegment('seg-removed-site'), true);
    assert.deepEqual([await countEvents(store, sql, kept), await countEvents(store, sql, removed), await countEvents(store, sql, neverAdded)], [7, 0, 0]);
  });

  await t.test('events keep their values: ms timestamps, signed 64-bit ids, nulls', async () => {
    const rows = [
      eventRow({ site_id: 92, ts: T0 + 1, visitor_id: '-9223372036854775808', session_id: '9223372036854775807', screen_width: null, interactive: false }),
      eventRow({ site_id: 92, ts: T0 + 2, visitor_id: '12345', session_id: '-1', revenue_amount: 19.99, revenue_currency: 'EUR', props: '{"plan":"pro"}', ip: '10.0.0.1', headers: '{"a":"b"}', scroll_depth: 80, engagement_ms: 1500 }),
    ];
    await store.insertEvents(rows);
    await store.insertEvents([]);
    const got = await store.query(`SELECT * FROM events WHERE site_id = ${sql.param(1, 'int')} ORDER BY ts`, [92]);
    assert.equal(got.length, 2);
    for (const [i, row] of rows.entries()) {
      const expected: Record<string, unknown> = { ...row };
      for (const id of ['visitor_id', 'session_id'] as const) {
        const n = Number(row[id]);
        expected[id] = Number.isSafeInteger(n) ? n : row[id];
      }
      assert.deepEqual(got[i], expected);
    }
  });

  await t.test('query binds parameters with their types', async () => {
    const rows = await store.query(
      `SELECT ${sql.param(1, 'text')} AS s, ${sql.param(2, 'int')} + 1 AS n, ${sql.param(3, 'bool')} AS b`,
      ["it's a 'quote'; DROP TABLE events --", 41, true],
    );
    assert.deepEqual(rows, [{ s: "it's a 'quote'; DROP TABLE events --", n: 42, b: true }]);
  });

  await t.test('stream yields bounded chunks and stops cleanly', async () => {
    await store.insertEvents(Array.from({ length: 2500 }, (_, i) => eventRow({ site_id: 93, ts: T0 + i })));
    const sizes: number[] = [];
    let last = -1;
    for await (const chunk of store.stream(`SELECT ts FROM events WHERE site_id = ${sql.param(1, 'int')} ORDER BY ts`, [93])) {
      sizes.push(chunk.length);
      for (const row of chunk) {
        assert.ok(Number(row.ts) > last);
        last = Number(row.ts);
      }
    }
    assert.equal(sizes.reduce((a, b) => a + b, 0), 2500);
    assert.ok(sizes.length >= 3 && sizes.every((n) => n <= 1000), `chunks ${sizes.join(',')}`);
    for await (const chunk of store.stream('SELECT ts FROM events', [])) {
      assert.ok(chunk.length > 0);
      break;
    }
    assert.equal(await countEvents(store, sql, 93), 2500, 'the store still answers after an abandoned stream');
  });

  await t.test('recentSessions: the latest session per visitor since a time', async () => {
    await store.insertEvents([
      eventRow({ site_id: 94, visitor_id: '1', session_id: '100', ts: T0 + 1000 }),
      eventRow({ site_id: 94, visitor_id: '1', session_id: '101', ts: T0 + 5000 }),
      eventRow({ site_id: 94, visitor_id: '-2', session_id: '-200', ts: T0 + 3000 }),
      eventRow({ site_id: 94, visitor_id: '3', session_id: '300', ts: T0 - 100_000 }),
    ]);
    const sessions = (await store.recentSessions(T0)).filter((s) => s.site_id === 94)
      .sort((a, b) => a.visitor_id.localeCompare(b.visitor_id));
    assert.deepEqual(sessions, [
      { site_id: 94, visitor_id: '-2', session_id: '-200', last_ts: T0 + 3000 },
      { site_id: 94, visitor_id: '1', session_id: '101', last_ts: T0 + 5000 },
    ]);
  });

  await t.test('removing a site removes its events, goals and share links only', async () => {
    const doomed = await store.addSite({ domain: 'doomed.example' });
    const kept = (await store.getSite('a-site.example'))!;
    await store.insertEvents([eventRow({ site_id: doomed.id }), eventRow({ site_id: doomed.id }), eventRow({ site_id: kept.id })]);
    await store.addGoal(doomed.id, { kind: 'event', match: 'x' });
    await store.createShareLink({ siteId: doomed.id, slug: 'doomed-link', passwordHash: null });
    await store.removeSite('doomed.example');
    assert.equal(await store.getSite('doomed.example'), undefined);
    assert.equal(await countEvents(store, sql, doomed.id), 0);
    assert.equal(await countEvents(store, sql, kept.id), 1);
    assert.deepEqual(await store.listGoals(doomed.id), []);
    assert.equal(await store.findShareLink('doomed-link'), undefined);
    const again = await store.addSite({ domain: 'doomed.example' });
    assert.notEqual(again.id, doomed.id, 'ids are not reused');
  });

  await t.test('read-only SQL console', async (t) => {
    const ok = await store.readOnlySql('SELECT site_id, ts FROM events WHERE site_id = 92 ORDER BY ts', { timeoutMs: 10_000, maxRows: 100 });
    assert.deepEqual(ok, { columns: ['site_id', 'ts'], rows: [[92, T0 + 1], [92, T0 + 2]], truncated: false });
    const cut = await store.readOnlySql('SELECT ts FROM events WHERE site_id = 93 ORDER BY ts', { timeoutMs: 10_000, maxRows: 10 });
    assert.equal(cut.rows.length, 10);
    assert.equal(cut.truncated, true);
    for (const [text, code] of sql.refusals) {
      await t.test(`${code}: ${text}`, () => rejectsWith(store.readOnlySql(text, { timeoutMs: 10_000, maxRows: 10 }), code));
    }
    // Credentials and salts stay out of reach whatever Footfall's database user may read.
    await store.getOrCreateSalt('h24:console', () => 'console-salt-secret', T0);
    for (const table of ['users', 'login_sessions', 'api_keys', 'salts', 'share_links']) {
      for (const text of [`SELECT * FROM ${table}`, `SELECT count(*) AS n FROM events WHERE site_id IN (SELECT 1 FROM ${table})`,
        `WITH x AS (SELECT * FROM ${table}) SELECT * FROM x`, `SELECT (SELECT count(*) FROM ${table}) AS n`]) {
        await t.test(`forbidden: ${text}`, () => rejectsWith(store.readOnlySql(text, { timeoutMs: 10_000, maxRows: 10 }), 'forbidden'));
      }
    }
    // A check made on the analysed query comes too late when analysing runs scalar subqueries:
    // the failing cast would put the secret into the error message.
    await t.test('forbidden, and no secret in the message: a scalar subquery that fails on a salt', () => assert.rejects(
      store.readOnlySql('SELECT (SELECT CAST(secret AS INTEGER) FROM salts LIMIT 1) AS n', { timeoutMs: 10_000, maxRows: 10 }),
      (err: unknown) => {
        assert.ok(err instanceof AppError && err.code === 'forbidden', String(err));
        assert.doesNotMatch(err.message, /console-salt-secret/);
        return true;
      }));
    assert.deepEqual((await store.readOnlySql('SELECT count(*) AS n FROM sites WHERE id IN (SELECT site_id FROM goals)', { timeoutMs: 10_000, maxRows: 10 })).rows.length, 1);
    const started = Date.now();
    await rejectsWith(store.readOnlySql(sql.slowQuery, { timeoutMs: 300, maxRows: 10 }), 'timeout');
    assert.ok(Date.now() - started < 5000, `cancelled after ${Date.now() - started} ms`);
    assert.equal(await countEvents(store, sql, 92), 2, 'nothing the console was refused changed the data');
  });
}
