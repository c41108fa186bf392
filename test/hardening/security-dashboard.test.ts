/**
 * Security of the dashboard's routes (issue 7), against the real server: login brute force is
 * slowed (per client, per account, and a locked account refuses even the right password),
 * session cookies (flags, entropy, fixation, rotation, logout), CSRF on every state-changing
 * route, security headers on every page, and isolation between sites for viewers and share
 * links. The server trusts X-Forwarded-For / -Proto here so the test can speak as many clients
 * and as https; that X-Forwarded-For is ignored otherwise is checked in security.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DASHBOARD_CSP } from '../../src/server/routes/ui-static.js';
import { runCli, startServer, tempDataDir, type RunningServer } from '../helpers/server.js';
import { CookieClient } from '../helpers/cookie-client.js';
import { isRunning } from './support/managed.js';

const ADMIN = { email: 'admin@example.org', password: 'admin password 1' };
const VIEWER = { email: 'viewer@example.org', password: 'viewer password 1' };
let server: RunningServer;
let nextIp = 1;
/** A client with its own address (the server trusts X-Forwarded-For in this file). */
const client = (headers: Record<string, string> = {}) => new CookieClient(server.url, { 'x-forwarded-for': `10.9.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`, ...headers });

async function login(who: { email: string; password: string }, headers: Record<string, string> = {}): Promise<CookieClient> {
  const browser = client(headers);
  const answer = await browser.post('/api/ui/login', who);
  assert.equal(answer.status, 200, `login ${who.email}: ${answer.text}`);
  return browser;
}

async function addUser(email: string, role: string, password: string, sites: string[] = []): Promise<void> {
  const added = await server.cli(['user', 'add', email, '--role', role, ...sites.flatMap((s) => ['--site', s])], { stdin: `${password}\n` });
  assert.equal(added.code, 0, added.stderr);
}

after(async () => {
  if (server && isRunning(server)) await server.stop();
});

before(async () => {
  const dataDir = tempDataDir('footfall-dashboard-security-');
  for (const args of [['a.example', '--raw'], ['b.example']]) assert.equal((await runCli(dataDir, ['site', 'add', ...args])).code, 0);
  server = await startServer({ dataDir, args: ['--trust-proxy'], env: { FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
  await addUser(ADMIN.email, 'admin', ADMIN.password);
  await addUser(VIEWER.email, 'viewer', VIEWER.password, ['a.example']);
  for (const domain of ['a.example', 'b.example']) {
    const res = await fetch(`${server.url}/a.gif?${new URLSearchParams({ url: `https://${domain}/secret-${domain}`, t: 'T', ref: '' })}`, {
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 UaProbe', 'x-forwarded-for': '198.51.100.66' },
    });
    assert.equal(res.headers.get('x-footfall-dropped'), null);
  }
}, { timeout: 60_000 });

describe('login brute force', { timeout: 120_000 }, () => {
  test('one client guessing many accounts is stopped', async () => {
    const attacker = client();
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await attacker.post('/api/ui/login', { email: `guess${i}@example.org`, password: 'guess password' })).status);
    assert.ok(statuses.slice(0, 20).every((s) => s === 401), statuses.join());
    assert.ok(statuses.slice(21).every((s) => s === 429), `attempts past the limit are refused: ${statuses.join()}`);
  });

  test('many clients guessing one account are stopped, and the locked account refuses the right password too', async () => {
    await addUser('victim@example.org', 'viewer', 'victim password 1', ['a.example']);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client().post('/api/ui/login', { email: 'victim@example.org', password: `guess ${i}` })).status);
    assert.ok(statuses.slice(-2).every((s) => s === 429), `rotating client addresses does not help: ${statuses.join()}`);
    // Were the right password let through now, a 200 among 429s would confirm a guess.
    const right = await client().post('/api/ui/login', { email: 'VICTIM@example.org ', password: 'victim password 1' });
    assert.equal(right.status, 429, 'while locked, even the right password gets 429');
    assert.equal(right.setCookies.length, 0);
  });
});

describe('session cookies', { timeout: 120_000 }, () => {
  test('HttpOnly, SameSite, Path=/, Secure under https, 256 random bits', async () => {
    for (const https of [true, false]) {
      const browser = client(https ? { 'x-forwarded-proto': 'https' } : {});
      const answer = await browser.post('/api/ui/login', ADMIN);
      assert.equal(answer.status, 200);
      const cookie = answer.setCookies.find((c) => c.startsWith('ff_session='));
      assert.ok(cookie, 'a session cookie');
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      assert.ok(attributes.includes('httponly'), cookie);
      assert.ok(attributes.includes('samesite=lax') || attributes.includes('samesite=strict'), cookie);
      assert.ok(attributes.includes('path=/'), cookie);
      assert.equal(attributes.includes('secure'), https, `Secure exactly when the request came over https: ${cookie}`);
      assert.ok(browser.cookies.get('ff_session')!.length >= 43, 'at least 256 bits, base64url');
    }
  });

  test('a session id planted before login is never promoted (fixation), and logging in again rotates it', async () => {
    // An attacker's own valid session, planted in the victim's browser, then the victim logs in.
    const attacker = await login(VIEWER);
    const planted = attacker.cookies.get('ff_session')!;
    const victim = client();
    victim.cookies.set('ff_session', planted);
    const answer = await victim.post('/api/ui/login', ADMIN);
    assert.equal(answer.status, 200);
    assert.notEqual(victim.cookies.get('ff_session'), planted, 'a fresh id at login');
    const replay = await attacker.get('/api/ui/session');
    assert.notEqual((replay.body.user as { role?: string } | null)?.role, 'admin', 'the planted id did not become an admin session');
    // A made-up id is not accepted either.
    const madeUp = client();
    madeUp.cookies.set('ff_session', randomBytes(32).toString('base64url'));
    assert.equal((await madeUp.get('/api/ui/session')).body.user, null);

    const before = victim.cookies.get('ff_session')!;
    await victim.post('/api/ui/login', ADMIN);
    assert.notEqual(victim.cookies.get('ff_session'), before);
    const old = client();
    old.cookies.set('ff_session', before);
    assert.equal((await old.get('/api/ui/session')).body.user, null, 'the previous id is dead');
  });

  test('logout ends the session on the server, not only in the browser', async () => {
    const browser = await login(ADMIN);
    const id = browser.cookies.get('ff_session')!;
    assert.equal((await browser.post('/api/ui/logout')).status, 200);
    const replay = client();
    replay.cookies.set('ff_session', id);
    assert.equal((await replay.get('/api/ui/session')).body.user, null);
    assert.equal((await replay.get('/api/ui/sites')).status, 401);
  });
});

describe('CSRF', { timeout: 120_000 }, () => {
  test('every state-changing route refuses a request without the session\'s own token, and changes nothing', async () => {
    const admin = await login(ADMIN);
    const viewer = await login(VIEWER);
    const users = (await admin.get('/api/ui/users')).body.users as Array<{ id: number; email: string }>;
    const viewerId = users.find((u) => u.email === VIEWER.email)!.id;
    const requests: Array<[string, string, unknown]> = [
      ['POST', '/api/ui/sites', { domain: 'csrf.example' }],
      ['PATCH', '/api/ui/sites/a.example', { timezone: 'Europe/Berlin' }],
      ['DELETE', '/api/ui/sites/b.example', { confirm: 'b.example' }],
      ['POST', '/api/ui/sites/a.example/goals', { kind: 'event', match: 'Csrf' }],
      ['POST', '/api/ui/sites/a.example/shares', {}],
      ['POST', '/api/ui/users', { email: 'csrf@example.org', password: 'csrf password 1', role: 'admin' }],
      ['PATCH', `/api/ui/users/${viewerId}`, { role: 'admin' }],
      ['DELETE', `/api/ui/users/${viewerId}`, undefined],
      ['POST', '/api/ui/password', { current: ADMIN.password, next: 'changed password 1' }],
      ['POST', '/api/v2/query', { site_id: 'a.example', metrics: ['visitors'], date_range: '7d' }],
      ['POST', '/api/ui/logout', undefined],
    ];
    const own = admin.csrf!;
    const accepted: string[] = [];
    for (const [method, path, body] of requests) {
      for (const [label, token, type] of [['no token', undefined, 'application/json'], ['a forged token', 'forged', 'application/json'],
        ['another session\'s token', viewer.csrf, 'application/json'], ['a form-like text/plain body', undefined, 'text/plain']] as const) {
        admin.csrf = token;
        const answer = await admin.send(method, path, body === undefined ? undefined : JSON.stringify(body), { 'content-type': type });
        if (answer.status < 400) accepted.push(`${method} ${path} with ${label}: ${answer.status}`);
      }
    }
    admin.csrf = own;
    assert.deepEqual(accepted, [], 'requests without the right CSRF token were accepted');
    assert.equal((await admin.get('/api/ui/session')).body.user !== null, true, 'still logged in (logout was refused)');
    const sites = ((await admin.get('/api/ui/sites')).body.sites as Array<{ domain: string; timezone: string }>);
    assert.deepEqual(sites.map((s) => [s.domain, s.timezone]), [['a.example', 'UTC'], ['b.example', 'UTC']]);
    assert.deepEqual(((await admin.get('/api/ui/users')).body.users as unknown[]).length, users.length);
  });

  test('login and setup refuse cross-site requests (login CSRF)', async () => {
    for (const origin of ['http://evil.example', 'null', 'https://a.example']) {
      assert.equal((await client().post('/api/ui/login', ADMIN, { origin })).status, 403, `Origin: ${origin}`);
      assert.equal((await client().post('/api/ui/setup', { token: 'x', ...ADMIN }, { origin })).status, 403, `Origin: ${origin}`);
    }
  });
});

describe('security headers of the dashboard', { timeout: 120_000 }, () => {
  const PAGES = ['/', '/login', '/setup', '/users', '/sql', '/drops', '/sites/a.example', '/sites/a.example/journeys', '/share/abcdefgh12345678'];

  function directives(csp: string): Map<string, string[]> {
    return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!.toLowerCase(), values]));
  }

  test('every page: a CSP without inline or eval scripts, no framing, nosniff; no inline script in the HTML', async () => {
    const problems: string[] = [];
    for (const page of PAGES) {
      const answer = await client().get(page);
      assert.equal(answer.status, 200, page);
      const csp = answer.headers.get('content-security-policy');
      if (!csp) {
        problems.push(`${page}: no CSP`);
        continue;
      }
      const d = directives(csp);
      const scripts = d.get('script-src') ?? d.get('default-src') ?? ['*'];
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) if (scripts.includes(bad)) problems.push(`${page}: script-src allows ${bad}`);
      if (!(d.get('frame-ancestors') ?? []).every((v) => v === "'none'" || v === "'self'") || !d.has('frame-ancestors')) problems.push(`${page}: frame-ancestors ${d.get('frame-ancestors')}`);
      if (!d.has('object-src') && !(d.get('default-src') ?? []).includes("'none'")) problems.push(`${page}: plugins allowed`);
      if (answer.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${page}: no nosniff`);
      if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(answer.text)) problems.push(`${page}: inline <script>`);
      if (/\son[a-z]+\s*=/i.test(answer.text)) problems.push(`${page}: inline event handler`);
      for (const asset of answer.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
        const res = await fetch(`${server.url}${asset[1]}`);
        await res.arrayBuffer();
        if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${asset[1]}: no nosniff`);
      }
    }
    assert.deepEqual(problems, []);
    assert.equal(directives(DASHBOARD_CSP).get('frame-ancestors')?.[0], "'none'");
  });
});

describe('one site\'s people see nothing of another site', { timeout: 120_000 }, () => {
  const bRoutes = [
    ['GET', '/api/ui/sites/b.example'], ['GET', '/api/ui/sites/b.example/goals'], ['GET', '/api/ui/sites/b.example/shares'],
    ['GET', '/api/v2/realtime?site_id=b.example'], ['GET', '/api/v2/export?site_id=b.example&format=ndjson'],
    ['GET', '/api/v2/reports/visitor-paths?site_id=b.example'], ['GET', '/api/v2/reports/top-pages?site_id=b.example'],
    ['POST', '/api/v2/query'], ['POST', '/api/v2/sql'],
  ] as const;
  const bodyFor = (path: string) => (path === '/api/v2/query' ? { site_id: 'b.example', metrics: ['visitors'], date_range: '7d' } : path === '/api/v2/sql' ? { sql: 'select pathname from events' } : undefined);

  async function leaksOfB(who: CookieClient, headers: Record<string, string> = {}): Promise<string[]> {
    const leaks: string[] = [];
    for (const [method, path] of bRoutes) {
      const answer = await who.send(method, path, bodyFor(path), headers);
      if (answer.status < 400 || answer.text.includes('secret-b.example')) leaks.push(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 100)}`);
    }
    return leaks;
  }

  test('a viewer of site A', async () => {
    const viewer = await login(VIEWER);
    assert.equal((await viewer.get('/api/v2/realtime?site_id=a.example')).status, 200, 'control: its own site');
    assert.deepEqual(((await viewer.get('/api/ui/sites')).body.sites as Array<{ domain: string }>).map((s) => s.domain), ['a.example']);
    assert.deepEqual(await leaksOfB(viewer), []);
  });

  test('a share link of site A, and nothing at all once it is revoked', async () => {
    const admin = await login(ADMIN);
    const share = (await admin.post('/api/ui/sites/a.example/shares', {})).body.share as { id: number; slug: string };
    const visitor = client();
    const header = { 'x-footfall-share': share.slug };
    assert.equal((await visitor.get('/api/v2/realtime?site_id=a.example', header)).status, 200, 'control: the shared site');
    assert.deepEqual(await leaksOfB(visitor, header), []);
    assert.equal((await admin.send('DELETE', `/api/ui/sites/a.example/shares/${share.id}`)).status, 200);
    for (const path of ['/api/v2/realtime?site_id=a.example', '/api/ui/sites/a.example', `/api/share/${share.slug}`]) {
      assert.ok((await visitor.get(path, header)).status >= 400, `revoked link still opens ${path}`);
    }
  });

  // Found by this file: a share link (a public, read-only dashboard) also opens the raw-event
  // routes: /api/v2/export streams every event of the site, and for a raw-mode site its IPs and
  // request headers; /api/v2/reports/visitor-paths lists visitors by IP and top-user-agents the
  // full User-Agent strings. Share principals are now refused those routes (query/access.ts).
  test('a share link does not hand out raw events, IP addresses or User-Agent strings', async () => {
    const admin = await login(ADMIN);
    const share = (await admin.post('/api/ui/sites/a.example/shares', {})).body.share as { slug: string };
    const header = { 'x-footfall-share': share.slug };
    const exposed: string[] = [];
    for (const path of ['/api/v2/export?site_id=a.example&format=ndjson', '/api/v2/reports/visitor-paths?site_id=a.example', '/api/v2/reports/top-user-agents?site_id=a.example']) {
      const answer = await client().get(path, header);
      if (answer.status === 200 || answer.text.includes('198.51.100.66') || answer.text.includes('UaProbe')) exposed.push(`${path}: ${answer.status}`);
    }
    assert.deepEqual(exposed, []);
  });
});
