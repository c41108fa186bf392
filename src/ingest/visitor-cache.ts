/**
 * Visitor ids of recently seen (site, IP, User-Agent) combinations, so that a visitor's second
 * and later hits skip the two HMACs (~5 us each) of visitor.ts.
 *
 * Privacy: the cache never holds an IP or a User-Agent. Its key is a 53-bit hash of them
 * seeded with random bytes drawn at start-up (kept only in memory), and its values are the
 * visitor ids that are stored anyway. Entries remember the salt secrets they were computed
 * with, so a salt rotation recomputes them, and everything is forgotten when the set of
 * loaded salts changes (`generation`, e.g. an old salt deleted) or the cache is full.
 * Two combinations sharing a key (about 1 in 10^8 at the size limit) would share a visitor id.
 */
import { randomBytes } from 'node:crypto';
import { visitorId } from './visitor.js';

/** Entries kept; the oldest goes first (~150 bytes each). */
const CACHE_LIMIT = 20_000;

interface Entry {
  secret: string;
  id: string;
  previousSecret: string | undefined;
  previousId: string | undefined;
}

export interface VisitorIds {
  current: string;
  previous: string | undefined;
}

export class VisitorIdCache {
  private readonly entries = new Map<number, Entry>();
  private readonly seed = randomBytes(4).readUInt32LE(0);
  private generation = -1;

  constructor(private readonly limit = CACHE_LIMIT) {}

  /** Ids under the current and (when loaded) previous salt; `generation` identifies the loaded salt set. */
  ids(generation: number, secret: string, previousSecret: string | undefined, siteId: number, ip: string, userAgent: string): VisitorIds {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    const key = hash53(`${siteId}\n${ip}\n${userAgent}`, this.seed);
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
      entry = { secret: '', id: '', previousSecret: undefined, previousId: undefined };
      this.entries.set(key, entry);
    }
    if (entry.secret !== secret) {
      entry.secret = secret;
      entry.id = visitorId(secret, siteId, ip, userAgent);
    }
    if (entry.previousSecret !== previousSecret) {
      entry.previousSecret = previousSecret;
      entry.previousId = previousSecret ? visitorId(previousSecret, siteId, ip, userAgent) : undefined;
    }
    return { current: entry.id, previous: entry.previousId };
  }

  get size(): number {
    return this.entries.size;
  }
}

/** cyrb53: a fast, well-mixed 53-bit string hash (not cryptographic: only the cache key). */
function hash53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
