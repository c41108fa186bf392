/** Realtime: visitors of the last 5 minutes and the pages they are on. */
import type { Site } from '../store/site.js';
import type { AggregateSpec } from './compile/aggregate-spec.js';
import { compileAggregate } from './compile/compile-aggregate.js';
import { dialectFor } from './compile/dialects.js';
import type { QueryEnv } from './run-query.js';
import { runSql } from './run-sql.js';

/** How far back "current visitors" look: 5 minutes. */
export const REALTIME_WINDOW_MS = 5 * 60_000;

export interface RealtimeResult {
  site_id: string;
  /** Distinct visitors with an event in the last 5 minutes. */
  visitors: number;
  pageviews: number;
  /** Pages viewed in the window, most visitors first (at most 10). */
  top_pages: Array<{ page: string; visitors: number; pageviews: number }>;
  /** The window, ms since epoch UTC: [from, to]. */
  window: { from: number; to: number };
}

/** Visitors and page views of the last 5 minutes (per the clock) and the top pages among them. */
export async function realtime(env: QueryEnv, site: Site, topPages = 10): Promise<RealtimeResult> {
  const now = env.clock.now();
  const d = dialectFor(env.store.dialect);
  const base: AggregateSpec = {
    siteId: site.id,
    // Events stamped in this very millisecond count too.
    range: { startMs: now - REALTIME_WINDOW_MS, endMs: now + 1 },
    segments: [{ fromMs: now - REALTIME_WINDOW_MS, offsetMs: 0 }],
    dimensions: [], filter: undefined, goals: [], needEvent: true, needSession: false, page: undefined,
  };
  const totals = await runSql(env.store, compileAggregate(d, base));
  const pages = await runSql(env.store, compileAggregate(d, {
    ...base,
    dimensions: [{ kind: 'event', name: 'event:page', field: 'page' }],
    filter: { op: 'is', dimension: { kind: 'event', name: 'event:name', field: 'name' }, values: ['pageview'], caseSensitive: true },
    page: { order: [{ type: 'quantity', quantity: 'visitors', direction: 'desc' }, { type: 'quantity', quantity: 'pageviews', direction: 'desc' }], limit: topPages, offset: 0 },
  }));
  return {
    site_id: site.domain,
    visitors: Number(totals[0]?.visitors ?? 0),
    pageviews: Number(totals[0]?.pageviews ?? 0),
    top_pages: pages.map((r) => ({ page: String(r.d0), visitors: Number(r.visitors), pageviews: Number(r.pageviews) })),
    window: { from: now - REALTIME_WINDOW_MS, to: now },
  };
}
