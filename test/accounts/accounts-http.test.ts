/**
 * Accounts over HTTP against the real server: one-time setup, cookie attributes, CSRF, session
 * rotation, login rate limiting, logout, roles on the dashboard's routes, `footfall user add`
 * through the running server, and share links (password, revocation).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../helpers/server.js';
import { SessionClient, setupTokenFrom } from './session-client.js';

const ADMIN = { email: 'admin@example.org', password: 'admin password 1' };

test('accounts: setup, sessions, CSRF, rate limits, roles and share links', { timeout: 60_000 }, async (t) => {
  // --trust-proxy lets the test speak as https (X-Forwarded-Proto) and as distinct client IPs.
  const server = await startServer({ args: ['--trust-proxy'] });
  t.after(() => server.stop());
  const token = setupTokenFrom(server.output());
  const ip = (n: number) => ({ 'x-forwarded-for': `10.0.0.${n}` });

  await t.test('first start: setup is required and works once, with the printed token only', async () => {
    const anon = new SessionClient(server.url, ip(1));
    assert.equal((await anon.get('/api/ui/session')).body.setupRequired, true);
    assert.equal((await anon.post('/api/ui/setup', { token: 'wrong', ...ADMIN })).status, 403);
    assert.equal((await anon.post('/api/ui/setup', { token, ...ADMIN }, { origin: 'http://evil.example' })).status, 403, 'cross-site refused');
    const ok = await anon.post('/api/ui/setup', { token, ...ADMIN }, { 'x-forwarded-proto': 'https' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const cookie = ok.setCookies.find((c) => c.startsWith('ff_session='));
    assert.ok(cookie, 'session cookie set');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Secure/, 'Secure under https');
    assert.equal((await new SessionClient(server.url, ip(1)).post('/api/ui/setup', { token, email: 'x@y.z', password: 'another one 1' })).status, 403, 'token used up');
    assert.equal((await anon.get('/api/ui/session')).body.setupRequired, false);
  });

  await t.test('login sets a plain-http cookie without Secure, rotates the session, and logout ends it', async () => {
    const browser = new SessionClient(server.url, ip(2));
    const first = await browser.post('/api/ui/login', ADMIN);
    assert.equal(first.status, 200);
    assert.doesNotMatch(first.setCookies.join(), /Secure/);
    const before = browser.cookies.get('ff_session')!;
    await browser.post('/api/ui/login', ADMIN);
    const after = browser.cookies.get('ff_session')!;
    assert.notEqual(before, after, 'a new session id at every login');
    const stale = await fetch(`${server.url}/api/ui/session`, { headers: { cookie: `ff_session=${before}` } });
    assert.equal(((await stale.json()) as { user: unknown }).user, null, 'the previous session is gone');

    const csrf = browser.csrf;
    browser.csrf = undefined;
    assert.equal((await browser.post('/api/ui/sites', { domain: 'nocsrf.example' })).status, 403, 'no CSRF token, no change');
    browser.csrf = 'forged';
    assert.equal((await browser.post('/api/ui/sites', { domain: 'nocsrf.example' })).status, 403);
    browser.csrf = csrf;
    assert.equal((await browser.post('/api/ui/logout')).status, 200);
    assert.equal((await browser.get('/api/ui/session')).body.user, null);
    assert.equal((await browser.get('/api/ui/sites')).status, 401);
  });

  await t.test('login is rate limited per account and per client', async () => {
    const attacker = new SessionClient(server.url, ip(3));
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const answer = await attacker.post('/api/ui/login', { email: 'victim@example.org', password: `guess ${i}` });
      if (answer.status === 429) limited++;
      else assert.equal(answer.status, 401);
    }
    assert.ok(limited >= 2, `the 11th and later attempts are refused (${limited})`);
    const flood = new SessionClient(server.url, ip(4));
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await flood.post('/api/ui/login', { email: `u${i}@example.org`, password: 'whatever 1' })).status);
    assert.equal(statuses.at(-1), 429, 'many accounts from one client');
  });

  const admin = new SessionClient(server.url, ip(5));
  await admin.post('/api/ui/login', ADMIN);
  for (const domain of ['a.example', 'b.example']) assert.equal((await admin.post('/api/ui/sites', { domain })).status, 200);

  await t.test('`footfall user add` takes the password on stdin, through the running server', async () => {
    const added = await server.cli(['user', 'add', 'viewer@example.org', '--role', 'viewer', '--site', 'a.example'], { stdin: 'viewer password 1\n' });
    assert.equal(added.code, 0, added.stderr);
    const noPassword = await server.cli(['user', 'add', 'nobody@example.org', '--role', 'viewer']);
    assert.notEqual(noPassword.code, 0);
    assert.match(noPassword.stderr, /stdin/);
    const list = await server.cli(['user', 'list', '--format', 'json']);
    assert.deepEqual((JSON.parse(list.stdout) as Array<{ email: string }>).map((u) => u.email), ['admin@example.org', 'viewer@example.org']);
  });

  await t.test('a viewer sees only its sites and changes nothing', async () => {
    const viewer = new SessionClient(server.url, ip(6));
    assert.equal((await viewer.post('/api/ui/login', { email: 'viewer@example.org', password: 'viewer password 1' })).status, 200);
    const sites = (await viewer.get('/api/ui/sites')).body.sites as Array<{ domain: string; canWrite: boolean }>;
    assert.deepEqual(sites.map((s) => [s.domain, s.canWrite]), [['a.example', false]]);
    assert.equal((await viewer.get('/api/ui/sites/b.example')).status, 404);
    assert.equal((await viewer.get('/api/ui/sites/b.example/goals')).status, 404);
    assert.equal((await viewer.send('PATCH', '/api/ui/sites/a.example', { timezone: 'Europe/Berlin' })).status, 403);
    assert.equal((await viewer.post('/api/ui/sites/a.example/goals', { kind: 'event', match: 'Signup' })).status, 403);
    assert.equal((await viewer.post('/api/ui/sites/a.example/shares', {})).status, 403);
    assert.equal((await viewer.get('/api/ui/users')).status, 403);
    assert.equal((await viewer.get('/api/ui/drops')).status, 403);
    assert.equal((await viewer.post('/api/ui/sites', { domain: 'c.example' })).status, 403);
  });

  await t.test('the Stats API takes the login session (CSRF-checked) and keeps each user to its sites', async () => {
    const body = { site_id: 'a.example', metrics: ['visitors'], date_range: '7d' };
    assert.equal((await admin.post('/api/v2/query', body)).status, 200);
    const csrf = admin.csrf;
    admin.csrf = undefined;
    assert.equal((await admin.post('/api/v2/query', body)).status, 403, 'POST without the CSRF token');
    admin.csrf = csrf;
    assert.equal((await admin.get('/api/v2/realtime?site_id=b.example')).status, 200);
    assert.equal((await new SessionClient(server.url).get('/api/v2/realtime?site_id=a.example')).status, 401, 'no session, no key');

    const viewer = new SessionClient(server.url, ip(8));
    await viewer.post('/api/ui/login', { email: 'viewer@example.org', password: 'viewer password 1' });
    assert.equal((await viewer.post('/api/v2/query', body)).status, 200);
    assert.equal((await viewer.post('/api/v2/query', { ...body, site_id: 'b.example' })).status, 403);
    assert.equal((await viewer.post('/api/v2/sql', { sql: 'select 1' })).status, 403);

    // No site assigned means no site (for API keys an empty list means all).
    const added = await server.cli(['user', 'add', 'nosites@example.org', '--role', 'member'], { stdin: 'member password 1\n' });
    assert.equal(added.code, 0, added.stderr);
    const nobody = new SessionClient(server.url, ip(9));
    assert.equal((await nobody.post('/api/ui/login', { email: 'nosites@example.org', password: 'member password 1' })).status, 200);
    for (const site_id of ['a.example', 'b.example']) assert.equal((await nobody.post('/api/v2/query', { ...body, site_id })).status, 403);
    assert.deepEqual((await nobody.get('/api/ui/sites')).body.sites, []);
  });

  await t.test('deleting a site needs an admin and its domain typed again', async () => {
    assert.equal((await admin.send('DELETE', '/api/ui/sites/b.example', { confirm: 'b' })).status, 400);
    assert.equal((await admin.send('DELETE', '/api/ui/sites/b.example', { confirm: 'b.example' })).status, 200);
    assert.equal((await admin.get('/api/ui/sites/b.example')).status, 404);
  });

  await t.test('share links: password, unlock cookie, revocation', async () => {
    const created = await admin.post('/api/ui/sites/a.example/shares', { password: 'share password' });
    assert.equal(created.status, 200);
    const share = created.body.share as { id: number; slug: string };
    const visitor = new SessionClient(server.url, ip(7));
    const locked = await visitor.get(`/api/share/${share.slug}`);
    assert.deepEqual(locked.body, { protected: true, unlocked: false, site: null });
    assert.equal((await visitor.get('/api/ui/sites/a.example', { 'x-footfall-share': share.slug })).status, 401);
    assert.equal((await visitor.post(`/api/share/${share.slug}/unlock`, { password: 'wrong password' })).status, 401);
    assert.equal((await visitor.post(`/api/share/${share.slug}/unlock`, { password: 'share password' })).status, 200);
    assert.deepEqual((await visitor.get(`/api/share/${share.slug}`)).body.site, { domain: 'a.example', timezone: 'UTC' });
    assert.equal((await visitor.get('/api/ui/sites/a.example', { 'x-footfall-share': share.slug })).status, 200);
    assert.equal((await visitor.get('/api/ui/sites/b.example', { 'x-footfall-share': share.slug })).status, 404);
    assert.equal((await admin.send('DELETE', `/api/ui/sites/a.example/shares/${share.id}`)).status, 200);
    assert.equal((await visitor.get(`/api/share/${share.slug}`)).status, 404);
    assert.equal((await visitor.get('/api/ui/sites/a.example', { 'x-footfall-share': share.slug })).status, 404);
  });
});
