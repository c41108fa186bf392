/**
 * Page views whose User-Agent carries a probe token, for the privacy tests: the token must never
 * turn up in a private site's store files, so finding it there proves a User-Agent was kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RunningServer } from '../../helpers/server.js';

/** A realistic Chrome User-Agent, distinct per `i`, ending in `<token>/<i>`. */
export function probeUserAgent(token: string, i: number): string {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.${i}.0 Safari/537.36 ${token}/${i}`;
}

/** Sends `n` pageviews for `domain` under `/removal/<tag>/<i>`; returns the drop headers seen. */
export async function removalHits(server: RunningServer, token: string, domain: string, tag: string, n: number): Promise<Array<string | null>> {
  const dropped: Array<string | null> = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': probeUserAgent(token, i) },
      body: JSON.stringify({ n: 'pageview', u: `https://${domain}/removal/${tag}/${i}` }),
    });
    await res.arrayBuffer();
    dropped.push(res.headers.get('x-footfall-dropped'));
  }
  return dropped;
}

/** Client addresses for probe hits: `v4` from 198.51.100.10 up and `v6` from 2001:db8::1a7 up. */
export function probeIps(v4: number, v6: number): string[] {
  return [...Array.from({ length: v4 }, (_, i) => `198.51.100.${i + 10}`), ...Array.from({ length: v6 }, (_, i) => `2001:db8::${(i + 1).toString(16)}a7`)];
}

/**
 * Sends probe hit `n` for example.com (even: an /api/event page view with a referrer, odd: an
 * /a.gif pixel) from `ips[n]` with a probe User-Agent; asserts it was accepted.
 */
export async function sendProbeHit(server: RunningServer, token: string, ips: readonly string[], n: number): Promise<void> {
  const headers = { 'user-agent': probeUserAgent(token, n % 10), 'x-forwarded-for': ips[n % ips.length]! };
  const res = n % 2 === 0
    ? await fetch(`${server.url}/api/event`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: JSON.stringify({ n: 'pageview', u: `https://example.com/p/${n}?q=1`, r: 'https://news.example/' }) })
    : await fetch(`${server.url}/a.gif?${new URLSearchParams({ url: `https://example.com/g/${n}`, t: 'Title', ref: '' })}`, { headers });
  await res.arrayBuffer();
  assert.ok(res.status === 202 || (res.status === 200 && !res.headers.get('x-footfall-dropped')), `hit ${n}: ${res.status} ${res.headers.get('x-footfall-dropped')}`);
}

/** Every file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.readFileSync(full).includes(bytes)) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found;
}
