/**
 * One stored event: the row of the wide `events` table, as every store holds it.
 * Strings that are unknown are '' (never null) so that grouping and filtering behave the
 * same on every engine; numbers that do not apply are null.
 */
export interface EventRow {
  site_id: number;
  /** Milliseconds since the Unix epoch, UTC. */
  ts: number;
  /** 'pageview', 'engagement' (time/scroll on a page view) or a custom event name. */
  name: string;
  hostname: string;
  pathname: string;
  title: string;
  /** Query parameters of the page URL as a JSON object string ('{}' when none). */
  query: string;
  /** The referrer URL as sent ('' when none or a self-referral). */
  referrer: string;
  /** Readable source name derived from the referrer or utm_source, e.g. 'Google'. */
  referrer_source: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  /** ISO 3166-1 alpha-2 country code, '' when unknown. */
  country: string;
  browser: string;
  browser_version: string;
  os: string;
  os_version: string;
  /** 'Desktop', 'Mobile', 'Tablet' or ''. */
  device: string;
  /** Screen width in CSS pixels. */
  screen_width: number | null;
  /** Keyed 64-bit hash of (salt, site, IP, User-Agent) as a signed decimal string. */
  visitor_id: string;
  /** Random signed 64-bit id of the visit (30 minutes of inactivity ends it), decimal string. */
  session_id: string;
  /** Custom properties as a JSON object string of string values ('{}' when none). */
  props: string;
  revenue_amount: number | null;
  revenue_currency: string;
  /** Engagement events only: maximum scroll depth in percent (0-100). */
  scroll_depth: number | null;
  /** Engagement events only: engaged time in milliseconds. */
  engagement_ms: number | null;
  /** False for non-interactive custom events (they do not end a bounce). */
  interactive: boolean;
  /** Raw mode only: the client IP. null otherwise. */
  ip: string | null;
  /** Raw mode only: the request headers as a JSON object string. null otherwise. */
  headers: string | null;
}

/** Column names in table order; stores create their table in this order. */
export const EVENT_COLUMNS = [
  'site_id', 'ts', 'name', 'hostname', 'pathname', 'title', 'query', 'referrer', 'referrer_source',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country',
  'browser', 'browser_version', 'os', 'os_version', 'device', 'screen_width',
  'visitor_id', 'session_id', 'props', 'revenue_amount', 'revenue_currency',
  'scroll_depth', 'engagement_ms', 'interactive', 'ip', 'headers',
] as const satisfies readonly (keyof EventRow)[];

export type EventColumn = (typeof EVENT_COLUMNS)[number];
