/**
 * Bearer authentication of /api/v2/*: `Authorization: Bearer <key>` is an API key looked up by
 * its sha256, or the local admin token (the CLI's), which counts as an admin key.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_PRINCIPAL, principalForKey, type Principal } from '../../query/access.js';
import type { Store } from '../../store/store.js';
import { bearerToken, isAdminToken } from '../admin-token.js';

export interface ApiKeyAuth {
  /** Adds an onRequest hook to `scope` (an encapsulated plugin) that authenticates every request. */
  install(scope: FastifyInstance): void;
  /** The authenticated caller of a request of that scope. */
  principalOf(request: FastifyRequest): Principal;
}

export function createApiKeyAuth(
  store: Store,
  adminToken: string,
  /** The dashboard's credentials (login session, share link); consulted only when no Bearer token is sent. */
  fromBrowser?: (request: FastifyRequest) => Promise<Principal | undefined>,
): ApiKeyAuth {
  // Per app instance, and weak so that finished requests are forgotten.
  const principals = new WeakMap<FastifyRequest, Principal>();
  return {
    install(scope) {
      scope.addHook('onRequest', async (request) => {
        const token = bearerToken(request);
        const browser = token === undefined && fromBrowser ? await fromBrowser(request) : undefined;
        const principal = browser ?? (isAdminToken(token, adminToken) ? ADMIN_PRINCIPAL : await principalForKey(store, token));
        principals.set(request, principal);
      });
    },
    principalOf(request) {
      const principal = principals.get(request);
      if (!principal) throw new Error('principalOf: the request was not authenticated');
      return principal;
    },
  };
}
