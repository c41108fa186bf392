/**
 * The salts of the visitor hash. A salt belongs to a rotation period (24 h by default,
 * aligned to UTC). The keeper holds the current and previous period's salts in memory so
 * hashing never waits on the store, creates the next one ahead of time, and deletes salts
 * older than 48 h. Salts live in the store, so several collectors share them.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';

const HOUR_MS = 3_600_000;
/** Salts are deleted this long after they were created. */
export const SALT_MAX_AGE_MS = 48 * HOUR_MS;

export function saltPeriod(rotationHours: number, tsMs: number, offset = 0): string {
  return `h${rotationHours}:${Math.floor(tsMs / (rotationHours * HOUR_MS)) + offset}`;
}

export class SaltKeeper {
  private readonly secrets = new Map<string, string>();
  private readonly rotations = new Set<number>([24]);
  private loaded = 0;

  /** Changes whenever a salt is loaded or forgotten: caches of salted hashes start over then. */
  get generation(): number {
    return this.loaded;
  }

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Loads or creates the salts of every rotation in use (previous, current, next period). */
  async refresh(rotationHours: Iterable<number> = []): Promise<void> {
    for (const hours of rotationHours) this.rotations.add(hours);
    const now = this.clock.now();
    const wanted = new Set<string>();
    for (const hours of this.rotations) {
      for (const offset of [0, 1]) {
        const period = saltPeriod(hours, now, offset);
        wanted.add(period);
        const salt = await this.store.getOrCreateSalt(period, () => randomBytes(32).toString('hex'), now);
        if (this.secrets.get(period) !== salt.secret) this.loaded++;
        this.secrets.set(period, salt.secret);
      }
      wanted.add(saltPeriod(hours, now, -1));
    }
    await this.store.deleteSaltsBefore(now - SALT_MAX_AGE_MS);
    for (const period of [...this.secrets.keys()]) {
      if (!wanted.has(period) && this.secrets.delete(period)) this.loaded++;
    }
  }

  /**
   * The salt secret for the period containing tsMs, or undefined when it is not loaded.
   * The previous period's salt stays loaded (until deleted) so visits across a rotation continue.
   */
  secret(rotationHours: number, tsMs: number, offset = 0): string | undefined {
    return this.secrets.get(saltPeriod(rotationHours, tsMs, offset));
  }
}
