/** Parses and validates a Stats API v2 query body once, at the edge. */
import { AppError } from '../errors.js';
import { parseDateRangeSpec, type ComparisonMode } from './date-range.js';
import { MAX_LIMIT, METRICS, type Dimension, type Filter, type Metric, type OrderTerm, type Query } from './model.js';
import { parseDimension } from './parse-dimension.js';
import { parseFilter } from './parse-filter.js';
import { describeValue } from './describe-value.js';

const TOP_LEVEL_KEYS = ['site_id', 'metrics', 'date_range', 'dimensions', 'filters', 'order_by', 'include', 'pagination'];

function bad(field: string, message: string): AppError {
  return new AppError('invalid_query', `${field}: ${message}`, { field });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      // The key is quoted: it came from the client and may hold anything, newlines included.
      const name = /^[a-z_]+$/.test(key) ? key : describeValue(key);
      throw bad(prefix ? `${prefix}.${name}` : name, `unknown field (known: ${known.join(', ')})`);
    }
  }
}

/**
 * Validates a POST /api/v2/query body into a Query. Throws AppError('invalid_query') whose
 * message starts with the bad field's path (e.g. `filters[0][2][1]: ...`), also in details.field.
 */
export function parseQuery(body: unknown): Query {
  if (!isObject(body)) throw new AppError('invalid_query', 'the query must be a JSON object', { field: '' });
  checkKeys(body, TOP_LEVEL_KEYS, '');

  const siteId = body.site_id;
  if (typeof siteId !== 'string' || siteId.length === 0) throw bad('site_id', 'expected the site domain as a string');

  const metrics = parseMetrics(body.metrics);
  if (body.date_range === undefined) throw bad('date_range', 'is required');
  const dateRange = parseDateRangeSpec(body.date_range, 'date_range');
  const dimensions = parseDimensions(body.dimensions);

  let filter: Filter | undefined;
  if (body.filters !== undefined) {
    if (!Array.isArray(body.filters)) throw bad('filters', 'expected an array of filters');
    const filters = body.filters.map((f, i) => parseFilter(f, `filters[${i}]`));
    filter = filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { op: 'and', filters };
  }

  const orderBy = parseOrderBy(body.order_by, metrics, dimensions);
  const include = parseInclude(body.include, dimensions);
  const pagination = parsePagination(body.pagination);

  const query: Query = { siteId, metrics, dateRange, dimensions, filter, orderBy, include, pagination };
  if (metrics.includes('conversion_rate') && !dimensions.some((d) => d.kind === 'goal') && topLevelGoalFilters(filter).length === 0) {
    throw bad('metrics', 'conversion_rate needs an event:goal dimension or a top-level event:goal filter');
  }
  return query;
}

function parseMetrics(value: unknown): Metric[] {
  if (!Array.isArray(value) || value.length === 0) throw bad('metrics', 'expected a non-empty array of metric names');
  const seen = new Set<string>();
  return value.map((m, i) => {
    if (typeof m !== 'string' || !(METRICS as readonly string[]).includes(m)) {
      throw bad(`metrics[${i}]`, `unknown metric ${describeValue(m)} (known: ${METRICS.join(', ')})`);
    }
    if (seen.has(m)) throw bad(`metrics[${i}]`, `metric ${m} is listed twice`);
    seen.add(m);
    return m as Metric;
  });
}

function parseDimensions(value: unknown): Dimension[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad('dimensions', 'expected an array of dimension names');
  const seen = new Set<string>();
  const dims = value.map((d, i) => {
    const dim = parseDimension(d, `dimensions[${i}]`);
    if (seen.has(dim.name)) throw bad(`dimensions[${i}]`, `dimension ${dim.name} is listed twice`);
    seen.add(dim.name);
    return dim;
  });
  if (dims.filter((d) => d.kind === 'time').length > 1) throw bad('dimensions', 'at most one time:* dimension per query');
  return dims;
}

function parseOrderBy(value: unknown, metrics: Metric[], dimensions: Dimension[]): OrderTerm[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw bad('order_by', 'expected a non-empty array like [["visitors", "desc"]]');
  return value.map((term, i) => {
    const field = `order_by[${i}]`;
    if (!Array.isArray(term) || term.length !== 2) throw bad(field, 'expected [metric or dimension, "asc" | "desc"]');
    const [name, direction] = term as unknown[];
    if (direction !== 'asc' && direction !== 'desc') throw bad(`${field}[1]`, 'expected "asc" or "desc"');
    const metricIndex = metrics.indexOf(name as Metric);
    if (metricIndex >= 0) return { key: { type: 'metric', metric: metrics[metricIndex]! }, direction };
    const dimIndex = dimensions.findIndex((d) => d.name === name);
    if (dimIndex >= 0) return { key: { type: 'dimension', index: dimIndex }, direction };
    throw bad(`${field}[0]`, `${describeValue(name)} is not one of the query's metrics or dimensions`);
  });
}

function parseInclude(value: unknown, dimensions: Dimension[]): Query['include'] {
  const include: Query['include'] = { timeLabels: false, totalRows: false, comparison: undefined };
  if (value === undefined) return include;
  if (!isObject(value)) throw bad('include', 'expected an object');
  checkKeys(value, ['time_labels', 'total_rows', 'comparisons'], 'include');
  for (const key of ['time_labels', 'total_rows'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') throw bad(`include.${key}`, 'expected true or false');
  }
  include.timeLabels = value.time_labels === true;
  include.totalRows = value.total_rows === true;
  if (include.timeLabels && !dimensions.some((d) => d.kind === 'time')) {
    throw bad('include.time_labels', 'needs a time:* dimension');
  }
  if (value.comparisons !== undefined) {
    const comparisons = value.comparisons;
    if (!isObject(comparisons)) throw bad('include.comparisons', 'expected {"mode": "previous_period" | "year_over_year"}');
    checkKeys(comparisons, ['mode'], 'include.comparisons');
    if (comparisons.mode !== 'previous_period' && comparisons.mode !== 'year_over_year') {
      throw bad('include.comparisons.mode', `expected "previous_period" or "year_over_year", got ${describeValue(comparisons.mode)}`);
    }
    include.comparison = comparisons.mode as ComparisonMode;
  }
  return include;
}

function parsePagination(value: unknown): Query['pagination'] {
  const pagination = { limit: MAX_LIMIT, offset: 0 };
  if (value === undefined) return pagination;
  if (!isObject(value)) throw bad('pagination', 'expected {"limit": n, "offset": n}');
  checkKeys(value, ['limit', 'offset'], 'pagination');
  if (value.limit !== undefined) {
    if (!Number.isInteger(value.limit) || (value.limit as number) < 1 || (value.limit as number) > MAX_LIMIT) {
      throw bad('pagination.limit', `expected an integer from 1 to ${MAX_LIMIT}, got ${describeValue(value.limit)}`);
    }
    pagination.limit = value.limit as number;
  }
  if (value.offset !== undefined) {
    if (!Number.isInteger(value.offset) || (value.offset as number) < 0 || (value.offset as number) > 1e9) {
      throw bad('pagination.offset', `expected an integer >= 0, got ${describeValue(value.offset)}`);
    }
    pagination.offset = value.offset as number;
  }
  return pagination;
}

/** Indexes of top-level AND conjuncts that are event:goal leaves (conversion_rate drops them for its denominator). */
export function topLevelGoalFilters(filter: Filter | undefined): Filter[] {
  if (!filter) return [];
  const conjuncts = filter.op === 'and' ? filter.filters : [filter];
  return conjuncts.filter((f) => 'dimension' in f && f.dimension.kind === 'goal');
}

/** The filter without its top-level event:goal conjuncts. */
export function withoutTopLevelGoalFilters(filter: Filter | undefined): Filter | undefined {
  if (!filter) return undefined;
  const conjuncts = (filter.op === 'and' ? filter.filters : [filter]).filter((f) => !('dimension' in f && f.dimension.kind === 'goal'));
  return conjuncts.length === 0 ? undefined : conjuncts.length === 1 ? conjuncts[0] : { op: 'and', filters: conjuncts };
}
