/**
 * The one-time setup token: on a start with no users, the server prints /setup?token=... and
 * whoever opens it creates the first admin. The token lives only in this process's memory and
 * is used up by the first successful setup.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The outstanding one-time setup token of this process, if any. */
export class SetupToken {
  private token: string | undefined;

  /** Issues a fresh token (replacing any earlier one) and returns it. */
  issue(): string {
    this.token = randomBytes(24).toString('base64url');
    return this.token;
  }

  /** True while a token is outstanding. */
  get pending(): boolean {
    return this.token !== undefined;
  }

  /** True when `candidate` is the outstanding token (constant time). */
  matches(candidate: unknown): boolean {
    if (this.token === undefined || typeof candidate !== 'string') return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Uses the token up. */
  consume(): void {
    this.token = undefined;
  }
}
