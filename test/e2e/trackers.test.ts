/**
 * Acceptance (issue 2, item 1): both trackers in headless Chromium against the real `footfall`
 * binary. The tracked pages come from a plain node:http "website" on another port (another
 * origin than the Footfall server), and what was stored is read back with `footfall sql`.
 *
 * Hosts: the website answers on 127.0.0.1:<port>, and Chromium resolves `localhost` to loopback,
 * so the same server is two origins: http://127.0.0.1:<port> (the page a visitor comes from) and
 * http://localhost:<port> (the tracked site, registered as `localhost`). A different host is
 * needed for the referrer: a referrer on the page's own host is a self-referral, stored as ''.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { close, listen } from '../helpers/origin-server.js';
import type { BrowserContext } from 'playwright-core';
import { DESKTOP_UA, launchBrowser, skipOrFail } from '../helpers/browser.js';
import { startServer, waitForCount, type RunningServer } from '../helpers/server.js';

const VIEWPORT = { width: 1280, height: 800 };
const CLASSIC_TITLE = 'Classic page — café & "friends" <3';

/** Rows of `footfall sql <query> --format json`, through the running server. */
async function sql(server: RunningServer, query: string): Promise<Array<Record<string, unknown>>> {
  const result = await server.cli(['sql', query, '--format', 'json']);
  assert.equal(result.code, 0, `footfall sql failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

/** Events the collector accepted so far (durable, maybe not yet in DuckDB), from GET /healthz. */
async function accepted(server: RunningServer): Promise<number> {
  const response = await fetch(`${server.url}/healthz`);
  const body = (await response.json()) as { accepted: number };
  return body.accepted;
}

/**
 * Waits until the collector has accepted `expected` events in all. Used to let each tracker
 * request arrive before the next one is triggered, so that `order by ts` is the order of actions
 * (beacons may otherwise race on separate connections). On timeout the drop counters say why.
 */
async function waitForAccepted(server: RunningServer, expected: number, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = await accepted(server);
  while (last < expected) {
    if (Date.now() > deadline) {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const dropped = metrics.split('\n').filter((line) => /^footfall_events_(dropped|rejected)/.test(line));
      assert.fail(`timed out waiting for ${what}: ${last} of ${expected} events accepted; ${dropped.join('; ') || 'nothing dropped'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = await accepted(server);
  }
  assert.equal(last, expected, `more events than expected were accepted while waiting for ${what}`);
  // Stored timestamps are whole milliseconds: keep the next event out of this one's millisecond.
  await new Promise((resolve) => setTimeout(resolve, 5));
}

test('classic /a.js and modern /script.js record visits from another origin in Chromium', { timeout: 60_000 }, async (t) => {
  const launched = await launchBrowser();
  if (!launched.browser) return skipOrFail(t, launched.reason);
  const browser = launched.browser;
  t.after(() => browser.close());

  const footfall = await startServer();
  // Safety net for failures before the clean stop at the end.
  t.after(async () => {
    if (footfall.process.exitCode === null && footfall.process.signalCode === null) await footfall.kill9();
    rmSync(footfall.dataDir, { recursive: true, force: true });
  });
  const added = await footfall.cli(['site', 'add', 'localhost']);
  assert.equal(added.code, 0, `site add localhost failed: ${added.stderr}`);

  let sitePort = 0;
  const pages: Record<string, { html: () => string; headers?: Record<string, string> }> = {
    // Where the visitor comes from. unsafe-url makes the cross-origin referrer the full URL
    // (path and query), so the test sees whether the tracker carries it through intact.
    '/start': {
      headers: { 'Referrer-Policy': 'unsafe-url' },
      html: () => `<!doctype html><html><head><title>Start</title></head><body>
<a id="go" href="http://localhost:${sitePort}/blog/hello-world?ref=e2e">read the post</a></body></html>`,
    },
    '/blog/hello-world': {
      html: () => `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(CLASSIC_TITLE)}</title></head>
<body><h1>Hello</h1><script src="${footfall.url}/a.js"></script></body></html>`,
    },
    '/app/': {
      html: () => `<!doctype html><html><head><meta charset="utf-8"><title>App</title>
<script defer data-domain="localhost" data-allow-local data-allow-webdriver src="${footfall.url}/script.js"></script>
</head><body><h1>App</h1></body></html>`,
    },
  };
  const site = await listen((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!page) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...page.headers }).end(page.html());
  });
  t.after(() => close(site.server));
  sitePort = site.port;
  const origin = `http://localhost:${sitePort}`;

  const context: BrowserContext = await browser.newContext({ userAgent: DESKTOP_UA, viewport: VIEWPORT });
  t.after(() => context.close());

  await t.test('classic snippet: path, title and referrer of a page reached by a link', async () => {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${sitePort}/start`);
    await Promise.all([page.waitForURL(`${origin}/blog/hello-world?ref=e2e`), page.click('#go')]);
    const referrer = (await page.evaluate('document.referrer')) as string;
    assert.equal(referrer, `http://127.0.0.1:${sitePort}/start`, 'the browser sent the full referrer');
    assert.equal(await page.title(), CLASSIC_TITLE);
    await waitForAccepted(footfall, 1, 'the /a.gif pixel');

    const where = "name = 'pageview' and pathname = '/blog/hello-world'";
    assert.equal(await waitForCount(footfall, `select count(*) from events where ${where}`, 1), 1, 'one stored page view');
    const rows = await sql(footfall, `select hostname, pathname, title, referrer, referrer_source, query, browser, device, ip, headers from events where ${where}`);
    assert.deepEqual(rows, [{
      hostname: 'localhost',
      pathname: '/blog/hello-world',
      title: CLASSIC_TITLE,
      referrer,
      referrer_source: '127.0.0.1',
      query: '{"ref":"e2e"}',
      browser: 'Chrome',
      device: 'Desktop',
      ip: null,
      headers: null,
    }]);
    await page.close();
  });

  await t.test('modern script: load, two pushState navigations and a custom event with a prop', async () => {
    const before = await accepted(footfall);
    const page = await context.newPage();
    await page.goto(`${origin}/app/`);
    await page.waitForFunction("typeof window.footfall === 'function'");
    await waitForAccepted(footfall, before + 1, 'the pageview on load');
    // In-page code is passed as strings: tsx rewrites functions in ways the page cannot run.
    await page.evaluate("history.pushState({}, '', '/app/pricing')");
    await waitForAccepted(footfall, before + 2, 'the first pushState pageview');
    await page.evaluate("history.pushState({}, '', '/app/signup?plan=pro')");
    await waitForAccepted(footfall, before + 3, 'the second pushState pageview');
    await page.evaluate("footfall('Signup', { props: { plan: 'pro' } })");
    await waitForAccepted(footfall, before + 4, 'the Signup event');

    const where = "hostname = 'localhost' and pathname like '/app/%'";
    assert.equal(await waitForCount(footfall, `select count(*) from events where ${where}`, 4), 4, 'four stored events');
    const rows = await sql(footfall, `select name, pathname, props, screen_width, session_id from events where ${where} order by ts`);
    assert.deepEqual(rows.map((r) => [r.name, r.pathname]), [
      ['pageview', '/app/'],
      ['pageview', '/app/pricing'],
      ['pageview', '/app/signup'],
      ['Signup', '/app/signup'],
    ]);
    const signup = rows[3];
    assert.ok(signup);
    assert.deepEqual(JSON.parse(String(signup.props)), { plan: 'pro' });
    for (const row of rows.slice(0, 3)) assert.equal(row.props, '{}', `no props on ${String(row.pathname)}`);
    for (const row of rows) assert.equal(Number(row.screen_width), VIEWPORT.width);
    assert.equal(new Set(rows.map((r) => r.session_id)).size, 1, 'one visit: every event in the same session');
    await page.close();
  });

  await context.close();
  await close(site.server);
  const stopped = await footfall.stop();
  assert.equal(stopped.code, 0, `footfall serve exited with ${stopped.code}:\n${footfall.output()}`);
});

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
