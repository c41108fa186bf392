/** Referrer / UTM -> a readable source name ('Google', 'Hacker News', or the bare referrer host). */
import { SOURCE_NAMES, UTM_SOURCE_NAMES } from './source-names.js';

/** Host of a URL without 'www.', lower-case; '' when unparsable. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** True when `host` is `domain` or one of its subdomains. */
export function isSameSiteHost(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Source of a visit from its referrer: '' for direct traffic and self-referrals (the
 * referrer is on the page's own host or a subdomain of it), else a known name or the host.
 */
export function referrerSource(referrer: string, pageHostname: string): string {
  return sourceOfHost(hostOf(referrer), pageHostname);
}

/** referrerSource on a referrer host already parsed with hostOf ('' = no usable referrer). */
export function sourceOfHost(host: string, pageHostname: string): string {
  if (!host) return '';
  const page = pageHostname.toLowerCase().replace(/^www\./, '');
  if (page && (isSameSiteHost(host, page) || isSameSiteHost(page, host))) return '';
  return knownSource(host) ?? host;
}

/** The source a utm_source value names ('' when none given). */
export function utmSourceName(utmSource: string): string {
  const value = utmSource.trim();
  if (!value) return '';
  return lookup(UTM_SOURCE_NAMES, value.toLowerCase()) ?? value;
}

function knownSource(host: string): string | undefined {
  const parts = host.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    const candidate = parts.slice(i).join('.');
    const name = lookup(SOURCE_NAMES, candidate);
    if (name) return name;
  }
  // Search engines on country domains: google.de, google.co.uk, yandex.ru ...
  for (const prefix of ['google.', 'yandex.']) {
    if (host.startsWith(prefix) || host.includes(`.${prefix}`)) return lookup(SOURCE_NAMES, prefix);
  }
  return undefined;
}

/**
 * Own entries only: the keys are visitor-controlled, and a plain lookup of 'constructor' or
 * '__proto__' finds Object.prototype members, which would reach the row as a non-string
 * (dropped by JSON: a NOT NULL column left empty, a spool segment no store accepts).
 */
function lookup(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
