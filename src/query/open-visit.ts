/**
 * Finds a visitor's open visit in the store. Collectors that share a store (PostgreSQL,
 * ClickHouse) ask it when they have not seen the visitor themselves, so a visit whose hits
 * are spread over several processes stays one visit.
 */
import type { Store } from '../store/store.js';
import { dialectFor } from './compile/dialects.js';
import { SqlParams } from './compile/dialect.js';

export interface OpenVisit {
  visitorId: string;
  sessionId: string;
  /** ms since epoch UTC of the visit's latest stored event. */
  lastTs: number;
}

/**
 * Longest a hit waits for the lookup. A hung store (not a failed one: that answers at once)
 * must not stall every new visitor's hit; past this the hit starts a new visit instead, the
 * same outcome as a store that is down.
 */
export const OPEN_VISIT_TIMEOUT_MS = 500;

/** The most recent visit of any of `visitorIds` on the site with an event at or after `sinceMs`. */
export async function findOpenVisit(store: Store, siteId: number, visitorIds: string[], sinceMs: number): Promise<OpenVisit | undefined> {
  const dialect = dialectFor(store.dialect);
  const params = new SqlParams(dialect);
  const ids = visitorIds.map((id) => `CAST(${params.add(id)} AS BIGINT)`).join(', ');
  const sql = `SELECT ${dialect.castText('visitor_id')} AS visitor_id, ${dialect.castText('session_id')} AS session_id,
      ${dialect.epochMs('max(ts)')} AS last_ts
    FROM events
    WHERE site_id = ${params.add(siteId)} AND ts >= ${dialect.timestampFromMs(params.add(sinceMs))} AND visitor_id IN (${ids})
    GROUP BY visitor_id, session_id
    ORDER BY last_ts DESC
    LIMIT 1${dialect.querySuffix}`;
  const row = (await store.query(sql, params.values))[0];
  return row ? { visitorId: String(row.visitor_id), sessionId: String(row.session_id), lastTs: Number(row.last_ts) } : undefined;
}

/** findOpenVisit that gives up (undefined) when the store fails or takes longer than `timeoutMs`. */
export async function findOpenVisitWithin(timeoutMs: number, ...args: Parameters<typeof findOpenVisit>): Promise<OpenVisit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, timeoutMs, undefined); });
  try {
    return await Promise.race([findOpenVisit(...args).catch(() => undefined), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
