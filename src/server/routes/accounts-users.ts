/** User management for admins: list, invite (create with a password), change role/sites, remove. */
import type { FastifyInstance } from 'fastify';
import { hashPassword, validatePassword } from '../../accounts/password.js';
import { assertAdmin } from '../../accounts/principal.js';
import { normalizeEmail, parseRole } from '../../accounts/user-input.js';
import { AppError } from '../../errors.js';
import type { User } from '../../store/accounts.js';
import type { Store } from '../../store/store.js';
import type { AppDeps } from '../deps.js';
import { requirePrincipal } from '../session/principal-from-session.js';
import { bodyOf, optionalString, optionalStringList } from '../session/request-input.js';

/** Site domains -> ids; throws AppError('bad_request') naming an unknown domain. */
async function siteIdsOf(store: Store, domains: string[]): Promise<number[]> {
  const sites = await store.listSites();
  return domains.map((domain) => {
    const site = sites.find((s) => s.domain === domain.trim().toLowerCase());
    if (!site) throw new AppError('bad_request', `sites: no site ${JSON.stringify(domain)}`);
    return site.id;
  });
}

function parseUserId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', `no user ${JSON.stringify(value)}`);
  return id;
}

/** GET/POST /api/ui/users, PATCH/DELETE /api/ui/users/:id (admins only). */
export async function accountsUserRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store } = deps;

  const view = async (users: User[]) => {
    const sites = await store.listSites();
    const domainOf = new Map(sites.map((s) => [s.id, s.domain]));
    return users.map((u) => ({
      id: u.id, email: u.email, role: u.role, createdAt: u.createdAt,
      sites: u.role === 'admin' ? [] : u.siteIds.flatMap((id) => domainOf.get(id) ?? []),
    }));
  };

  /** Refuses changes that would leave no admin able to log in. */
  const assertKeepsAnAdmin = async (changingId: number) => {
    const admins = (await store.listUsers()).filter((u) => u.role === 'admin');
    if (admins.length === 1 && admins[0]!.id === changingId) throw new AppError('conflict', 'this is the last admin; make someone else admin first');
  };

  app.get('/api/ui/users', async (request) => {
    assertAdmin(await requirePrincipal(request, deps));
    return { users: await view(await store.listUsers()) };
  });

  app.post('/api/ui/users', async (request) => {
    assertAdmin(await requirePrincipal(request, deps));
    const body = bodyOf(request);
    const role = parseRole(body.role);
    const user = await store.createUser({
      email: normalizeEmail(body.email),
      passwordHash: await hashPassword(validatePassword(body.password)),
      role,
      siteIds: role === 'admin' ? [] : await siteIdsOf(store, optionalStringList(body, 'sites') ?? []),
    });
    return { user: (await view([user]))[0] };
  });

  app.patch('/api/ui/users/:id', async (request) => {
    assertAdmin(await requirePrincipal(request, deps));
    const id = parseUserId((request.params as { id: string }).id);
    const body = bodyOf(request);
    const patch: Partial<Pick<User, 'passwordHash' | 'role' | 'siteIds'>> = {};
    if (body.role !== undefined) {
      patch.role = parseRole(body.role);
      if (patch.role !== 'admin') await assertKeepsAnAdmin(id);
    }
    const sites = optionalStringList(body, 'sites');
    if (sites) patch.siteIds = await siteIdsOf(store, sites);
    const password = optionalString(body, 'password');
    if (password !== undefined) patch.passwordHash = await hashPassword(validatePassword(password));
    const user = await store.updateUser(id, patch);
    return { user: (await view([user]))[0] };
  });

  app.delete('/api/ui/users/:id', async (request) => {
    assertAdmin(await requirePrincipal(request, deps));
    const id = parseUserId((request.params as { id: string }).id);
    await assertKeepsAnAdmin(id);
    await store.deleteUser(id);
    return { ok: true };
  });
}
