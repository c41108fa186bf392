/**
 * Share links: members create read-only public links to a site's dashboard (optionally with a
 * password) and revoke them; visitors of /share/<slug> learn which site it shows and unlock it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashPassword, validatePassword, verifyPassword } from '../../accounts/password.js';
import { assertCanWrite, type Principal } from '../../accounts/principal.js';
import { AppError } from '../../errors.js';
import type { ShareLink } from '../../store/accounts.js';
import type { Site } from '../../store/site.js';
import type { AppDeps } from '../deps.js';
import { requirePrincipal } from '../session/principal-from-session.js';
import { bodyOf, optionalString, requiredString } from '../session/request-input.js';
import { findShareLinkForRequest, isUnlocked, setUnlockCookie } from '../session/share-access.js';

function linkView(link: ShareLink) {
  return { id: link.id, slug: link.slug, protected: link.passwordHash !== null, createdAt: link.createdAt, path: `/share/${link.slug}` };
}

/** /api/ui/sites/:domain/shares (members) and the public /api/share/:slug[/unlock]. */
export async function shareLinkRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store } = deps;

  const writableSite = async (request: FastifyRequest): Promise<{ site: Site; principal: Principal }> => {
    const principal = await requirePrincipal(request, deps);
    const domain = String((request.params as { domain: string }).domain).toLowerCase();
    const site = await store.getSite(domain);
    if (!site) throw new AppError('not_found', `no site ${domain}`);
    assertCanWrite(principal, site.id, domain);
    return { site, principal };
  };

  app.get('/api/ui/sites/:domain/shares', async (request) => {
    const { site } = await writableSite(request);
    return { shares: (await store.listShareLinks(site.id)).map(linkView) };
  });

  app.post('/api/ui/sites/:domain/shares', async (request) => {
    const { site } = await writableSite(request);
    const password = optionalString(bodyOf(request), 'password');
    const passwordHash = password ? await hashPassword(validatePassword(password)) : null;
    // 144 random bits: the slug is the capability of an open link.
    const link = await store.createShareLink({ siteId: site.id, slug: randomBytes(18).toString('base64url'), passwordHash });
    return { share: linkView(link) };
  });

  app.delete('/api/ui/sites/:domain/shares/:id', async (request) => {
    const { site } = await writableSite(request);
    const id = Number((request.params as { id: string }).id);
    if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'no such share link');
    await store.deleteShareLink(site.id, id);
    return { ok: true };
  });

  // Public: what a share link shows. Rate-limited per client and link.
  app.get('/api/share/:slug', async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const link = await findShareLinkForRequest(request, deps, (request.params as { slug: string }).slug);
    const site = (await store.listSites()).find((s) => s.id === link.siteId);
    if (!site) throw new AppError('not_found', 'this share link does not exist or was revoked');
    const unlocked = isUnlocked(request, deps, link);
    return { protected: link.passwordHash !== null, unlocked, site: unlocked ? { domain: site.domain, timezone: site.timezone } : null };
  });

  app.post('/api/share/:slug/unlock', async (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    const link = await findShareLinkForRequest(request, deps, slug);
    deps.accounts.shareUnlocks.hit(`${request.ip}|${link.slug}`);
    const password = requiredString(bodyOf(request), 'password');
    if (link.passwordHash === null || !(await verifyPassword(password, link.passwordHash))) {
      throw new AppError('unauthorized', 'wrong password');
    }
    deps.accounts.shareUnlocks.reset(`${request.ip}|${link.slug}`);
    setUnlockCookie(request, reply, deps, link);
    return { ok: true };
  });
}
