/**
 * The built tracker in real Chromium, against two plain node:http servers on different ports
 * (so different origins, like a site and its Footfall server): no Footfall server involved.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { close, listen } from '../helpers/origin-server.js';
import type { Browser, Page } from 'playwright-core';
import { buildTracker } from '../../src/tracker/build.js';
import { DESKTOP_UA, launchBrowser, skipOrFail } from '../helpers/browser.js';

/** One POST /api/event as the collector saw it. */
interface Received {
  contentType: string | undefined;
  body: { n: string; u: string; d: string; r: string | null; w: number; h?: number; p?: Record<string, unknown>; t?: string };
}

const QUEUE_STUB =
  'window.footfall = window.footfall || function () { (window.footfall.q = window.footfall.q || []).push(arguments) };';

/** Polls until `predicate` holds, failing with `what` after `ms`. */
async function waitFor(what: string, predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('tracker in Chromium sends pageviews and events cross-origin', { timeout: 60_000 }, async (t) => {
  const launched = await launchBrowser();
  if (!launched.browser) return skipOrFail(t, launched.reason);
  const browser: Browser = launched.browser;
  t.after(() => browser.close());

  const tracker = await buildTracker();
  const received: Received[] = [];
  let preflights = 0;

  // The "Footfall" origin: serves the script and collects events.
  const collector = await listen((req, res) => {
    if (req.method === 'GET' && req.url === '/script.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(tracker.code);
    } else if (req.method === 'POST' && req.url === '/api/event') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        });
        res.writeHead(202, { 'Access-Control-Allow-Origin': '*' }).end();
      });
    } else if (req.method === 'OPTIONS') {
      preflights++;
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' }).end();
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
    }
  });
  t.after(() => close(collector.server));
  const trackerOrigin = `http://127.0.0.1:${collector.port}`;

  // The site origin: pages carrying the snippet.
  const pageHtml = (scriptAttributes: string) => `<!doctype html>
<html><head><title>Footfall test page</title>
<script>${QUEUE_STUB} footfall('Early', { props: { a: '1' } });</script>
<script defer data-domain="example.com" data-allow-local ${scriptAttributes} src="${trackerOrigin}/script.js"></script>
</head><body>
<a id="out" href="${trackerOrigin}/landing">outbound</a>
<a id="pdf" href="/files/report.pdf?v=2" onclick="event.preventDefault()">download</a>
<a id="internal" href="/files/page.html" onclick="event.preventDefault()">internal</a>
</body></html>`;
  const site = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const attributes: Record<string, string> = {
      '/page.html': 'data-allow-webdriver data-outbound-links data-file-downloads',
      '/hash.html': 'data-allow-webdriver data-hash',
      '/quiet.html': '',
    };
    const attrs = attributes[path];
    if (attrs === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end(pageHtml(attrs));
  });
  t.after(() => close(site.server));
  const siteOrigin = `http://127.0.0.1:${site.port}`;

  const context = await browser.newContext({ userAgent: DESKTOP_UA, viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const from = (path: string) => received.filter((e) => new URL(e.body.u).pathname === path);
  const named = (name: string) => received.filter((e) => e.body.n === name);

  await t.test('pageview, queued event, SPA navigation, custom event and link clicks', async () => {
    const page: Page = await context.newPage();
    const referrer = 'https://search.example/?q=footfall';
    await page.goto(`${siteOrigin}/page.html`, { referer: referrer });
    assert.equal(await page.evaluate(() => navigator.webdriver), true, 'Playwright sets navigator.webdriver');

    await waitFor('the first pageview and the queued event', () => named('pageview').length >= 1 && named('Early').length >= 1);
    const first = named('pageview')[0]?.body;
    assert.ok(first);
    assert.equal(first.u, `${siteOrigin}/page.html`);
    assert.equal(first.d, 'example.com');
    assert.equal(first.r, referrer);
    assert.equal(first.w, 1280);
    assert.equal(first.t, 'Footfall test page');
    assert.equal(first.h, undefined);
    assert.equal(first.p, undefined);
    assert.deepEqual(named('Early')[0]?.body.p, { a: '1' });
    assert.equal(named('Early')[0]?.body.u, `${siteOrigin}/page.html`);

    await page.evaluate(() => history.pushState({}, '', '/spa/one'));
    await page.evaluate(() => history.pushState({}, '', '/spa/two'));
    // Same pathname, new query: routers do this constantly and it is not a new page.
    await page.evaluate(() => history.replaceState({}, '', '/spa/two?tab=1'));
    await waitFor('two SPA pageviews', () => named('pageview').length >= 3);
    assert.deepEqual(
      named('pageview').map((e) => new URL(e.body.u).pathname),
      ['/page.html', '/spa/one', '/spa/two'],
    );

    // The callback proves the event was handed over; the collector proves it arrived. Passed as
    // a string: tsx would wrap a named function here in a __name() helper the page lacks.
    const called = await page.evaluate<boolean>(`new Promise((resolve) => {
      footfall('Signup', { props: { plan: 'pro' }, callback: () => resolve(true) });
      setTimeout(() => resolve(false), 2000);
    })`);
    assert.equal(called, true, 'callback was called');
    await waitFor('the Signup event', () => named('Signup').length === 1);
    const signup = named('Signup')[0]?.body;
    assert.deepEqual(signup?.p, { plan: 'pro' });
    assert.equal(signup?.u, `${siteOrigin}/spa/two?tab=1`);

    await page.evaluate(() => history.back()); // popstate: the replaced /spa/two entry goes back to /spa/one
    await waitFor('the popstate pageview', () => named('pageview').length >= 4);
    assert.equal(new URL(named('pageview')[3]?.body.u ?? '').pathname, '/spa/one');

    await page.click('#internal'); // same host, not a file: nothing to send
    await page.click('#pdf');
    await waitFor('the File Download event', () => named('File Download').length === 1);
    assert.deepEqual(named('File Download')[0]?.body.p, { url: `${siteOrigin}/files/report.pdf` });

    // A real navigation away: the beacon must survive the unload.
    await page.click('#out');
    await waitFor('the Outbound Link event', () => named('Outbound Link: Click').length === 1);
    assert.deepEqual(named('Outbound Link: Click')[0]?.body.p, { url: `${trackerOrigin}/landing` });
    await page.waitForURL(`${trackerOrigin}/landing`);

    await new Promise((resolve) => setTimeout(resolve, 200)); // let any stray duplicate arrive
    assert.equal(named('pageview').length, 4, 'no double counting from replaceState or clicks');
    assert.equal(received.length, 8);
    for (const e of received) assert.match(e.contentType ?? '', /^text\/plain/);
    assert.equal(preflights, 0, 'text/plain needs no CORS preflight');
    await page.close();
  });

  await t.test('hash routing counts hash changes as pages', async () => {
    const before = received.length;
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/hash.html`);
    await waitFor('the hash-mode pageview', () => from('/hash.html').some((e) => e.body.n === 'pageview'));
    await page.evaluate(() => {
      location.hash = '#/settings';
    });
    await waitFor('the hashchange pageview', () => from('/hash.html').filter((e) => e.body.n === 'pageview').length === 2);
    const views = from('/hash.html').filter((e) => e.body.n === 'pageview');
    assert.deepEqual(
      views.map((e) => [e.body.u, e.body.h]),
      [
        [`${siteOrigin}/hash.html`, 1],
        [`${siteOrigin}/hash.html#/settings`, 1],
      ],
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received.length - before, 3, 'two pageviews and the queued Early event');
    await page.close();
  });

  await t.test('falls back to fetch with keepalive when sendBeacon is missing', async () => {
    const before = received.length;
    const page = await context.newPage();
    await page.addInitScript('Object.defineProperty(Navigator.prototype, "sendBeacon", { value: undefined })');
    await page.goto(`${siteOrigin}/hash.html`);
    assert.equal(await page.evaluate('typeof navigator.sendBeacon'), 'undefined');
    const called = await page.evaluate<boolean>(`new Promise((resolve) => {
      footfall('Fetched', { props: { via: 'fetch' }, callback: () => resolve(true) });
      setTimeout(() => resolve(false), 2000);
    })`);
    assert.equal(called, true, 'callback runs once fetch settles');
    await waitFor('the fetched events', () => received.length - before === 3);
    assert.deepEqual(
      received.slice(before).map((e) => e.body.n).sort(),
      ['Early', 'Fetched', 'pageview'],
    );
    for (const e of received.slice(before)) assert.match(e.contentType ?? '', /^text\/plain/);
    assert.equal(preflights, 0, 'text/plain needs no CORS preflight');
    await page.close();
  });

  await t.test('an automated browser sends nothing without data-allow-webdriver', async () => {
    const before = received.length;
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(`${siteOrigin}/quiet.html`);
    await page.evaluate(`footfall('Late'); history.pushState({}, '', '/quiet/next')`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(received.length - before, 0, 'no events reached the collector');
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('footfall')),
      ['footfall: no events (webdriver); set data-allow-webdriver'],
      'warned exactly once, saying why',
    );
    await page.close();
  });
});
