/**
 * Page views whose User-Agent carries a probe token, for the privacy tests: the token must never
 * turn up in a private site's store files, so finding it there proves a User-Agent was kept.
 */
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
