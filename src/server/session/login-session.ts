/**
 * Login sessions: a random cookie value whose sha256 is stored (a stolen database holds no
 * usable cookie), a CSRF token per session, a fresh session at every login (rotation: a
 * session id planted before login is never promoted).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import type { LoginSession } from '../../store/accounts.js';
import type { Store } from '../../store/store.js';
import { isHttps, readCookies, setCookie } from './cookies.js';

/** Name of the login session cookie. */
export const SESSION_COOKIE = 'ff_session';
/** How long a login lasts, ms. */
export const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** Header the dashboard sends the CSRF token in, on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** sha256 hex of a session cookie value: what the store keeps. */
export function hashSessionId(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The session of the request's cookie, when it exists and has not expired. */
export async function findLoginSession(request: FastifyRequest, store: Store, clock: Clock): Promise<LoginSession | undefined> {
  const value = readCookies(request).get(SESSION_COOKIE);
  if (!value || value.length > 100) return undefined;
  const session = await store.findLoginSession(hashSessionId(value));
  if (!session || session.expiresAt <= clock.now()) return undefined;
  return session;
}

/**
 * Starts a session for `userId`: ends the request's previous session (if any), stores the new
 * one and sets its cookie. Returns the CSRF token the dashboard must echo.
 */
export async function startLoginSession(request: FastifyRequest, reply: FastifyReply, store: Store, clock: Clock, userId: number): Promise<string> {
  const previous = readCookies(request).get(SESSION_COOKIE);
  if (previous) await store.deleteLoginSession(hashSessionId(previous));
  await store.deleteLoginSessionsBefore(clock.now());
  const value = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await store.createLoginSession({ idHash: hashSessionId(value), userId, csrfToken, expiresAt: clock.now() + SESSION_TTL_MS });
  setCookie(reply, SESSION_COOKIE, value, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: isHttps(request) });
  return csrfToken;
}

/** Ends the request's session (in the store and in the browser). */
export async function endLoginSession(request: FastifyRequest, reply: FastifyReply, store: Store): Promise<void> {
  const value = readCookies(request).get(SESSION_COOKIE);
  if (value) await store.deleteLoginSession(hashSessionId(value));
  setCookie(reply, SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: isHttps(request) });
}
