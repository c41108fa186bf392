/**
 * The typed query model, shaped like Plausible's Stats API v2. A JSON body is parsed and
 * validated once (parse-query.ts) into a `Query`; everything after that trusts it.
 *
 * Semantics (the same for every store, and re-implemented independently by the tests):
 * - Only events of the site with `ts` inside the date range count, and 'engagement' rows
 *   never count (they only carry time/scroll of a page view).
 * - A visit (session) is the set of counted events sharing a session_id. Its visit:*
 *   attributes come from its first page view ('' when it has none), entry/exit page are the
 *   paths of its first/last page view; duration = last event - first event; it bounced when
 *   it has at most one page view and no interactive custom event. Exception: the
 *   VISITOR_ATTRIBUTES (country, browser, OS, device and versions) are derived from the IP and
 *   User-Agent, the inputs of the visitor hash that ties a visit together, so every event of a
 *   visit carries the same value; a visit has that value even without a page view, and the
 *   engine reads it from each event instead of building the visit (much cheaper).
 * - A filter is a predicate on one event together with its visit's attributes. Event metrics
 *   (pageviews, events, visitors) count the events that pass it; visit metrics (visits,
 *   bounce_rate, visit_duration, views_per_visit) count the visits with at least one event
 *   that passes it, over all of that visit's events.
 * - Grouping: event metrics group each passing event by its own event:* / time:* values and
 *   its visit's visit:* values; a visit is grouped by the event:* values of its passing
 *   events (so it may count in several groups), its visit:* values and the time bucket of
 *   its start.
 */
import type { ComparisonMode, DateRangeSpec } from './date-range.js';

export const METRICS = [
  'visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events',
  'percentage', 'conversion_rate',
] as const;
export type Metric = (typeof METRICS)[number];

/** Visit attributes and the per-row column (or expression kind) each is read from. */
export const VISIT_ATTRIBUTES = {
  entry_page: 'pathname',
  exit_page: 'pathname',
  source: 'referrer_source',
  referrer: 'referrer',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
  country: 'country',
  browser: 'browser',
  browser_version: 'browser_version',
  os: 'os',
  os_version: 'os_version',
  device: 'device',
  screen: 'screen_width',
} as const;
export type VisitAttribute = keyof typeof VISIT_ATTRIBUTES;

/**
 * Visit attributes that are the same on every event of a visit: derived from the IP address
 * (country) or the User-Agent, which with the site define the visitor hash the visit belongs
 * to. Screen width is not one of them: the tracker reports it per event.
 */
export const VISITOR_ATTRIBUTES: ReadonlySet<VisitAttribute> = new Set<VisitAttribute>([
  'country', 'browser', 'browser_version', 'os', 'os_version', 'device',
]);

export const EVENT_FIELDS = { page: 'pathname', hostname: 'hostname', name: 'name' } as const;
export type EventField = keyof typeof EVENT_FIELDS;

export const TIME_GRAINS = ['hour', 'day', 'week', 'month', 'hour_of_day', 'day_of_week'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

/** A validated dimension. `name` is the API spelling, e.g. 'visit:source' or 'event:props:plan'. */
export type Dimension =
  | { kind: 'event'; name: string; field: EventField }
  | { kind: 'goal'; name: 'event:goal' }
  | { kind: 'prop'; name: string; key: string }
  | { kind: 'visit'; name: string; attribute: VisitAttribute }
  | { kind: 'time'; name: string; grain: TimeGrain };

/** Dimensions a filter may use (time is chosen with date_range instead). */
export type FilterDimension = Exclude<Dimension, { kind: 'time' }>;

export const FILTER_OPERATORS = ['is', 'is_not', 'contains', 'contains_not', 'matches', 'matches_not'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type Filter =
  | { op: 'and' | 'or'; filters: Filter[] }
  | { op: 'not'; filter: Filter }
  | { op: FilterOperator; dimension: FilterDimension; values: string[]; caseSensitive: boolean };

export type FilterLeaf = Extract<Filter, { dimension: FilterDimension }>;

export type OrderKey = { type: 'metric'; metric: Metric } | { type: 'dimension'; index: number };

export interface OrderTerm {
  key: OrderKey;
  direction: 'asc' | 'desc';
}

export interface Query {
  /** The site's domain. */
  siteId: string;
  metrics: Metric[];
  dateRange: DateRangeSpec;
  dimensions: Dimension[];
  /** All top-level filters combined with AND; undefined when none. */
  filter: Filter | undefined;
  /** Explicit order; undefined means the default (time ascending, else first metric descending). */
  orderBy: OrderTerm[] | undefined;
  include: { timeLabels: boolean; totalRows: boolean; comparison: ComparisonMode | undefined };
  pagination: { limit: number; offset: number };
}

export const MAX_LIMIT = 10_000;

/** Prop values that are missing (or empty) group and filter as this label, as in Plausible. */
export const NONE_LABEL = '(none)';

/** Screen size classes of visit:screen, by CSS pixel width (Plausible's breakpoints). */
export const SCREEN_CLASSES: ReadonlyArray<{ below: number; label: string }> = [
  { below: 576, label: 'Mobile' },
  { below: 992, label: 'Tablet' },
  { below: 1440, label: 'Laptop' },
];
export const SCREEN_CLASS_WIDEST = 'Desktop';

/** A dimension value in a result row: a string, or a number for time:hour_of_day/day_of_week. */
export type DimensionValue = string | number;

export interface ResultRow {
  dimensions: DimensionValue[];
  metrics: Array<number | null>;
  comparison?: { dimensions: DimensionValue[]; metrics: Array<number | null>; change: Array<number | null> };
}

export interface QueryResult {
  results: ResultRow[];
  meta: {
    /** Local dates (site time zone) the query covered, inclusive. */
    date_range: [string, string];
    time_zone: string;
    comparison_date_range?: [string, string];
    time_labels?: DimensionValue[];
    total_rows?: number;
  };
  query: Record<string, unknown>;
}
