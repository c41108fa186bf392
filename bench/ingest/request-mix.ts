/**
 * The requests the ingest bench replays: the generator's hits, sent the way the two trackers
 * send them. Page views alternate between the classic pixel (GET /a.gif) and the script's
 * POST /api/event; engagement and custom events always use /api/event. Bots keep their
 * crawler User-Agent (the collector drops them, as it would in production). Every request
 * carries X-Forwarded-For with the hit's address (the server runs with --trust-proxy), so
 * visitors and countries vary as with real traffic.
 */
import { generateEvents, type GeneratedHit } from '../../src/generate/generate-events.js';
import { datasetSites, DEFAULT_END_MS } from '../query/dataset.js';
import type { LoadRequest } from './load-request.js';

export interface RequestMixOptions {
  /** Distinct requests; the load generators cycle through them. */
  count: number;
  sites: number;
  seed: number;
}

function eventBody(hit: GeneratedHit, domain: string): string {
  // Short keys, as Plausible's script sends them.
  const body: Record<string, unknown> = { n: hit.name, u: hit.url, d: domain, r: hit.referrer || null, w: hit.screenWidth };
  if (hit.props && Object.keys(hit.props).length > 0) body.p = hit.props;
  if (!hit.interactive) body.i = false;
  if (hit.revenue) body.$ = hit.revenue;
  if (hit.name === 'engagement') {
    body.sd = hit.scrollDepth ?? 0;
    body.e = hit.engagementMs ?? 0;
  }
  return JSON.stringify(body);
}

/** Builds `count` requests from the generator (deterministic for a seed). */
export function buildRequestMix(options: RequestMixOptions): { requests: LoadRequest[]; domains: string[] } {
  const sites = datasetSites({ sites: options.sites });
  const domainOf = new Map(sites.map((s) => [s.id, s.domain]));
  const requests: LoadRequest[] = [];
  let pageviews = 0;
  for (const { row, hit } of generateEvents({ seed: options.seed, events: options.count, sites, days: 1, endMs: DEFAULT_END_MS })) {
    const headers: Record<string, string> = { 'User-Agent': hit.userAgent, 'X-Forwarded-For': hit.ip };
    if (hit.name === 'pageview' && pageviews++ % 2 === 0) {
      const query = new URLSearchParams({ url: hit.url, t: hit.title, ref: hit.referrer });
      requests.push({ method: 'GET', path: `/a.gif?${query}`, headers });
    } else {
      const domain = domainOf.get(row.site_id) ?? '';
      requests.push({ method: 'POST', path: '/api/event', headers: { ...headers, 'Content-Type': 'text/plain' }, body: eventBody(hit, domain) });
    }
  }
  return { requests, domains: sites.map((s) => s.domain) };
}
