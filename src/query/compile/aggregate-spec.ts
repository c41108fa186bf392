/** What the planner asks the compiler for: one grouped aggregate over a site's events. */
import type { Goal } from '../../store/metadata.js';
import type { UtcRange } from '../date-range.js';
import type { Dimension, Filter } from '../model.js';
import type { OffsetSegment } from '../time-zone.js';

/**
 * Base aggregates every compiled aggregate returns (as columns of these names, numbers):
 * pageviews, events, visitors (event level) and visits, bounces, duration_ms, visit_pageviews
 * (visit level); derived metrics are computed from them in TypeScript.
 */
export const BASE_COLUMNS = ['pageviews', 'events', 'visitors', 'visits', 'bounces', 'duration_ms', 'visit_pageviews'] as const;
export type BaseColumn = (typeof BASE_COLUMNS)[number];

/** Orderable quantities: base counts and the ratios derived metrics are made of. */
export type OrderQuantity = 'visitors' | 'visits' | 'pageviews' | 'events' | 'bounce_rate' | 'views_per_visit' | 'visit_duration';

export type SqlOrderTerm =
  | { type: 'quantity'; quantity: OrderQuantity; direction: 'asc' | 'desc' }
  | { type: 'dimension'; index: number; direction: 'asc' | 'desc' };

export interface AggregateSpec {
  siteId: number;
  range: UtcRange;
  /** UTC offsets of the site's zone over `range`, to derive local times for time:* dimensions. */
  segments: OffsetSegment[];
  dimensions: Dimension[];
  filter: Filter | undefined;
  /** The site's goals, in the order event:goal and goal filters use them. */
  goals: Goal[];
  /** pageviews / events / visitors are needed. */
  needEvent: boolean;
  /** visits / bounces / duration_ms / visit_pageviews are needed. */
  needSession: boolean;
  /**
   * The base columns the caller reads (undefined: all of them). The others come back as 0, so
   * that no engine spends a pass on them (a distinct count or a per-visit aggregate each).
   */
  columns?: ReadonlySet<BaseColumn>;
  /**
   * Ask for `total_visitors` (the visitors of all groups together, the denominator of
   * percentage) as a column of every row. A shape that cannot give it cheaply leaves it out and
   * the caller counts apart.
   */
  totalVisitors?: boolean;
  /** Ordering and page; when undefined the caller sorts and pages (no ORDER BY / LIMIT). */
  page: { order: SqlOrderTerm[]; limit: number; offset: number } | undefined;
}
