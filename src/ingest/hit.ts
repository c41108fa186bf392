/** What the collector endpoints hand to the ingest pipeline, after parsing and validation. */

/** One event as a tracker sent it (validated, not yet enriched). */
export interface Hit {
  /** 'pageview', 'engagement' or a custom event name. */
  name: string;
  /** Absolute http(s) URL of the page. */
  url: string;
  /** Site domain(s) as the tracker said (Plausible allows 'a.com,b.com'); undefined = the URL's host. */
  domain: string | undefined;
  referrer: string;
  title: string;
  props: Record<string, string>;
  revenue: { amount: number; currency: string } | undefined;
  /** Hash-based routing: the URL fragment is part of the page path. */
  hashMode: boolean;
  screenWidth: number | null;
  /** False for non-interactive events (they do not end a bounce). */
  interactive: boolean;
  /** Engagement events: maximum scroll depth in percent. */
  scrollDepth: number | null;
  /** Engagement events: engaged time in ms. */
  engagementMs: number | null;
}

/** Facts about the HTTP request that carried the hit. */
export interface RequestInfo {
  /** Client IP (X-Forwarded-For only when trust-proxy is on). */
  ip: string;
  userAgent: string;
  headers: Record<string, string | string[] | undefined>;
  /** When the request arrived, ms since epoch UTC. */
  receivedAt: number;
}

export type DropReason =
  | 'bot'
  | 'spam'
  | 'unknown_site'
  | 'no_visit'
  | 'overload';

/** A hit that is well-formed but not counted; the reason is counted and shown. */
export interface Drop {
  drop: DropReason;
}

export function isDrop(value: unknown): value is Drop {
  return typeof value === 'object' && value !== null && 'drop' in value;
}
