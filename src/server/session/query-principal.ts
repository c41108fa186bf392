/**
 * The bridge from browser credentials (login session, share link) to the Stats API's caller
 * type (query/access.ts), so the dashboard reads its numbers through the same public API as
 * API keys do.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal as QueryPrincipal } from '../../query/access.js';
import type { AppDeps } from '../deps.js';
import { principalFromBrowser } from './principal-from-session.js';

/**
 * No site has this id. In query/access.ts an empty site list means "all sites" (as for API
 * keys); a user assigned no site must see none, so that list becomes [NO_SITE].
 */
const NO_SITE = -1;

/**
 * The Stats API caller of a request without a Bearer credential: its share link
 * (x-footfall-share) or login session cookie (CSRF-checked on POST), else undefined.
 */
export async function queryPrincipalFromBrowser(request: FastifyRequest, deps: AppDeps): Promise<QueryPrincipal | undefined> {
  const principal = await principalFromBrowser(request, deps);
  if (!principal) return undefined;
  const siteIds = principal.admin || principal.siteIds === 'all' ? [] : principal.siteIds.length > 0 ? [...principal.siteIds] : [NO_SITE];
  const name = principal.kind === 'share' ? 'share link' : `user ${principal.email ?? principal.userId ?? ''}`;
  return { keyId: undefined, name, admin: principal.admin, siteIds, shareLink: principal.kind === 'share' };
}
