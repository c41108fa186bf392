/**
 * Acceptance of issue 5 in Chromium against the real `footfall` binary:
 * 1. setup URL -> admin -> add site -> tracker hits from another origin -> the dashboard shows
 *    them; a page row filters every panel; the URL reproduces the view after reload;
 * 2. a viewer of one site cannot see another in the UI or through any API call; a share link
 *    works logged out and stops working once revoked;
 * 3. visitor-sent markup (title, path, referrer, props, event name, UTM) renders as text;
 * 4. screenshots of the site view (light, dark, 375 px) under test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESKTOP_UA, launchBrowser, skipOrFail } from '../helpers/browser.js';
import { REPO_ROOT, startServer, type RunningServer } from '../helpers/server.js';
import { FIREFOX_UA, startWebsite, statusFromPage, waitForPanel, waitForStat, waitForStored, waitUntil, type Website } from './site-fixture.js';

const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'screenshots');
const ADMIN = { email: 'owner@example.org', password: 'owner password 1' };
const VIEWER = { email: 'viewer@example.org', password: 'viewer password 1' };
const XSS = {
  title: '<img src=x onerror="window.__xss=1;alert(1)">',
  path: '/"><script>window.__xss=2;alert(2)</script>',
  referrer: 'https://evil.example/"><img src=x onerror="window.__xss=3">',
  event: '<img src=x onerror="window.__xss=4;alert(4)">',
  propKey: 'plan',
  propValue: '"><script>window.__xss=5;alert(5)</script>',
  utm: '<svg onload="window.__xss=6;alert(6)">',
};

/** A page that fails the test on any dialog, page error or CSP violation. */
async function watchedPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); void dialog.dismiss(); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`); });
  return page;
}

async function login(browser: Browser, server: RunningServer, who: { email: string; password: string }, problems: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: 1280, height: 900 } });
  const page = await watchedPage(context, problems);
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${server.url}/`);
  return { context, page };
}

test('dashboard acceptance in Chromium', { timeout: 120_000 }, async (t) => {
  const launched = await launchBrowser();
  if (!launched.browser) return skipOrFail(t, launched.reason);
  const browser = launched.browser;
  t.after(() => browser.close());
  const server = await startServer({ env: { FOOTFALL_FLUSH_INTERVAL_MS: '100' } });
  t.after(() => server.stop());
  const website: Website = await startWebsite(server.url);
  t.after(() => website.close());
  mkdirSync(SCREENSHOTS, { recursive: true });
  const problems: string[] = [];
  const admin = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: 1280, height: 900 } });
  t.after(() => admin.close());
  const page = await watchedPage(admin, problems);
  const siteUrl = `${server.url}/sites/localhost`;

  await t.test('1. setup -> admin -> site -> hits from another origin -> dashboard, filters, URL state', async () => {
    const setup = /(\S+\/setup\?token=[\w-]+)/.exec(server.output())?.[1];
    assert.ok(setup, `the server printed a setup URL:\n${server.output()}`);
    await page.goto(setup);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.fill('input[name=password2]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/`);
    await page.getByText('No sites yet').waitFor();

    for (const domain of ['localhost', 'other.example']) {
      await page.fill('input[name=domain]', domain);
      await page.fill('input[name=timezone]', 'UTC');
      await page.click('form[aria-label="Add a site"] button[type=submit]');
      await page.locator('.site-domain', { hasText: domain }).waitFor();
    }

    // Visitor 1 comes from another site (127.0.0.1) to / and then /about; visitor 2 opens /pricing.
    const v1 = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: 1280, height: 800 } });
    const p1 = await v1.newPage();
    await p1.goto(`http://127.0.0.1:${website.port}/start`);
    await Promise.all([p1.waitForURL(`${website.origin}/`), p1.click('#go')]);
    await waitForStored(server, 1);
    await Promise.all([p1.waitForURL(`${website.origin}/about`), p1.click('#about')]);
    await waitForStored(server, 2);
    await v1.close();
    const v2 = await browser.newContext({ userAgent: FIREFOX_UA, viewport: { width: 390, height: 800 } });
    await (await v2.newPage()).goto(`${website.origin}/pricing`);
    await waitForStored(server, 3);
    await v2.close();

    await page.click('.site-link:has-text("localhost")');
    await page.waitForURL(siteUrl);
    await waitForStat(page, 'visitors', '2');
    await waitForStat(page, 'pageviews', '3');
    await waitForPanel(page, 'pages', ['/', '/about', '/pricing']);
    await waitForPanel(page, 'sources', ['127.0.0.1', 'Direct / None']);
    await waitForPanel(page, 'devices', ['Chrome', 'Firefox']);

    await page.click('[data-panel="pages"] button:has-text("/about")');
    await page.waitForURL(/f=is%7Cevent%3Apage%7C%2Fabout/);
    await page.locator('.chip', { hasText: 'Page is /about' }).waitFor();
    const filtered = async () => {
      await waitForStat(page, 'visitors', '1');
      await waitForStat(page, 'pageviews', '1');
      await waitForPanel(page, 'pages', ['/about']);
      await waitForPanel(page, 'sources', ['127.0.0.1']);
      await waitForPanel(page, 'devices', ['Chrome']);
      await waitForPanel(page, 'locations', ['(unknown)']);
    };
    await filtered();
    const url = page.url();
    await page.reload();
    assert.equal(page.url(), url);
    await page.locator('.chip', { hasText: 'Page is /about' }).waitFor();
    await filtered();
    // Removing the chip (with the keyboard) brings every panel back.
    await page.focus('.chip-remove');
    await page.keyboard.press('Enter');
    await waitForStat(page, 'visitors', '2');
    await waitForPanel(page, 'pages', ['/', '/about', '/pricing']);
    assert.equal(page.url(), siteUrl);
    // Rows are buttons: keyboard users filter too.
    await page.focus('[data-panel="devices"] button:has-text("Firefox")');
    await page.keyboard.press('Enter');
    await waitForStat(page, 'visitors', '1');
    await waitForPanel(page, 'pages', ['/pricing']);
    await page.goBack();
    await waitForStat(page, 'visitors', '2');
    assert.equal(page.url(), siteUrl, 'Back restores the previous view');
    // Custom dates (today, UTC: the site's time zone) go into the URL too.
    const today = new Date().toISOString().slice(0, 10);
    await page.selectOption('.date-picker select >> nth=0', 'custom');
    await page.fill('.custom-dates input >> nth=0', today);
    await page.fill('.custom-dates input >> nth=1', today);
    await page.click('.custom-dates button[type=submit]');
    await page.waitForURL(`${siteUrl}?period=custom&from=${today}&to=${today}`);
    await page.reload();
    await waitForStat(page, 'visitors', '2');
    await page.getByText(`${today} – ${today}`).waitFor();
  });

  await t.test('2a. a viewer of one site cannot see another, in the UI or through any API', async () => {
    await page.goto(`${server.url}/users`);
    await page.fill('form[aria-labelledby="add-user"] input[name=email]', VIEWER.email);
    await page.fill('form[aria-labelledby="add-user"] input[name=password]', VIEWER.password);
    await page.check('form[aria-labelledby="add-user"] input[value="localhost"]');
    await page.click('form[aria-labelledby="add-user"] button[type=submit]');
    await page.locator('strong', { hasText: VIEWER.email }).waitFor();

    const viewer = await login(browser, server, VIEWER, problems);
    t.after(() => viewer.context.close());
    await viewer.page.locator('.site-domain', { hasText: 'localhost' }).waitFor();
    assert.deepEqual(await viewer.page.locator('.site-domain').allTextContents(), ['localhost']);
    assert.equal(await viewer.page.getByText('other.example').count(), 0);
    assert.equal(await viewer.page.locator('nav a', { hasText: 'Users' }).count(), 0, 'no admin navigation');

    await viewer.page.goto(`${server.url}/sites/other.example`);
    await viewer.page.locator('.error').first().waitFor();
    assert.equal(await viewer.page.locator('.stat-value[data-metric="visitors"]', { hasText: /\d/ }).count(), 0, 'no numbers of the other site');

    const other = 'other.example';
    const query = { site_id: other, metrics: ['visitors'], date_range: '30d' };
    const denied: Array<[string, string, unknown?]> = [
      ['POST', '/api/v2/query', query],
      ['GET', `/api/v2/reports/visitor-paths?site_id=${other}&date_range=30d`],
      ['GET', `/api/v2/reports/pageviews?site_id=${other}`],
      ['GET', `/api/v2/realtime?site_id=${other}`],
      ['GET', `/api/v2/export?site_id=${other}&date_range=30d&format=csv`],
      ['POST', '/api/v2/sql', { sql: 'select count(*) from events' }],
      ['GET', `/api/ui/sites/${other}`],
      ['GET', `/api/ui/sites/${other}/goals`],
      ['GET', `/api/ui/sites/${other}/shares`],
      ['POST', `/api/ui/sites/${other}/shares`, {}],
      ['PATCH', `/api/ui/sites/${other}`, { timezone: 'Europe/Berlin' }],
      ['DELETE', `/api/ui/sites/${other}`, { confirm: other }],
      ['GET', '/api/ui/users'],
      ['PATCH', '/api/ui/users/2', { role: 'admin' }],
    ];
    for (const [method, url, body] of denied) {
      const status = await statusFromPage(viewer.page, method, url, body);
      assert.ok(status === 403 || status === 404, `${method} ${url} answered ${status}`);
    }
    assert.equal(await statusFromPage(viewer.page, 'POST', '/api/v2/query', { ...query, site_id: 'localhost' }), 200, 'its own site works');
    // A viewer reads but does not change its own site.
    assert.equal(await statusFromPage(viewer.page, 'PATCH', '/api/ui/sites/localhost', { raw: true }), 403);
  });

  await t.test('2b. a share link works logged out and stops working once revoked', async () => {
    await page.goto(`${siteUrl}/settings`);
    await page.click('form:has(input[name=password]) button:has-text("Create share link")');
    const link = (await page.locator('pre[aria-label="share link"]').first().textContent())!.trim();
    assert.match(link, /\/share\/[\w-]+$/);

    const visitor = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: 1280, height: 900 } });
    t.after(() => visitor.close());
    const shared = await watchedPage(visitor, problems);
    await shared.goto(link);
    await waitForStat(shared, 'visitors', '2');
    await waitForPanel(shared, 'pages', ['/', '/about', '/pricing']);
    assert.equal(await shared.locator('a', { hasText: 'Settings' }).count(), 0, 'read-only');
    assert.equal(await shared.locator('nav a', { hasText: 'Sites' }).count(), 0, 'logged out');

    await page.click('button:has-text("Revoke")');
    await page.getByText('No share links.').waitFor();
    await shared.reload();
    await shared.getByText('Link not available').waitFor();
    const slug = link.split('/share/')[1]!;
    const status = await shared.evaluate(`fetch('/api/v2/query', { method: 'POST', headers: { 'content-type': 'application/json', 'x-footfall-share': ${JSON.stringify(slug)} }, body: JSON.stringify({ site_id: 'localhost', metrics: ['visitors'], date_range: '30d' }) }).then((r) => r.status)`);
    assert.ok(status === 404 || status === 401, `revoked link answered ${String(status)}`);
  });

  await t.test('goals set in the settings show their conversions in the goals panel', async () => {
    await page.goto(`${siteUrl}/settings`);
    await page.selectOption('section[aria-labelledby="goals"] select', 'page');
    await page.fill('section[aria-labelledby="goals"] input[name=match]', '/about');
    await page.click('section[aria-labelledby="goals"] button[type=submit]');
    await page.locator('section[aria-labelledby="goals"] li', { hasText: 'Visit /about' }).waitFor();
    await page.goto(siteUrl);
    await waitForPanel(page, 'goals', ['Visit /about']);
    assert.deepEqual(await page.locator('[data-panel="goals"] td.num').allTextContents(), ['1', '1', '50%']);
  });

  await t.test('3. visitor-sent markup renders as text; no script or dialog runs', async () => {
    const send = async (body: Record<string, unknown>, ua: string) => {
      const r = await fetch(`${server.url}/api/event`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': ua }, body: JSON.stringify(body) });
      assert.equal(r.status, 202, await r.text());
    };
    const ua = DESKTOP_UA.replace('Chrome/126', 'Chrome/125');
    const url = `http://localhost${XSS.path}?utm_source=${encodeURIComponent(XSS.utm)}`;
    await send({ name: 'pageview', url, domain: 'localhost', referrer: XSS.referrer }, ua);
    await send({ name: XSS.event, url, domain: 'localhost', props: { [XSS.propKey]: XSS.propValue } }, ua);
    const gif = new URLSearchParams({ url: `http://localhost${XSS.path}`, t: XSS.title, ref: XSS.referrer });
    assert.equal((await fetch(`${server.url}/a.gif?${gif}`, { headers: { 'user-agent': ua } })).status, 200);
    await waitForStored(server, 6);

    await page.goto(`${siteUrl}?tab.sources=utm_source&tab.goals=props&prop=plan`);
    await page.waitForURL(/prop=plan/);
    await page.locator('[data-panel="sources"] .row-label', { hasText: XSS.utm }).waitFor();
    await page.locator('[data-panel="goals"] .row-label', { hasText: XSS.propValue }).waitFor();
    await page.locator('[data-panel="pages"] .row-label', { hasText: 'script' }).waitFor();
    await page.click('[data-section="goals"] button[role=tab]:has-text("Custom events")');
    await page.locator('[data-panel="goals"] .row-label', { hasText: XSS.event }).waitFor();
    await page.click('[data-section="sources"] button[role=tab]:has-text("Referrers")');
    await page.locator('[data-panel="sources"] .row-label', { hasText: 'evil.example' }).waitFor();
    // Filtering by the payload puts it in a chip and in the URL, still as text.
    await page.click(`[data-panel="goals"] button:has-text(${JSON.stringify(XSS.event)})`);
    await page.locator('.chip', { hasText: XSS.event }).waitFor();
    await page.reload();
    await page.locator('.chip', { hasText: XSS.event }).waitFor();

    await page.goto(`${siteUrl}/journeys`);
    await page.locator('.steps li', { hasText: 'script' }).first().waitFor();
    await page.locator('td', { hasText: XSS.title }).first().waitFor();

    assert.equal(await page.evaluate('window.__xss'), undefined, 'no payload ran');
    assert.equal(await page.locator('img[src="x"], svg[onload], script:not([src])').count(), 0, 'no payload element in the DOM');
    assert.deepEqual(problems, []);
  });

  await t.test('the SQL console shows a table and downloads it as CSV (admins)', async () => {
    await page.goto(`${server.url}/sql`);
    await page.fill('textarea', "select pathname, count(*) as n from events where name = 'pageview' and pathname in ('/', '/about') group by 1 order by 1");
    await page.click('button:has-text("Run")');
    await page.locator('.result-table td', { hasText: '/about' }).waitFor();
    assert.deepEqual(await page.locator('.result-table th').allTextContents(), ['pathname', 'n']);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download CSV")')]);
    const file = await download.path();
    assert.equal(readFileSync(file, 'utf8'), 'pathname,n\r\n/,1\r\n/about,1\r\n');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sql-console.png'), fullPage: true });
    // A crawler's hit is dropped and shows in the drop log.
    const bot = await fetch(`${server.url}/a.gif?url=http%3A%2F%2Flocalhost%2F&t=&ref=`, { headers: { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' } });
    assert.equal(bot.headers.get('x-footfall-dropped'), 'bot');
    for (const [name, url] of [['sites-list.png', '/'], ['site-settings.png', '/sites/localhost/settings'], ['journeys.png', '/sites/localhost/journeys'], ['users.png', '/users'], ['drop-log.png', '/drops']] as const) {
      await page.goto(`${server.url}${url}`);
      await waitUntil(page, "document.querySelector('.main') && !document.querySelector('.is-loading') && !document.body.textContent.includes('…')", () => `${url} still loading`);
      await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
    }
    assert.equal(await page.locator('.result-table tbody tr:first-child td').nth(1).textContent(), '1', 'one bot hit today');
    assert.deepEqual(problems, []);
  });

  await t.test('4. screenshots of the site view: light, dark, 375 px', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shots: Array<{ name: string; scheme: 'light' | 'dark'; width: number; height: number }> = [
      { name: 'site-view-light.png', scheme: 'light', width: 1280, height: 900 },
      { name: 'site-view-dark.png', scheme: 'dark', width: 1280, height: 900 },
      { name: 'site-view-375.png', scheme: 'light', width: 375, height: 812 },
    ];
    const cookies = await admin.cookies();
    for (const shot of shots) {
      const context = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: shot.width, height: shot.height }, colorScheme: shot.scheme });
      await context.addCookies(cookies);
      const p = await watchedPage(context, problems);
      await p.goto(siteUrl);
      await waitForStat(p, 'visitors', '3');
      await p.locator('.u-over').waitFor();
      await waitUntil(p, "!document.querySelector('.is-loading')", () => "panels still loading");
      await p.screenshot({ path: path.join(SCREENSHOTS, shot.name), fullPage: true });
      if (shot.width === 375) {
        const overflow = await p.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        assert.equal(overflow, 0, 'no horizontal scrolling at 375 px');
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
});
