/**
 * The principal of a browser request: a login session cookie (with the CSRF check on every
 * state-changing request) or a share link. API routes call this for requests without a Bearer
 * credential, so the dashboard uses the same public API as everyone else.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { userPrincipal, type Principal } from '../../accounts/principal.js';
import { AppError } from '../../errors.js';
import { bearerToken, isAdminToken } from '../admin-token.js';
import type { AppDeps } from '../deps.js';
import { CSRF_HEADER, findLoginSession } from './login-session.js';
import { principalFromShare } from './share-access.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The logged-in user of the request's session cookie, or undefined when there is no valid
 * session. Throws AppError('forbidden') for a state-changing request (anything but GET, HEAD,
 * OPTIONS) whose X-CSRF-Token header does not match the session's token.
 */
export async function principalFromSession(request: FastifyRequest, deps: AppDeps): Promise<Principal | undefined> {
  const session = await findLoginSession(request, deps.store, deps.clock);
  if (!session) return undefined;
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !sameToken(header, session.csrfToken)) {
      throw new AppError('forbidden', 'missing or wrong CSRF token; reload the page');
    }
  }
  const user = await deps.store.getUser(session.userId);
  return user ? userPrincipal(user) : undefined;
}

/** A share link (x-footfall-share header) if the request names one, else the login session. */
export async function principalFromBrowser(request: FastifyRequest, deps: AppDeps): Promise<Principal | undefined> {
  return (await principalFromShare(request, deps)) ?? principalFromSession(request, deps);
}

/**
 * The principal for the dashboard's own routes (/api/ui/*): the local admin token (the CLI),
 * a share link where `allowShare`, else a login session. Throws AppError('unauthorized').
 */
export async function requirePrincipal(request: FastifyRequest, deps: AppDeps, options: { allowShare?: boolean } = {}): Promise<Principal> {
  if (isAdminToken(bearerToken(request), deps.adminToken)) return { kind: 'admin-token', admin: true, siteIds: 'all', canWrite: true };
  const share = options.allowShare ? await principalFromShare(request, deps) : undefined;
  const principal = share ?? (await principalFromSession(request, deps));
  if (!principal) throw new AppError('unauthorized', 'log in first');
  return principal;
}
