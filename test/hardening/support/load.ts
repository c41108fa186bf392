/**
 * Bounded load for the hardening tests: a few concurrent clients each sending uniquely keyed
 * hits (the page path is the key) through POST /api/event or the classic /a.gif, recording
 * exactly which keys the collector acknowledged. Every loop stops at a count AND a deadline.
 */
import { DESKTOP_UA } from '../../helpers/server.js';

export type Channel = 'event' | 'gif';

export interface LoadOptions {
  baseUrl: string;
  /** Concurrent clients. */
  clients: number;
  /** Upper bound on requests sent (all clients together). */
  maxRequests: number;
  /** Upper bound on wall time, ms. */
  maxMs: number;
  /** Page path prefix; the n-th request uses `${prefix}/${n}`. */
  prefix: string;
  /** Which endpoint the n-th request uses (default: every third is a pixel). */
  channel?: (n: number) => Channel;
  /** Site domain the hits are for. */
  domain?: string;
  /** Stops a client at its first network error (the server died). */
  stopOnNetworkError?: boolean;
  /** Pause between a client's requests, ms (0 = as fast as answers come). */
  pauseMs?: number;
  /** Checked before each request; true stops the load. */
  stop?: () => boolean;
  userAgent?: string;
  /** Called with every answer: when the request started and ended (ms since epoch) and its outcome. */
  onAnswer?: (answer: { key: string; channel: Channel; outcome: string; retryAfter?: string | null; startedAt: number; endedAt: number }) => void;
}

export interface LoadResult {
  /** Keys (paths) of every request sent. */
  sent: Set<string>;
  /** Keys the collector acknowledged: 202 for events, 200 without a drop header for pixels. */
  acknowledged: Set<string>;
  /** Count per outcome: HTTP status, `gif:<drop reason>`, or `network`. */
  outcomes: Map<string, number>;
  /** Retry-After values seen on 503 answers of /api/event. */
  retryAfter: string[];
  /** Answers that were neither an acknowledgement, a 503 with Retry-After, nor an overload drop. */
  unexpected: string[];
}

export function channelMix(n: number): Channel {
  return n % 3 === 2 ? 'gif' : 'event';
}

/** Sends one keyed hit; returns the outcome label and whether it was acknowledged. */
export async function sendHit(baseUrl: string, channel: Channel, pathKey: string, domain: string, userAgent: string):
  Promise<{ outcome: string; acknowledged: boolean; retryAfter?: string | null }> {
  const page = `https://${domain}${pathKey}`;
  const signal = AbortSignal.timeout(15_000);
  if (channel === 'event') {
    const res = await fetch(`${baseUrl}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': userAgent },
      body: JSON.stringify({ n: 'pageview', u: page, d: domain }),
      signal,
    });
    await res.arrayBuffer();
    return { outcome: String(res.status), acknowledged: res.status === 202, retryAfter: res.status === 503 ? res.headers.get('retry-after') : undefined };
  }
  const res = await fetch(`${baseUrl}/a.gif?${new URLSearchParams({ url: page, t: 'Load', ref: '' })}`, {
    headers: { 'user-agent': userAgent },
    signal,
  });
  await res.arrayBuffer();
  const dropped = res.headers.get('x-footfall-dropped');
  if (res.status === 200 && dropped) return { outcome: `gif:${dropped}`, acknowledged: false };
  return { outcome: String(res.status), acknowledged: res.status === 200 };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { sent: new Set(), acknowledged: new Set(), outcomes: new Map(), retryAfter: [], unexpected: [] };
  const deadline = Date.now() + options.maxMs;
  const domain = options.domain ?? 'example.com';
  const channel = options.channel ?? channelMix;
  const ua = options.userAgent ?? DESKTOP_UA;
  let next = 0;
  const count = (outcome: string) => result.outcomes.set(outcome, (result.outcomes.get(outcome) ?? 0) + 1);

  const client = async () => {
    while (next < options.maxRequests && Date.now() < deadline && !options.stop?.()) {
      const n = next++;
      const key = `${options.prefix}/${n}`;
      const via = channel(n);
      result.sent.add(key);
      const startedAt = Date.now();
      try {
        const answer = await sendHit(options.baseUrl, via, key, domain, ua);
        count(answer.outcome);
        options.onAnswer?.({ key, channel: via, outcome: answer.outcome, retryAfter: answer.retryAfter, startedAt, endedAt: Date.now() });
        if (answer.acknowledged) result.acknowledged.add(key);
        else if (answer.outcome === '503' && via === 'event' && answer.retryAfter) result.retryAfter.push(answer.retryAfter);
        else if (answer.outcome !== 'gif:overload') result.unexpected.push(`${via} ${key}: ${answer.outcome}`);
      } catch {
        count('network');
        options.onAnswer?.({ key, channel: via, outcome: 'network', startedAt, endedAt: Date.now() });
        if (options.stopOnNetworkError) return;
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return result;
}

/** Merges the outcome counts of several loads (for messages). */
export function describeOutcomes(outcomes: Map<string, number>): string {
  return [...outcomes].map(([k, v]) => `${k}=${v}`).join(' ');
}
