/**
 * Step 0: turn what a tracker sent into a validated Hit, or throw AppError('bad_request')
 * with a one-line reason. Accepts Plausible's event body (long and short keys) and the
 * classic /a.gif query string.
 */
import { AppError } from '../errors.js';
import type { Hit } from './hit.js';
import { storableText, truncateText } from './storable-text.js';

export const MAX_BODY_BYTES = 8 * 1024;
const MAX_URL = 2000;
const MAX_NAME = 120;
const MAX_TITLE = 500;
const MAX_PROPS = 30;
const MAX_PROP_KEY = 300;
const MAX_PROP_VALUE = 2000;
/** Widest screen_width every store's column holds (SMALLINT); wider values are clamped to it. */
const MAX_SCREEN_WIDTH = 32_767;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(message: string): never {
  throw new AppError('bad_request', message);
}

/** Decodes a request body as strict UTF-8 (invalid bytes are an error, not U+FFFD). */
export function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    bad('body is not valid UTF-8');
  }
}

/** Parses a POST /api/event body (JSON, sent as application/json or text/plain). */
export function parseEventBody(text: string): Hit {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    bad('body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('body must be a JSON object');
  const body = parsed as Record<string, unknown>;
  const pick = (long: string, short: string): unknown => (body[long] !== undefined ? body[long] : body[short]);

  const name = requireString(pick('name', 'n'), 'name', MAX_NAME);
  const url = parsePageUrl(requireString(pick('url', 'u'), 'url', MAX_URL), 'url');
  const domain = optionalString(pick('domain', 'd'), 'domain', 1000);
  const referrer = optionalString(pick('referrer', 'r'), 'referrer', MAX_URL) ?? '';
  const title = truncateText(optionalString(pick('title', 't'), 'title', 10_000) ?? '', MAX_TITLE);
  const props = parseProps(pick('props', 'p'));
  const revenue = parseRevenue(pick('revenue', '$'));
  const hashMode = optionalFlag(pick('hash', 'h'), 'h') ?? false;
  const interactive = optionalFlag(pick('interactive', 'i'), 'i') ?? true;
  const screenWidth = optionalInt(pick('screen_width', 'w'), 'w', 0, MAX_SCREEN_WIDTH) ?? null;
  optionalVersion(pick('version', 'v'));
  const isEngagement = name === 'engagement';
  const scrollDepth = optionalInt(pick('scroll_depth', 'sd'), 'sd', 0, 100);
  const engagementMs = optionalInt(pick('engagement_time', 'e'), 'e', 0, 86_400_000);
  return {
    name, url, domain, referrer, title, props, revenue, hashMode, screenWidth, interactive,
    scrollDepth: isEngagement ? scrollDepth ?? null : null,
    engagementMs: isEngagement ? engagementMs ?? null : null,
  };
}

/** Parses the classic `/a.gif?url=&t=&ref=` query string. */
export function parseGifQuery(query: Record<string, unknown>): Hit {
  const url = parsePageUrl(requireString(query.url, 'url', MAX_URL), 'url');
  const title = truncateText(optionalString(query.t, 't', 10_000) ?? '', MAX_TITLE);
  const referrer = optionalString(query.ref, 'ref', MAX_URL) ?? '';
  return {
    name: 'pageview', url, domain: undefined, referrer, title, props: {}, revenue: undefined,
    hashMode: false, screenWidth: null, interactive: true, scrollDepth: null, engagementMs: null,
  };
}

// Every string of a hit passes through storableText (see storable-text.ts) before it is
// checked: text no store can hold must never be acknowledged.
function requireString(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null || value === '') bad(`${field} is required`);
  if (typeof value !== 'string') bad(`${field} must be a string`);
  const text = storableText(value);
  if (text === '') bad(`${field} is required`);
  if (text.length > max) bad(`${field} is longer than ${max} characters`);
  return text;
}

function optionalString(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') bad(`${field} must be a string`);
  const text = storableText(value);
  if (text.length > max) bad(`${field} is longer than ${max} characters`);
  return text;
}

function optionalFlag(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  bad(`${field} must be a boolean or 0/1`);
}

function optionalInt(value: unknown, field: string, min: number, max: number): number | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) bad(`${field} must be a number`);
  return Math.round(Math.min(max, Math.max(min, value)));
}

function optionalVersion(value: unknown): void {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'string') return;
  bad('v must be a number or string');
}

/** The page URL must be absolute http(s); anything else is a client bug or garbage. */
export function parsePageUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    bad(`${field} is not a valid absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') bad(`${field} must be an http(s) URL`);
  if (!url.hostname) bad(`${field} has no host`);
  return url.href;
}

function parseJsonField(value: unknown, field: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    bad(`${field} is not valid JSON`);
  }
}

function parseProps(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const parsed = parseJsonField(value, 'props');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('props must be an object');
  const out: Record<string, string> = {};
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > MAX_PROPS) bad(`props has more than ${MAX_PROPS} keys`);
  for (const [rawKey, raw] of entries) {
    const key = storableText(rawKey);
    if (key.length === 0 || key.length > MAX_PROP_KEY) bad(`props key must be 1 to ${MAX_PROP_KEY} characters`);
    if (raw === null || raw === undefined) continue;
    if (typeof raw === 'object') bad(`props.${key} must be a string, number or boolean`);
    const text = storableText(String(raw));
    if (text.length > MAX_PROP_VALUE) bad(`props.${key} is longer than ${MAX_PROP_VALUE} characters`);
    // defineProperty: a key like "__proto__" is kept as data, not taken as the object's prototype.
    Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function parseRevenue(value: unknown): Hit['revenue'] {
  if (value === undefined || value === null) return undefined;
  const parsed = parseJsonField(value, 'revenue');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('revenue must be an object {amount, currency}');
  const { amount, currency } = parsed as Record<string, unknown>;
  const n = typeof amount === 'string' ? Number(amount) : amount;
  if (typeof n !== 'number' || !Number.isFinite(n)) bad('revenue.amount must be a number');
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) bad('revenue.currency must be a 3-letter ISO code');
  return { amount: n, currency: currency.toUpperCase() };
}
