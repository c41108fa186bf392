/**
 * Access through a share link: the dashboard of /share/<slug> sends the slug in a header on
 * its API calls. An open link is the capability itself; a password-protected one also needs
 * the unlock cookie set after the password was checked. The link is looked up on every
 * request, so a revoked link stops working at once.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sharePrincipal, type Principal } from '../../accounts/principal.js';
import { AppError } from '../../errors.js';
import type { ShareLink } from '../../store/accounts.js';
import type { AppDeps } from '../deps.js';
import { isHttps, readCookies, setCookie } from './cookies.js';

/** Header carrying the share link's slug on the shared dashboard's API calls. */
export const SHARE_HEADER = 'x-footfall-share';
/** An unlocked protected link stays unlocked this long, ms. */
const UNLOCK_TTL_MS = 24 * 3600_000;
const SLUG_RE = /^[A-Za-z0-9_-]{8,64}$/;

function unlockCookieName(slug: string): string {
  return `ffs_${slug}`;
}

/** The unlock cookie is signed with a key derived from this process's secret admin token. */
function mac(adminToken: string, slug: string, expiresAt: number): string {
  const key = createHash('sha256').update(`footfall share unlock:${adminToken}`).digest();
  return createHmac('sha256', key).update(`${slug}.${expiresAt}`).digest('base64url');
}

/** Valid slug syntax (so junk never reaches the store). */
export function isShareSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_RE.test(value);
}

/**
 * The share link named `slug`, counting the request against the link's rate limit.
 * Throws AppError('not_found') for unknown or revoked links.
 */
export async function findShareLinkForRequest(request: FastifyRequest, deps: AppDeps, slug: unknown): Promise<ShareLink> {
  if (!isShareSlug(slug)) throw new AppError('not_found', 'this share link does not exist or was revoked');
  deps.accounts.shareRequests.hit(`${request.ip}|${slug}`);
  const link = await deps.store.findShareLink(slug);
  if (!link) throw new AppError('not_found', 'this share link does not exist or was revoked');
  return link;
}

/** True when the link is open, or the request carries a valid unlock cookie for it. */
export function isUnlocked(request: FastifyRequest, deps: AppDeps, link: ShareLink): boolean {
  if (link.passwordHash === null) return true;
  const value = readCookies(request).get(unlockCookieName(link.slug));
  const [expires, signature] = value?.split('.') ?? [];
  const expiresAt = Number(expires);
  if (!signature || !Number.isSafeInteger(expiresAt) || expiresAt <= deps.clock.now()) return false;
  const a = Buffer.from(signature);
  const b = Buffer.from(mac(deps.adminToken, link.slug, expiresAt));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Sets the unlock cookie after the link's password was verified. */
export function setUnlockCookie(request: FastifyRequest, reply: FastifyReply, deps: AppDeps, link: ShareLink): void {
  const expiresAt = deps.clock.now() + UNLOCK_TTL_MS;
  setCookie(reply, unlockCookieName(link.slug), `${expiresAt}.${mac(deps.adminToken, link.slug, expiresAt)}`, {
    maxAgeSeconds: UNLOCK_TTL_MS / 1000, secure: isHttps(request),
  });
}

/**
 * The read-only principal of a request sent through a share link (header x-footfall-share),
 * or undefined when the request names no link. Throws for revoked links (not_found), locked
 * links (unauthorized) and too many requests (rate_limited).
 */
export async function principalFromShare(request: FastifyRequest, deps: AppDeps): Promise<Principal | undefined> {
  const slug = request.headers[SHARE_HEADER];
  if (slug === undefined) return undefined;
  const link = await findShareLinkForRequest(request, deps, slug);
  if (!isUnlocked(request, deps, link)) throw new AppError('unauthorized', 'this share link needs its password');
  return sharePrincipal(link.siteId);
}
