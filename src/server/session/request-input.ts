/** Small helpers for the dashboard's JSON routes: the body as a record, same-origin checks. */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';

/** The JSON body as a plain object; throws AppError('bad_request') for anything else. */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('bad_request', 'expected a JSON object body (Content-Type: application/json)');
  }
  return body as Record<string, unknown>;
}

/** An optional string field; throws when present with another type. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AppError('bad_request', `${field}: expected a string`);
  return value;
}

/** A non-empty string field; throws AppError('bad_request') naming it. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw new AppError('bad_request', `${field}: required`);
  return value;
}

/** An optional list of strings, e.g. site domains. */
export function optionalStringList(body: Record<string, unknown>, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new AppError('bad_request', `${field}: expected a list of strings`);
  return value as string[];
}

/**
 * Refuses requests whose Origin header names another host. Used on the routes that run before
 * a session exists (setup, login), where no CSRF token can be checked yet: browsers always send
 * Origin on cross-site POSTs, and JSON bodies cannot be posted cross-site without a preflight.
 * Hosts are compared, not schemes, so a TLS-terminating proxy (request seen as http) still works;
 * `publicUrl` covers proxies that rewrite the Host header.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl?: string): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'cross-site request refused');
  }
  const allowed = [request.host];
  if (publicUrl) {
    try {
      allowed.push(new URL(publicUrl).host);
    } catch {
      // config validated elsewhere
    }
  }
  if (!allowed.includes(host)) throw new AppError('forbidden', 'cross-site request refused');
}
