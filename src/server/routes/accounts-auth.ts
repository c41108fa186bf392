/**
 * The dashboard's own account routes: who am I, first-admin setup, login and logout.
 * Login sessions are cookies (session/login-session.ts); these routes answer JSON.
 */
import type { FastifyInstance } from 'fastify';
import { dummyHash, hashPassword, validatePassword, verifyPassword } from '../../accounts/password.js';
import { userPrincipal } from '../../accounts/principal.js';
import { normalizeEmail } from '../../accounts/user-input.js';
import { AppError } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { endLoginSession, findLoginSession, startLoginSession } from '../session/login-session.js';
import { principalFromSession } from '../session/principal-from-session.js';
import { assertSameOrigin, bodyOf, requiredString } from '../session/request-input.js';

/** GET /api/ui/session, POST /api/ui/setup, /login, /logout, /password. */
export async function accountsAuthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, clock, accounts } = deps;
  // Computed once: verifying against it makes logins for unknown e-mails as slow as real ones.
  const dummy = dummyHash();

  app.get('/api/ui/session', async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const session = await findLoginSession(request, store, clock);
    const user = session ? await store.getUser(session.userId) : undefined;
    if (!session || !user) {
      const setupRequired = accounts.setupToken.pending && (await store.listUsers()).length === 0;
      return { user: null, csrfToken: null, setupRequired };
    }
    const principal = userPrincipal(user);
    return {
      user: { id: user.id, email: user.email, role: user.role, admin: principal.admin, canWrite: principal.canWrite },
      csrfToken: session.csrfToken,
      setupRequired: false,
    };
  });

  app.post('/api/ui/setup', async (request, reply) => {
    assertSameOrigin(request, deps.config.publicUrl);
    const body = bodyOf(request);
    accounts.loginByIp.hit(request.ip);
    if (!accounts.setupToken.matches(body.token)) {
      throw new AppError('forbidden', 'this setup link is not valid (it works once; restart the server on an empty data dir for a new one)');
    }
    if ((await store.listUsers()).length > 0) {
      accounts.setupToken.consume();
      throw new AppError('conflict', 'an account exists already; log in instead');
    }
    const email = normalizeEmail(body.email);
    const password = validatePassword(body.password);
    const user = await store.createUser({ email, passwordHash: await hashPassword(password), role: 'admin', siteIds: [] });
    accounts.setupToken.consume();
    const csrfToken = await startLoginSession(request, reply, store, clock, user.id);
    return { user: { id: user.id, email: user.email, role: user.role }, csrfToken };
  });

  app.post('/api/ui/login', async (request, reply) => {
    assertSameOrigin(request, deps.config.publicUrl);
    const body = bodyOf(request);
    const email = requiredString(body, 'email').trim().toLowerCase();
    const password = requiredString(body, 'password');
    accounts.loginByIp.hit(request.ip);
    accounts.loginByEmail.hit(email);
    const user = await store.findUserByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummy));
    if (!user || !ok) throw new AppError('unauthorized', 'wrong e-mail or password');
    accounts.loginByEmail.reset(email);
    const csrfToken = await startLoginSession(request, reply, store, clock, user.id);
    return { user: { id: user.id, email: user.email, role: user.role }, csrfToken };
  });

  app.post('/api/ui/logout', async (request, reply) => {
    // Checks the CSRF token: a foreign page must not be able to log people out either.
    await principalFromSession(request, deps);
    await endLoginSession(request, reply, store);
    return { ok: true };
  });

  app.post('/api/ui/password', async (request) => {
    const principal = await principalFromSession(request, deps);
    if (!principal?.userId) throw new AppError('unauthorized', 'log in first');
    const body = bodyOf(request);
    const user = await store.getUser(principal.userId);
    accounts.loginByEmail.hit(principal.email ?? '');
    if (!user || !(await verifyPassword(requiredString(body, 'current'), user.passwordHash))) {
      throw new AppError('forbidden', 'the current password is wrong');
    }
    await store.updateUser(user.id, { passwordHash: await hashPassword(validatePassword(body.next)) });
    return { ok: true };
  });
}
