/**
 * Site settings for the dashboard: the sites a principal may see, adding and removing sites
 * (admins), time zone and raw mode (members), and goals.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertAdmin, assertCanRead, assertCanWrite, canReadSite, canWriteSite, type Principal } from '../../accounts/principal.js';
import { AppError } from '../../errors.js';
import { normalizeDomain, validateTimezone } from '../../sites/site-input.js';
import type { Site } from '../../store/site.js';
import type { AppDeps } from '../deps.js';
import { requirePrincipal } from '../session/principal-from-session.js';
import { bodyOf, optionalString, requiredString } from '../session/request-input.js';

function siteView(site: Site, principal: Principal) {
  return { id: site.id, domain: site.domain, timezone: site.timezone, raw: site.raw, canWrite: canWriteSite(principal, site.id) };
}

/** /api/ui/sites[/:domain[/goals[/:id]]]: list, add, change, remove sites and their goals. */
export async function settingsSiteRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store } = deps;

  /** The site named in the URL, if the principal may read it (else not_found, like a missing site). */
  const siteOf = async (request: FastifyRequest, principal: Principal): Promise<Site> => {
    const domain = String((request.params as { domain: string }).domain).toLowerCase();
    const site = await store.getSite(domain);
    if (!site) throw new AppError('not_found', `no site ${domain}`);
    assertCanRead(principal, site.id, domain);
    return site;
  };

  app.get('/api/ui/sites', async (request) => {
    const principal = await requirePrincipal(request, deps);
    const sites = (await store.listSites()).filter((s) => canReadSite(principal, s.id));
    return { sites: sites.map((s) => siteView(s, principal)) };
  });

  app.get('/api/ui/sites/:domain', async (request) => {
    const principal = await requirePrincipal(request, deps, { allowShare: true });
    return { site: siteView(await siteOf(request, principal), principal) };
  });

  app.post('/api/ui/sites', async (request) => {
    const principal = await requirePrincipal(request, deps);
    assertAdmin(principal);
    const body = bodyOf(request);
    const site = await store.addSite({
      domain: normalizeDomain(requiredString(body, 'domain')),
      timezone: validateTimezone(optionalString(body, 'timezone') ?? 'UTC'),
      raw: body.raw === true,
    });
    return { site: siteView(site, principal) };
  });

  app.patch('/api/ui/sites/:domain', async (request) => {
    const principal = await requirePrincipal(request, deps);
    const site = await siteOf(request, principal);
    assertCanWrite(principal, site.id, site.domain);
    const body = bodyOf(request);
    const patch: Partial<Pick<Site, 'timezone' | 'raw'>> = {};
    const timezone = optionalString(body, 'timezone');
    if (timezone !== undefined) patch.timezone = validateTimezone(timezone);
    if (body.raw !== undefined) {
      if (typeof body.raw !== 'boolean') throw new AppError('bad_request', 'raw: expected true or false');
      patch.raw = body.raw;
    }
    return { site: siteView(await store.updateSite(site.domain, patch), principal) };
  });

  // Removing a site deletes every event of it: admins only, and the domain must be typed again.
  app.delete('/api/ui/sites/:domain', async (request) => {
    const principal = await requirePrincipal(request, deps);
    const site = await siteOf(request, principal);
    assertAdmin(principal);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.confirm !== site.domain) throw new AppError('bad_request', `confirm: type the domain ${site.domain} to delete it and all its data`);
    await store.removeSite(site.domain);
    return { ok: true };
  });

  app.get('/api/ui/sites/:domain/goals', async (request) => {
    const principal = await requirePrincipal(request, deps, { allowShare: true });
    const site = await siteOf(request, principal);
    return { goals: await store.listGoals(site.id) };
  });

  app.post('/api/ui/sites/:domain/goals', async (request) => {
    const principal = await requirePrincipal(request, deps);
    const site = await siteOf(request, principal);
    assertCanWrite(principal, site.id, site.domain);
    const body = bodyOf(request);
    const kind = body.kind;
    if (kind !== 'event' && kind !== 'page') throw new AppError('bad_request', 'kind: expected "event" or "page"');
    const match = requiredString(body, 'match').trim();
    if (match.length > 200) throw new AppError('bad_request', 'match: at most 200 characters');
    if (kind === 'page' && !match.startsWith('/')) throw new AppError('bad_request', 'match: a page goal is a path starting with /');
    return { goal: await store.addGoal(site.id, { kind, match }) };
  });

  app.delete('/api/ui/sites/:domain/goals/:id', async (request) => {
    const principal = await requirePrincipal(request, deps);
    const site = await siteOf(request, principal);
    assertCanWrite(principal, site.id, site.domain);
    const id = Number((request.params as { id: string }).id);
    if (!Number.isSafeInteger(id)) throw new AppError('not_found', 'no such goal');
    await store.removeGoal(site.id, id);
    return { ok: true };
  });
}
