/**
 * Who is asking, whatever the credential (login session, share link, API key, local admin
 * token), and what they may do. Every route checks access through these functions only.
 */
import { AppError } from '../errors.js';
import type { Role } from '../store/accounts.js';

/** The caller of a dashboard or API request, whatever its credential. */
export interface Principal {
  /** How the request authenticated. */
  kind: 'user' | 'share' | 'api-key' | 'admin-token';
  /** Admins see every site, manage users and may use the SQL console. */
  admin: boolean;
  /** Sites this principal may read. */
  siteIds: number[] | 'all';
  /** May change settings of its readable sites (goals, time zone, share links, ...). */
  canWrite: boolean;
  /** The logged-in user (kind 'user'). */
  userId?: number;
  role?: Role;
  email?: string;
}

/** A principal for a logged-in user of `role`. */
export function userPrincipal(user: { id: number; email: string; role: Role; siteIds: number[] }): Principal {
  const admin = user.role === 'admin';
  return {
    kind: 'user', admin, siteIds: admin ? 'all' : [...user.siteIds], canWrite: user.role !== 'viewer',
    userId: user.id, role: user.role, email: user.email,
  };
}

/** A principal for a visitor of a share link: read-only, one site. */
export function sharePrincipal(siteId: number): Principal {
  return { kind: 'share', admin: false, siteIds: [siteId], canWrite: false };
}

/** True when the principal may read the site's numbers. */
export function canReadSite(principal: Principal, siteId: number): boolean {
  return principal.admin || principal.siteIds === 'all' || principal.siteIds.includes(siteId);
}

/** True when the principal may change the site's settings, goals and share links. */
export function canWriteSite(principal: Principal, siteId: number): boolean {
  return principal.canWrite && canReadSite(principal, siteId);
}

/**
 * Throws AppError('not_found') when the site may not be read: a site one may not see is
 * indistinguishable from one that does not exist, so its name leaks nothing.
 */
export function assertCanRead(principal: Principal, siteId: number, domain: string): void {
  if (!canReadSite(principal, siteId)) throw new AppError('not_found', `no site ${domain}`);
}

/** Throws unless the site may be read (not_found) and changed (forbidden). */
export function assertCanWrite(principal: Principal, siteId: number, domain: string): void {
  assertCanRead(principal, siteId, domain);
  if (!principal.canWrite) throw new AppError('forbidden', 'read-only access: ask a member or an admin to change this site');
}

/** Throws AppError('forbidden') unless the principal is an admin. */
export function assertAdmin(principal: Principal): void {
  if (!principal.admin) throw new AppError('forbidden', 'only admins may do this');
}
