/** The /api/v2 routes over HTTP (Fastify inject): auth and scopes, query, reports, export, realtime, SQL. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { fixedClock } from '../../src/clock.js';
import { handleError } from '../../src/server/http-errors.js';
import type { AppDeps } from '../../src/server/deps.js';
import { statsRoutes } from '../../src/server/routes/stats-api.js';
import { cli } from './support/command-context.js';
import { loadDataset, NOW, type Dataset } from './support/dataset.js';
import { localOf, refQuery } from './support/reference.js';
import { refReport } from './support/reference-reports.js';

const ADMIN_TOKEN = 'local-admin-token-for-tests';
let data: Dataset;
let app: FastifyInstance;
const clock = fixedClock(NOW);
const keys = { scoped: '', all: '', admin: '' };

before(async () => {
  data = await loadDataset(8_000);
  app = Fastify({ logger: false });
  app.setErrorHandler(handleError);
  await statsRoutes(app, { store: data.store, clock, adminToken: ADMIN_TOKEN } as unknown as AppDeps);
  await app.ready();
  const create = async (args: string[]) => {
    const r = await cli(data.store, NOW, 'key', ['create', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  keys.scoped = await create(['--name', 'scoped', '--site', 'site1.example', '--site', 'site3.example']);
  keys.all = await create(['--name', 'every site']);
  keys.admin = await create(['--name', 'ops', '--admin']);
});
after(async () => {
  await app?.close();
  await data?.close();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const query = (key: string, body: unknown) => app.inject({ method: 'POST', url: '/api/v2/query', headers: auth(key), payload: body as object });

describe('authentication and scopes', () => {
  test('no key, an unknown key or a malformed header get 401', async () => {
    for (const headers of [{}, auth('ff_not-a-real-key'), { authorization: 'Basic abc' }]) {
      const res = await app.inject({ method: 'GET', url: '/api/v2/realtime?site_id=site1.example', headers });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'unauthorized');
    }
  });

  test('a scoped key reads its sites only; others get 403 without learning what exists', async () => {
    const body = { site_id: 'site1.example', metrics: ['visitors'], date_range: '7d' };
    assert.equal((await query(keys.scoped, body)).statusCode, 200);
    for (const site of ['site2.example', 'nowhere.example']) {
      const res = await query(keys.scoped, { ...body, site_id: site });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(Object.keys(res.json().error), ['code', 'message']);
      assert.equal(res.json().error.code, 'forbidden');
    }
    assert.equal((await query(keys.all, { ...body, site_id: 'site2.example' })).statusCode, 200);
    const missing = await query(keys.all, { ...body, site_id: 'nowhere.example' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error.message, /^site_id: no site nowhere\.example/);
  });

  test('a revoked key stops working', async () => {
    const created = await cli(data.store, NOW, 'key', ['create', '--name', 'temporary']);
    const key = created.stdout.trim();
    assert.equal((await query(key, { site_id: 'site1.example', metrics: ['visitors'], date_range: 'day' })).statusCode, 200);
    const listed = await cli(data.store, NOW, 'key', ['list', '--format', 'json']);
    const id = (JSON.parse(listed.stdout) as Array<{ id: number; name: string; key: string }>).find((k) => k.name === 'temporary')!;
    assert.ok(key.startsWith(id.key.replace('...', '')), 'the list shows only the prefix');
    assert.ok(!listed.stdout.includes(key), 'the list never shows the key');
    assert.equal((await cli(data.store, NOW, 'key', ['revoke', String(id.id)])).code, 0);
    assert.equal((await query(key, { site_id: 'site1.example', metrics: ['visitors'], date_range: 'day' })).statusCode, 401);
  });
});

describe('POST /api/v2/query', () => {
  test('answers like the reference, with the normalized query echoed', async () => {
    const body = { site_id: 'site1.example', metrics: ['visitors', 'visits', 'bounce_rate'], date_range: '30d', dimensions: ['visit:source'], pagination: { limit: 5 }, include: { total_rows: true } };
    const res = await query(keys.scoped, body);
    assert.equal(res.statusCode, 200);
    const json = res.json();
    const site = data.sites[0]!;
    const expected = refQuery(data.rows, site, data.goals.get(site.id)!, body, NOW);
    assert.deepEqual(json.results, expected.results);
    assert.equal(json.meta.total_rows, expected.meta.total_rows);
    assert.deepEqual(json.query.date_range, ['2024-03-07', '2024-04-05']);
    assert.deepEqual(json.query.dimensions, ['visit:source']);
  });

  test('bad input is a 400 naming the field, never a 5xx', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ site_id: 'site1.example', metrics: ['visitorz'], date_range: '7d' }, /^metrics\[0\]: unknown metric/],
      [{ site_id: 'site1.example', metrics: ['visitors'], date_range: ['2024-04-02', '2024-03-01'] }, /^date_range: the end date/],
      [{ site_id: 'site1.example', metrics: ['visitors'], date_range: '7d', filters: [['matches', 'event:page', ['(']]] }, /^filters\[0\]\[2\]\[0\]: the regular expression/],
      [{ site_id: 'site1.example', metrics: ['visitors'], date_range: '7d', pagination: { limit: 20_000 } }, /^pagination\.limit:/],
      [[1, 2], /query must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await query(keys.scoped, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().error.code, 'invalid_query');
      assert.match(res.json().error.message, message);
    }
  });
});

describe('GET /api/v2/reports/:name', () => {
  test('visitor-paths and top-pages equal the reference', async () => {
    const res = await app.inject({ url: '/api/v2/reports/visitor-paths?site_id=site3.example&date_range=2024-03-01,2024-03-31&limit=3', headers: auth(keys.scoped) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().rows, refReport(data.rows, data.sites[2]!, 'visitor-paths', ['2024-03-01', '2024-03-31'], { limit: 3 }));
    const pages = await app.inject({ url: '/api/v2/reports/top-pages?site_id=site1.example&date_range=["2024-03-01","2024-03-31"]&by=path', headers: auth(keys.scoped) });
    assert.deepEqual(pages.json().rows, refReport(data.rows, data.sites[0]!, 'top-pages', ['2024-03-01', '2024-03-31'], { by: 'path' }));
  });

  test('bad report input is a 400 naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/api/v2/reports/top-referrers?site_id=site1.example', /^report: unknown report/],
      ['/api/v2/reports/hour-buckets?site_id=site1.example&bucket_hours=25', /^bucket_hours: expected an integer from 1 to 24/],
      ['/api/v2/reports/pageviews?site_id=site1.example&date_range=last-week', /^date_range: expected/],
      ['/api/v2/reports/top-pages?site_id=site1.example&by=url', /^by: expected "title" or "path"/],
    ];
    for (const [url, message] of cases) {
      const res = await app.inject({ url, headers: auth(keys.scoped) });
      assert.equal(res.statusCode, 400, url);
      assert.match(res.json().error.message, message);
    }
  });
});

describe('GET /api/v2/export', () => {
  const inRange = (siteIndex: number, from: string, to: string) => {
    const site = data.sites[siteIndex]!;
    return data.rows.filter((r) => r.site_id === site.id && localOf(site.timezone, r.ts).date >= from && localOf(site.timezone, r.ts).date <= to);
  };

  test('NDJSON holds every event of the range and no IP or headers for a private site', async () => {
    const res = await app.inject({ url: '/api/v2/export?site_id=site1.example&date_range=2024-03-30,2024-03-31&format=ndjson', headers: auth(keys.scoped) });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const expected = inRange(0, '2024-03-30', '2024-03-31');
    assert.equal(lines.length, expected.length);
    assert.ok(lines.every((l) => !('ip' in l) && !('headers' in l)));
    const key = (r: Record<string, unknown>) => `${String(r.ts)}|${String(r.session_id)}|${String(r.name)}|${String(r.pathname)}`;
    assert.deepEqual(lines.map(key).sort(), expected.map((r) => key({ ...r, ts: new Date(r.ts).toISOString() } as Record<string, unknown>)).sort());
    const first = expected.find((r) => r.props !== '{}')!;
    const line = lines.find((l) => l.ts === new Date(first.ts).toISOString() && l.session_id === first.session_id && l.name === first.name)!;
    assert.equal(line.props, first.props);
    assert.equal(line.visitor_id, first.visitor_id);
  });

  test('CSV of a raw site includes IP and headers', async () => {
    const res = await app.inject({ url: '/api/v2/export?site_id=site3.example&date_range=2024-03-30,2024-03-30&format=csv', headers: auth(keys.scoped) });
    assert.equal(res.statusCode, 200);
    const lines = res.body.trim().split('\n');
    assert.ok(lines[0]!.endsWith(',ip,headers'));
    assert.equal(lines.length - 1, inRange(2, '2024-03-30', '2024-03-30').length);
    assert.match(lines[1]!, /"\{""user-agent"":""Mozilla/);
  });

  test('a bad format is a 400', async () => {
    const res = await app.inject({ url: '/api/v2/export?site_id=site1.example&format=xml', headers: auth(keys.scoped) });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /^format: expected "csv" or "ndjson"/);
  });
});

describe('GET /api/v2/realtime', () => {
  test('counts the visitors of the last 5 minutes and their pages', async () => {
    const site = data.sites[0]!;
    const last = Math.max(...data.rows.filter((r) => r.site_id === site.id && r.ts < NOW).map((r) => r.ts));
    clock.set(last + 60_000);
    try {
      const res = await app.inject({ url: '/api/v2/realtime?site_id=site1.example', headers: auth(keys.scoped) });
      assert.equal(res.statusCode, 200);
      const recent = data.rows.filter((r) => r.site_id === site.id && r.name !== 'engagement' && r.ts >= last + 60_000 - 300_000 && r.ts <= last + 60_000);
      assert.ok(recent.length > 0);
      assert.equal(res.json().visitors, new Set(recent.map((r) => r.visitor_id)).size);
      assert.equal(res.json().pageviews, recent.filter((r) => r.name === 'pageview').length);
      const pages = res.json().top_pages as Array<{ page: string; pageviews: number }>;
      assert.equal(pages.reduce((n, p) => n + p.pageviews, 0), recent.filter((r) => r.name === 'pageview').length);
    } finally {
      clock.set(NOW);
    }
  });
});

describe('POST /api/v2/sql', () => {
  const sql = (key: string, body: unknown) => app.inject({ method: 'POST', url: '/api/v2/sql', headers: auth(key), payload: body as object });

  test('admin keys and the local admin token only', async () => {
    for (const key of [keys.scoped, keys.all]) {
      const res = await sql(key, { sql: 'select 1' });
      assert.equal(res.statusCode, 403);
      assert.match(res.json().error.message, /admin/);
    }
    for (const key of [keys.admin, ADMIN_TOKEN]) {
      const res = await sql(key, { sql: 'select count(*) as n from events' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { columns: ['n'], rows: [[data.rows.length]], truncated: false });
    }
  });

  test('writes are refused and a missing statement is a 400', async () => {
    assert.equal((await sql(keys.admin, { sql: 'delete from events' })).statusCode, 403);
    assert.equal((await sql(keys.admin, {})).statusCode, 400);
    assert.deepEqual((await sql(keys.admin, { sql: 'select count(*) as n from events' })).json().rows, [[data.rows.length]]);
  });
});
