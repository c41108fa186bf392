/**
 * Derived metrics from the base aggregates the SQL returns. Ratios are computed from exact
 * integer counts and rounded here, the same way on every store: bounce_rate and
 * visit_duration to whole numbers, views_per_visit, percentage and conversion_rate to 2 decimals.
 */
import type { BaseColumn, OrderQuantity } from './compile/aggregate-spec.js';
import type { Metric } from './model.js';

/** The base aggregates of one group (counts; duration_ms in milliseconds). */
export type BaseValues = Record<BaseColumn, number>;

/** A group with nothing in it. */
export const ZERO_BASE: BaseValues = { pageviews: 0, events: 0, visitors: 0, visits: 0, bounces: 0, duration_ms: 0, visit_pageviews: 0 };

/** Rounds to 2 decimals (half up for the non-negative rates; point changes may be negative). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Values a metric needs besides its own group's counts. */
export interface MetricContext {
  /** Visitors of the whole query (no dimensions): the denominator of `percentage`. */
  totalVisitors: number;
  /** Visitors of the group without goal filtering: the denominator of `conversion_rate`. */
  goalBaseVisitors: number;
}

/** visit_duration in seconds, bounce_rate/percentage/conversion_rate in percent. */
export function metricValue(metric: Metric, b: BaseValues, ctx: MetricContext): number {
  switch (metric) {
    case 'visitors': return b.visitors;
    case 'visits': return b.visits;
    case 'pageviews': return b.pageviews;
    case 'events': return b.events;
    case 'views_per_visit': return b.visits === 0 ? 0 : round2(b.visit_pageviews / b.visits);
    case 'bounce_rate': return b.visits === 0 ? 0 : Math.round((b.bounces * 100) / b.visits);
    case 'visit_duration': return b.visits === 0 ? 0 : Math.round(b.duration_ms / b.visits / 1000);
    case 'percentage': return ctx.totalVisitors === 0 ? 0 : round2((b.visitors * 100) / ctx.totalVisitors);
    case 'conversion_rate': return ctx.goalBaseVisitors === 0 ? 0 : round2((b.visitors * 100) / ctx.goalBaseVisitors);
  }
}

/** The unrounded quantity a metric orders by (the SQL orders by the same double). */
export function orderQuantity(q: OrderQuantity, b: BaseValues): number {
  switch (q) {
    case 'bounce_rate': return b.visits === 0 ? 0 : (b.bounces * 100) / b.visits;
    case 'views_per_visit': return b.visits === 0 ? 0 : b.visit_pageviews / b.visits;
    case 'visit_duration': return b.visits === 0 ? 0 : b.duration_ms / b.visits;
    default: return b[q];
  }
}

/** What a metric orders by in SQL (percentage orders like visitors: the total is constant). */
export function quantityOfMetric(metric: Exclude<Metric, 'conversion_rate'>): OrderQuantity {
  return metric === 'percentage' ? 'visitors' : metric;
}

/** Metrics whose change is a difference in points rather than a relative change. */
const POINT_METRICS: ReadonlySet<Metric> = new Set(['bounce_rate', 'percentage', 'conversion_rate']);

/**
 * Change from the comparison period: points for rates (bounce_rate, percentage,
 * conversion_rate), else percent change rounded to a whole number; null when the comparison
 * value is 0 and the current one is not.
 */
export function metricChange(metric: Metric, current: number, previous: number): number | null {
  if (POINT_METRICS.has(metric)) return round2(current - previous);
  if (previous === 0) return current === 0 ? 0 : null;
  return Math.round(((current - previous) * 100) / previous);
}

/** The base aggregates a metric is derived from (and ordered by). */
export function baseColumnsOf(metric: Metric): BaseColumn[] {
  switch (metric) {
    case 'visitors': case 'percentage': case 'conversion_rate': return ['visitors'];
    case 'visits': return ['visits'];
    case 'pageviews': return ['pageviews'];
    case 'events': return ['events'];
    case 'views_per_visit': return ['visit_pageviews', 'visits'];
    case 'bounce_rate': return ['bounces', 'visits'];
    case 'visit_duration': return ['duration_ms', 'visits'];
  }
}

/** Whether a metric is computed from events (else from visits). */
export function needsEventAggregates(metric: Metric): boolean {
  return metric === 'visitors' || metric === 'pageviews' || metric === 'events' || metric === 'percentage' || metric === 'conversion_rate';
}
