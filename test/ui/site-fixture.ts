/**
 * Helpers of the dashboard's browser tests: a tiny "website" on another origin whose pages
 * carry the tracker, and waits for the collector to have stored what it accepted.
 */
import type { Page } from 'playwright-core';
import { close, listen } from '../helpers/origin-server.js';
import type { RunningServer } from '../helpers/server.js';

/** A second desktop browser, so that the same machine makes a second visitor (the hash uses IP and UA). */
export const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export interface Website {
  port: number;
  /** http://localhost:<port>: the tracked site (registered as `localhost`). */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves /start (on 127.0.0.1, a link to the tracked site), and /, /about, /pricing with the
 * modern tracker pointing at `footfallUrl`. Page titles are given per path.
 */
export async function startWebsite(footfallUrl: string): Promise<Website> {
  let port = 0;
  const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script defer data-domain="localhost" data-allow-local data-allow-webdriver src="${footfallUrl}/script.js"></script>
</head><body>${body}</body></html>`;
  const pages: Record<string, () => string> = {
    '/start': () => `<!doctype html><html><head><title>Start</title></head><body><a id="go" href="http://localhost:${port}/">Go</a></body></html>`,
    '/': () => page('Home', '<h1>Home</h1><a id="about" href="/about">About</a>'),
    '/about': () => page('About us', '<h1>About</h1>'),
    '/pricing': () => page('Pricing', '<h1>Pricing</h1>'),
  };
  const listening = await listen((req, res) => {
    const render = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!render) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': 'unsafe-url' }).end(render());
  });
  port = listening.port;
  return { port, origin: `http://localhost:${port}`, close: () => close(listening.server) };
}

/** Waits until the collector accepted at least `min` events and stored all it accepted. */
export async function waitForStored(server: RunningServer, min: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last = { accepted: 0, stored: 0 };
  while (Date.now() < deadline) {
    last = (await (await fetch(`${server.url}/healthz`)).json()) as { accepted: number; stored: number };
    if (last.accepted >= min && last.stored >= last.accepted) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out: ${last.accepted} accepted (want ${min}), ${last.stored} stored`);
}

/** Text of the rows of a dashboard panel. */
export function panelRows(page: Page, panel: string): Promise<string[]> {
  return page.locator(`[data-panel="${panel}"] .row-label`).allTextContents();
}

/**
 * Polls an expression in the page until it is truthy. page.waitForFunction would evaluate a
 * string with eval inside the page, which the dashboard's CSP (rightly) forbids; evaluate()
 * runs through the DevTools protocol instead.
 */
export async function waitUntil(page: Page, expression: string, what: () => Promise<string> | string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await page.evaluate(expression).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms: ${await what()}`);
}

/** Waits until a top-stat shows `text`. */
export async function waitForStat(page: Page, metric: string, text: string): Promise<void> {
  const selector = `.stat-value[data-metric="${metric}"]`;
  await waitUntil(page, `document.querySelector(${JSON.stringify(selector)})?.textContent === ${JSON.stringify(text)}`,
    async () => `stat ${metric}: want ${text}, have ${await page.locator(selector).textContent().catch(() => 'nothing')}`);
}

/** Waits until a panel lists exactly `rows` (in any order) and nothing is loading. */
export async function waitForPanel(page: Page, panel: string, rows: string[]): Promise<void> {
  const want = JSON.stringify([...rows].sort());
  await waitUntil(page,
    `(() => { const body = document.querySelector('[data-panel="${panel}"]'); if (!body || body.classList.contains('is-loading')) return false;
      return JSON.stringify([...body.querySelectorAll('.row-label')].map((e) => e.textContent).sort()) === ${JSON.stringify(want)}; })()`,
    async () => `panel ${panel}: want ${want}, have ${JSON.stringify(await panelRows(page, panel))}`);
}

/**
 * Calls the API from inside a logged-in page (its cookies, plus the CSRF token of the
 * session), returning the HTTP status. Used to prove what the browser may not read.
 */
export async function statusFromPage(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  const script = `(async () => {
    const session = await (await fetch('/api/ui/session')).json();
    const headers = { 'content-type': 'application/json' };
    if (session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
    const r = await fetch(${JSON.stringify(path)}, { method: ${JSON.stringify(method)}, headers, body: ${body === undefined ? 'undefined' : JSON.stringify(JSON.stringify(body))} });
    return r.status;
  })()`;
  return (await page.evaluate(script)) as number;
}
