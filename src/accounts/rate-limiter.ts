/**
 * An in-memory fixed-window rate limiter keyed by strings (IP, e-mail, share slug). State lives
 * in the instance the composition root creates; it is lost on restart, which only resets windows.
 * Keys are kept as keyed hashes (a random key per process), so visitors' IP addresses and
 * e-mail addresses are not held in memory for as long as their windows last.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

/** A budget of attempts per window. */
export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  /** Window length, ms. */
  windowMs: number;
}

interface Window {
  start: number;
  count: number;
}

/** Keys tracked at most; beyond it the oldest windows are forgotten so memory stays bounded. */
const MAX_KEYS = 50_000;

/** Counts attempts per key in fixed windows; see the file comment. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly hashKey = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit,
    /** Named in the error message, e.g. 'login attempts'. */
    private readonly what: string,
  ) {}

  /** Counts one attempt for `key`; throws AppError('rate_limited') once the window is full. */
  hit(rawKey: string): void {
    const key = this.keyOf(rawKey);
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) {
      if (this.windows.size >= MAX_KEYS) this.evict(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > this.limit.max) {
      const seconds = Math.ceil((window.start + this.limit.windowMs - now) / 1000);
      throw new AppError('rate_limited', `too many ${this.what}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
    }
  }

  /** Forgets a key (e.g. after a successful login, so a person's own typos stop counting). */
  reset(rawKey: string): void {
    this.windows.delete(this.keyOf(rawKey));
  }

  private keyOf(rawKey: string): string {
    return createHmac('sha256', this.hashKey).update(rawKey).digest('base64url').slice(0, 22);
  }

  private evict(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.limit.windowMs) this.windows.delete(key);
    }
    // Still full (an attack from many keys): drop the oldest half; Map iterates in insertion order.
    if (this.windows.size >= MAX_KEYS) {
      let n = this.windows.size / 2;
      for (const key of this.windows.keys()) {
        if (n-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}
