/**
 * Who may query what. API keys are random secrets shown once; only their sha256 is stored.
 * A key scoped to sites sees only those; an admin key sees every site and the SQL console.
 * (Pure and transport-free: the CLI creates keys with it and the HTTP layer checks them.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { ApiKey } from '../store/metadata.js';
import type { Site } from '../store/site.js';
import type { Store } from '../store/store.js';

/** The caller of an API request. */
export interface Principal {
  /** The key's id; undefined for the local admin token. */
  keyId: number | undefined;
  name: string;
  admin: boolean;
  /** Sites the caller may read; empty = all. */
  siteIds: number[];
  /**
   * A public share link: aggregates only. Export and the per-visitor reports (visitor-paths,
   * top-user-agents) hand out raw events, visitor ids, IPs or User-Agents, so they are refused.
   */
  shareLink?: boolean;
}

/** Report names that list individual visitors or raw strings rather than aggregates. */
const RAW_REPORTS = new Set(['visitor-paths', 'top-user-agents']);

/** Throws AppError('forbidden') when a share link asks for raw events or a per-visitor report. */
export function requireRawAccess(principal: Principal, what: string): void {
  if (principal.shareLink && (what === 'export' || RAW_REPORTS.has(what))) {
    throw new AppError('forbidden', `a share link shows aggregates only; ${what} needs a login or an API key`);
  }
}

/** Every key starts with this, so leaked keys are easy to recognise (and scan for). */
export const KEY_PREFIX = 'ff_';
/** Characters of a key kept in clear to tell keys apart in lists. */
const SHOWN_PREFIX_LENGTH = 10;

/** sha256 of a key, hex: what the store keeps. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (256 bits, base64url) with what to store about it. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashApiKey(key) };
}

/** The caller a stored key stands for; admin keys are never scoped. */
export function principalOfKey(key: ApiKey): Principal {
  return { keyId: key.id, name: key.name, admin: key.admin, siteIds: key.admin ? [] : key.siteIds };
}

/** The local admin token's caller (the CLI on this machine). */
export const ADMIN_PRINCIPAL: Principal = { keyId: undefined, name: 'local admin', admin: true, siteIds: [] };

/** Looks a presented key up by its hash; unauthorized when missing or unknown. */
export async function principalForKey(store: Store, key: string | undefined): Promise<Principal> {
  if (!key) throw new AppError('unauthorized', 'an API key is required: send Authorization: Bearer <key>');
  const found = await store.findApiKeyByHash(hashApiKey(key));
  if (!found) throw new AppError('unauthorized', 'unknown or revoked API key');
  return principalOfKey(found);
}

/** Whether the caller may read the site with this id. */
export function canReadSite(principal: Principal, siteId: number): boolean {
  return principal.admin || principal.siteIds.length === 0 || principal.siteIds.includes(siteId);
}

/**
 * The site a caller asked for by domain. A key scoped to other sites gets 'forbidden' whether or
 * not the domain exists (it must not learn which sites exist); others get 'not_found'.
 */
export async function siteForPrincipal(store: Store, principal: Principal, domain: unknown, field = 'site_id'): Promise<Site> {
  if (typeof domain !== 'string' || domain.length === 0) {
    throw new AppError('invalid_query', `${field}: expected the site domain`, { field });
  }
  const site = await store.getSite(domain.toLowerCase());
  const scoped = !principal.admin && principal.siteIds.length > 0;
  if (!site || !canReadSite(principal, site.id)) {
    if (scoped) throw new AppError('forbidden', `${field}: this API key may not read site ${domain}`, { field });
    throw new AppError('not_found', `${field}: no site ${domain}`, { field });
  }
  return site;
}

/** Throws AppError('forbidden') unless the caller is an admin; `what` names the feature. */
export function requireAdmin(principal: Principal, what: string): void {
  if (!principal.admin) throw new AppError('forbidden', `${what} needs an admin API key`);
}
