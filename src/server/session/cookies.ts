/** Reading and writing cookies (RFC 6265 subset): the dashboard's login session and share unlocks. */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Cookie name -> value of the request's Cookie header; the first of duplicates wins. */
export function readCookies(request: FastifyRequest): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = request.headers.cookie;
  if (typeof header !== 'string') return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** Attributes of a cookie we set. */
export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAgeSeconds: number;
  /** Set when the request came over https (directly or through a trusted proxy). */
  secure: boolean;
  path?: string;
}

/**
 * Appends a Set-Cookie header. Always HttpOnly (no script needs these values) and SameSite=Lax
 * (sent on top-level navigations from other sites, never on their cross-site subrequests).
 * Values must be cookie-safe already (we only set base64url and dots).
 */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('set-cookie', [...list, parts.join('; ')]);
}

/** True when the request reached us over https (Fastify honours X-Forwarded-Proto only with trustProxy). */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}
