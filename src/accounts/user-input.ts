/** Validation of what people type for a user: e-mail, role and site list. */
import { AppError } from '../errors.js';
import type { Role } from '../store/accounts.js';

/** Every role, most powerful first. */
export const ROLES: readonly Role[] = ['admin', 'member', 'viewer'];

/** Lower-cased, trimmed e-mail; throws AppError('bad_request') unless it looks like one. */
export function normalizeEmail(input: unknown): string {
  if (typeof input !== 'string') throw new AppError('bad_request', 'email: expected a string');
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new AppError('bad_request', `email: ${JSON.stringify(input)} is not an e-mail address`);
  }
  return email;
}

/** A role from input; throws AppError('bad_request') naming the allowed ones. */
export function parseRole(input: unknown): Role {
  if (typeof input === 'string' && (ROLES as readonly string[]).includes(input)) return input as Role;
  throw new AppError('bad_request', `role: expected one of ${ROLES.join(', ')}, got ${JSON.stringify(input)}`);
}
