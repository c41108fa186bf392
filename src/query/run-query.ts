/**
 * Runs a validated Query: resolves the site's date range and offsets, compiles one aggregate
 * per period through the store's dialect (plus the denominators of percentage and
 * conversion_rate when asked), derives the metrics and shapes the Stats API v2 answer.
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Goal } from '../store/metadata.js';
import type { Site } from '../store/site.js';
import type { Store } from '../store/store.js';
import { BASE_COLUMNS, type AggregateSpec, type BaseColumn, type OrderQuantity, type SqlOrderTerm } from './compile/aggregate-spec.js';
import { compileAggregate } from './compile/compile-aggregate.js';
import type { Dialect } from './compile/dialect.js';
import { dialectFor } from './compile/dialects.js';
import { comparisonDayRange, formatDay, type DayRange } from './date-range.js';
import { baseColumnsOf, metricChange, metricValue, needsEventAggregates, orderQuantity, quantityOfMetric, ZERO_BASE, type BaseValues } from './metrics.js';
import type { Dimension, DimensionValue, Metric, OrderTerm, Query, QueryResult, ResultRow } from './model.js';
import { filterLeaves } from './parse-filter.js';
import { withoutTopLevelGoalFilters } from './parse-query.js';
import { serializeQuery } from './serialize-query.js';
import { bucketLabel, rangeBuckets } from './time-buckets.js';
import { runSql } from './run-sql.js';
import { rangeForDays, resolveSiteRange, type SiteRange } from './site-range.js';

/** What the engine needs from the composition root. */
export interface QueryEnv {
  store: Store;
  clock: Clock;
}

/** One group of a period: raw dimension values (time as integer buckets), counts and metrics. */
interface PeriodRow {
  raw: DimensionValue[];
  base: BaseValues;
  metrics: number[];
  /** Unrounded conversion rate, for ordering. */
  conversionRatio: number;
}

interface Period {
  days: DayRange;
  rows: PeriodRow[];
  totalRows: number;
  /** Every bucket of the time dimension in the period (when there is one). */
  buckets: number[] | undefined;
  /** Position of each bucket in `buckets`. */
  bucketIndex: Map<number, number>;
}

const MAX_HOUR_DAYS = 366;

/** The denominators (percentage, conversion_rate) are visitor counts. */
const VISITORS_ONLY: ReadonlySet<BaseColumn> = new Set<BaseColumn>(['visitors']);

/** Runs `query` for `site` (the caller has checked access). */
export async function runQuery(env: QueryEnv, query: Query, site: Site): Promise<QueryResult> {
  const dialect = dialectFor(env.store.dialect);
  const range = await resolveSiteRange(env.store, env.clock, site, query.dateRange);
  const days = range.days;
  const timeDim = query.dimensions.find((d) => d.kind === 'time');
  if (timeDim?.grain === 'hour' && days.last - days.first + 1 > MAX_HOUR_DAYS) {
    throw new AppError('invalid_query', `dimensions: time:hour needs a date_range of at most ${MAX_HOUR_DAYS} days`, { field: 'dimensions' });
  }
  const usesGoals = query.dimensions.some((d) => d.kind === 'goal') || filterLeaves(query.filter).some((l) => l.dimension.kind === 'goal');
  const goals = usesGoals ? await env.store.listGoals(site.id) : [];

  const main = await runPeriod(env.store, dialect, query, site, goals, range, true);
  const result: QueryResult = {
    results: [],
    meta: { date_range: [formatDay(days.first), formatDay(days.last)], time_zone: site.timezone },
    query: serializeQuery(query, days),
  };
  let comparison: Period | undefined;
  let comparisonIndex: Map<string, PeriodRow> | undefined;
  if (query.include.comparison) {
    const compDays = comparisonDayRange(days, query.include.comparison);
    comparison = await runPeriod(env.store, dialect, query, site, goals, rangeForDays(range.tz, compDays), false);
    result.meta.comparison_date_range = [formatDay(compDays.first), formatDay(compDays.last)];
    comparisonIndex = new Map(comparison.rows.map((r) => [rowKey(query.dimensions, r.raw, comparison!.bucketIndex), r]));
  }

  for (const row of main.rows) {
    const out: ResultRow = {
      dimensions: row.raw.map((v, i) => labelOf(query.dimensions[i]!, v)),
      metrics: row.metrics,
    };
    if (comparison && comparisonIndex) {
      const key = rowKey(query.dimensions, row.raw, main.bucketIndex);
      const other = comparisonIndex.get(key);
      const compRaw = row.raw.map((v, i) => (query.dimensions[i]!.kind === 'time' ? comparisonBucket(v as number, main, comparison!) : v));
      const compMetrics = other?.metrics ?? query.metrics.map(() => 0);
      out.comparison = {
        dimensions: compRaw.map((v, i) => (v === undefined ? '' : labelOf(query.dimensions[i]!, v))),
        metrics: compMetrics,
        change: query.metrics.map((m, i) => metricChange(m, row.metrics[i]!, compMetrics[i]!)),
      };
    }
    result.results.push(out);
  }
  if (query.include.timeLabels && timeDim && main.buckets) {
    result.meta.time_labels = main.buckets.map((b) => bucketLabel(timeDim.grain, b));
  }
  if (query.include.totalRows) result.meta.total_rows = main.totalRows;
  return result;
}

function labelOf(dim: Dimension, raw: DimensionValue): DimensionValue {
  return dim.kind === 'time' ? bucketLabel(dim.grain, raw as number) : raw;
}

/**
 * Key matching a row with its comparison row: non-time dimensions by value, the time
 * dimension by the position of its bucket in the period (day 3 of this week <-> day 3 of last).
 */
function rowKey(dims: Dimension[], raw: DimensionValue[], bucketIndex: Map<number, number>): string {
  return JSON.stringify(raw.map((v, i) => (dims[i]!.kind === 'time' ? bucketIndex.get(v as number) ?? -1 : v)));
}

/** The comparison period's bucket at the same position as `bucket` in the main period. */
function comparisonBucket(bucket: number, main: Period, comparison: Period): number | undefined {
  const index = main.bucketIndex.get(bucket);
  return index === undefined ? undefined : comparison.buckets?.[index];
}

/** Runs the aggregate(s) of one period; `paged` applies order and pagination. */
async function runPeriod(
  store: Store, dialect: Dialect, query: Query, site: Site, goals: Goal[], range: SiteRange, paged: boolean,
): Promise<Period> {
  const { days, utc, segments } = range;
  const timeDim = query.dimensions.find((d) => d.kind === 'time');
  const buckets = timeDim && timeDim.kind === 'time' ? rangeBuckets(timeDim.grain, days, utc, segments) : undefined;
  const bucketIndex = new Map((buckets ?? []).map((b, i) => [b, i]));
  const hasGoalDim = query.dimensions.some((d) => d.kind === 'goal');
  if (hasGoalDim && goals.length === 0) return { days, rows: [], totalRows: 0, buckets, bucketIndex };

  const order = resolveOrder(query);
  const sortInTs = !paged || order.some((t) => t.key.type === 'metric' && t.key.metric === 'conversion_rate');
  const spec: AggregateSpec = {
    siteId: site.id, range: utc, segments, dimensions: query.dimensions, filter: query.filter, goals,
    needEvent: query.metrics.some(needsEventAggregates),
    needSession: query.metrics.some((m) => !needsEventAggregates(m)),
    // Order terms name asked metrics only (parse-query), so these columns cover the ORDER BY too.
    columns: new Set(query.metrics.flatMap(baseColumnsOf)),
    // Not with event:goal: its groups hold only the visitors who completed a goal, while the
    // denominator is every visitor the filter lets through.
    totalVisitors: query.metrics.includes('percentage') && query.dimensions.length > 0 && !hasGoalDim,
    page: sortInTs ? undefined : { order: order.map(toSqlOrder), limit: query.pagination.limit, offset: query.pagination.offset },
  };
  const aggregate = (s: AggregateSpec) => runSql(store, compileAggregate(dialect, s));
  const raw = await aggregate(spec);
  let totalRows = Number(raw[0]?.total_rows ?? 0);
  if (raw.length === 0 && spec.page && spec.page.offset > 0) {
    // Past the last page: count the groups so total_rows stays right.
    const count = await aggregate({ ...spec, page: { ...spec.page, offset: 0, limit: 1 } });
    totalRows = Number(count[0]?.total_rows ?? 0);
  }

  // Denominators.
  let totalVisitors = 0;
  if (query.metrics.includes('percentage')) {
    if (query.dimensions.length === 0) totalVisitors = Number(raw[0]?.visitors ?? 0);
    else if (raw[0] && 'total_visitors' in raw[0]) totalVisitors = Number(raw[0].total_visitors ?? 0);
    else if (raw.length > 0) {
      const totals = await aggregate({
        ...spec, dimensions: [], needEvent: true, needSession: false, columns: VISITORS_ONLY, totalVisitors: false, page: undefined,
      });
      totalVisitors = Number(totals[0]?.visitors ?? 0);
    }
  }
  let goalBase: Map<string, number> | undefined;
  const goalFreeDims = query.dimensions.map((d, i) => ({ d, i })).filter(({ d }) => d.kind !== 'goal');
  if (query.metrics.includes('conversion_rate')) {
    const totals = await aggregate({
      ...spec, dimensions: goalFreeDims.map(({ d }) => d), filter: withoutTopLevelGoalFilters(query.filter),
      needEvent: true, needSession: false, columns: VISITORS_ONLY, totalVisitors: false, page: undefined,
    });
    goalBase = new Map(totals.map((t) => [JSON.stringify(goalFreeDims.map((_, j) => plain(t[`d${j}`]))), Number(t.visitors ?? 0)]));
  }

  const rows: PeriodRow[] = raw.map((r) => {
    const base = { ...ZERO_BASE };
    for (const c of BASE_COLUMNS) base[c] = Number(r[c] ?? 0);
    const rawDims = query.dimensions.map((_, i) => plain(r[`d${i}`]));
    const goalBaseVisitors = goalBase?.get(JSON.stringify(goalFreeDims.map(({ i }) => rawDims[i]))) ?? 0;
    const ctx = { totalVisitors, goalBaseVisitors };
    return {
      raw: rawDims,
      base,
      metrics: query.metrics.map((m) => metricValue(m, base, ctx)),
      conversionRatio: goalBaseVisitors === 0 ? 0 : (base.visitors * 100) / goalBaseVisitors,
    };
  });
  if (sortInTs) {
    rows.sort(compareRows(order, query.dimensions.length));
    totalRows = rows.length;
    if (paged) {
      const page = rows.slice(query.pagination.offset, query.pagination.offset + query.pagination.limit);
      return { days, rows: page, totalRows, buckets, bucketIndex };
    }
  }
  return { days, rows, totalRows, buckets, bucketIndex };
}

function plain(value: unknown): DimensionValue {
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : String(value ?? '');
}

/** The explicit order, or the default: the time dimension ascending, else the first metric descending. */
function resolveOrder(query: Query): OrderTerm[] {
  if (query.orderBy) return query.orderBy;
  const timeIndex = query.dimensions.findIndex((d) => d.kind === 'time');
  if (timeIndex >= 0) return [{ key: { type: 'dimension', index: timeIndex }, direction: 'asc' }];
  if (query.dimensions.length === 0) return [];
  const first = query.metrics[0]!;
  // Goal reports list conversions (visitors) first rather than rates.
  const metric: Metric = first === 'conversion_rate' ? 'visitors' : first;
  return [{ key: { type: 'metric', metric }, direction: 'desc' }];
}

function toSqlOrder(term: OrderTerm): SqlOrderTerm {
  if (term.key.type === 'dimension') return { type: 'dimension', index: term.key.index, direction: term.direction };
  const metric = term.key.metric;
  if (metric === 'conversion_rate') throw new Error('conversion_rate is ordered in TypeScript');
  return { type: 'quantity', quantity: quantityOfMetric(metric), direction: term.direction };
}

function compareValues(a: DimensionValue, b: DimensionValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Same order as the SQL: the terms, then every remaining dimension ascending. */
function compareRows(order: OrderTerm[], dimCount: number): (a: PeriodRow, b: PeriodRow) => number {
  return (a, b) => {
    for (const t of order) {
      let c: number;
      if (t.key.type === 'dimension') c = compareValues(a.raw[t.key.index]!, b.raw[t.key.index]!);
      else if (t.key.metric === 'conversion_rate') c = a.conversionRatio - b.conversionRatio;
      else {
        const q: OrderQuantity = quantityOfMetric(t.key.metric);
        c = orderQuantity(q, a.base) - orderQuantity(q, b.base);
      }
      if (c !== 0) return t.direction === 'asc' ? c : -c;
    }
    for (let i = 0; i < dimCount; i++) {
      if (order.some((t) => t.key.type === 'dimension' && t.key.index === i)) continue;
      const c = compareValues(a.raw[i]!, b.raw[i]!);
      if (c !== 0) return c;
    }
    return 0;
  };
}
