/** Validation of what people type for a site: its domain and its time zone. */
import { AppError } from '../errors.js';

/**
 * 'https://WWW.Example.com/' -> 'example.com'. Accepts a bare host or a URL; rejects
 * anything that is not a host name (ports, paths with content, spaces, IP-less garbage).
 */
export function normalizeDomain(input: string): string {
  let value = input.trim().toLowerCase();
  if (/^https?:\/\//.test(value)) {
    try {
      value = new URL(value).hostname;
    } catch {
      throw new AppError('bad_request', `not a domain: ${JSON.stringify(input)}`);
    }
  }
  value = value.replace(/\/+$/, '').replace(/^www\./, '');
  const label = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
  if (value.length > 253 || !new RegExp(`^(?:${label}\\.)*${label}$`).test(value)) {
    throw new AppError('bad_request', `not a domain: ${JSON.stringify(input)} (expected something like example.com)`);
  }
  return value;
}

/** Throws unless `zone` is an IANA time zone this Node knows. Returns the canonical spelling. */
export function validateTimezone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new AppError('bad_request', `unknown time zone ${JSON.stringify(zone)} (expected an IANA name like Europe/Berlin)`);
  }
}
