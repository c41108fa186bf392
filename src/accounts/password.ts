/**
 * Password hashing with scrypt (node:crypto), stored as 'scrypt$N$r$p$salt$hash' (salt and hash
 * base64url) so that the cost can be raised later without breaking existing hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../errors.js';

/** Cost parameters: N=2^15, r=8 uses 32 MiB and ~50-100 ms per hash on a small server. */
const DEFAULT_COST = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Shortest and longest password accepted (bytes of UTF-8); the upper bound caps hashing work. */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest password accepted, bytes of UTF-8 (caps the hashing work an attacker can ask for). */
export const MAX_PASSWORD_LENGTH = 1024;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, plus slack.
    scrypt(password, salt, KEY_BYTES, { ...options, maxmem: 256 * (options.N ?? 16384) * (options.r ?? 8) }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

/** Throws AppError('bad_request') unless the password is acceptable. */
export function validatePassword(password: unknown): string {
  if (typeof password !== 'string') throw new AppError('bad_request', 'password: expected a string');
  const bytes = Buffer.byteLength(password);
  if (bytes < MIN_PASSWORD_LENGTH) throw new AppError('bad_request', `password: use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (bytes > MAX_PASSWORD_LENGTH) throw new AppError('bad_request', `password: use at most ${MAX_PASSWORD_LENGTH} bytes`);
  return password;
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, DEFAULT_COST);
  const { N, r, p } = DEFAULT_COST;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `stored`; false for any malformed hash (never throws on input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20) return false;
  if (Buffer.byteLength(password) > MAX_PASSWORD_LENGTH) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const key = await scryptAsync(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, for verifying against when the user does not exist, so that a
 * login for an unknown e-mail takes as long as one for a known e-mail.
 */
export function dummyHash(): Promise<string> {
  return hashPassword(randomBytes(16).toString('hex'));
}
