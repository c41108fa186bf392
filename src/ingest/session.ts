/**
 * Step: the visit (session) id. A visit ends after 30 minutes without events. The table
 * is in memory (entries expire, so it is bounded by the visitors of the last 30 minutes)
 * and is re-seeded from the store at start-up so a restart does not split visits.
 */
import { randomBytes } from 'node:crypto';

export const SESSION_TIMEOUT_MS = 30 * 60_000;

interface OpenSession {
  sessionId: string;
  /** The visitor id the visit started with (kept across a salt rotation). */
  visitorId: string;
  lastSeen: number;
}

export interface SessionAssignment {
  sessionId: string;
  visitorId: string;
}

export type IdSource = () => string;

export const randomId64: IdSource = () => randomBytes(8).readBigInt64BE(0).toString();

export class SessionTracker {
  private readonly open = new Map<string, OpenSession>();

  constructor(private readonly newId: IdSource = randomId64) {}

  /**
   * Continues the visitor's open visit or starts one. `previousVisitorId` is the same
   * person's hash under the previous salt, so a visit spanning a rotation stays one visit.
   * With `mayStart` false (engagement events) no new visit is started: returns undefined.
   */
  touch(siteId: number, visitorId: string, previousVisitorId: string | undefined, ts: number, mayStart = true): SessionAssignment | undefined {
    const key = `${siteId}:${visitorId}`;
    let session = this.live(key, ts);
    if (!session && previousVisitorId) {
      session = this.live(`${siteId}:${previousVisitorId}`, ts);
      if (session) this.open.set(key, session);
    }
    if (!session) {
      if (!mayStart) return undefined;
      session = { sessionId: this.newId(), visitorId, lastSeen: ts };
      this.open.set(key, session);
    }
    session.lastSeen = Math.max(session.lastSeen, ts);
    return { sessionId: session.sessionId, visitorId: session.visitorId };
  }

  /** True when this process knows an open visit of the visitor (under either salt). */
  isOpen(siteId: number, visitorId: string, previousVisitorId: string | undefined, ts: number): boolean {
    return !!this.live(`${siteId}:${visitorId}`, ts) || (!!previousVisitorId && !!this.live(`${siteId}:${previousVisitorId}`, ts));
  }

  /** Re-opens visits found in the store (start-up). */
  restore(siteId: number, visitorId: string, sessionId: string, lastSeen: number): void {
    this.open.set(`${siteId}:${visitorId}`, { sessionId, visitorId, lastSeen });
  }

  /** Forgets visits idle for longer than the timeout; returns how many remain. */
  sweep(now: number): number {
    for (const [key, session] of this.open) {
      if (now - session.lastSeen > SESSION_TIMEOUT_MS) this.open.delete(key);
    }
    return this.open.size;
  }

  get size(): number {
    return this.open.size;
  }

  private live(key: string, ts: number): OpenSession | undefined {
    const session = this.open.get(key);
    if (session && ts - session.lastSeen <= SESSION_TIMEOUT_MS) return session;
    return undefined;
  }
}
