/**
 * The state accounts need in the server process: the setup token, rate limiters and where the
 * built dashboard lives. Created once by the composition root (no module-level state).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../clock.js';
import { RateLimiter } from '../../accounts/rate-limiter.js';
import { SetupToken } from '../../accounts/setup-token.js';

/** Per-process account state, injected through AppDeps.accounts. */
export interface AccountDeps {
  setupToken: SetupToken;
  /** Login attempts per client IP. */
  loginByIp: RateLimiter;
  /** Login attempts per e-mail (slows guessing one account from many IPs). */
  loginByEmail: RateLimiter;
  /** Requests through share links per client IP and link. */
  shareRequests: RateLimiter;
  /** Password attempts on protected share links per client IP and link. */
  shareUnlocks: RateLimiter;
  /** Directory of the built dashboard (index.html, assets/). */
  uiDir: string;
}

/** Limits chosen so people never meet them and scripts crawl. */
export function createAccountDeps(clock: Clock, uiDir = defaultUiDir()): AccountDeps {
  const minute = 60_000;
  return {
    setupToken: new SetupToken(),
    loginByIp: new RateLimiter(clock, { max: 20, windowMs: 15 * minute }, 'login attempts'),
    loginByEmail: new RateLimiter(clock, { max: 10, windowMs: 15 * minute }, 'login attempts for this account'),
    shareRequests: new RateLimiter(clock, { max: 600, windowMs: minute }, 'requests through this share link'),
    shareUnlocks: new RateLimiter(clock, { max: 10, windowMs: 15 * minute }, 'password attempts for this share link'),
    uiDir,
  };
}

/**
 * dist/ui beside the bundle (dist/cli.js -> dist/ui) or, when running from sources (tsx),
 * the repository's dist/ui.
 */
export function defaultUiDir(): string {
  const candidates = [new URL('./ui/', import.meta.url), new URL('../../../dist/ui/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return fileURLToPath(candidates[1]!);
}
