/** The normalized query echoed back in answers (`query`), in the API's own spelling. */
import { formatDay, type DayRange } from './date-range.js';
import type { Filter, Query } from './model.js';

/** A filter back in the API's array form. */
export function serializeFilter(filter: Filter): unknown[] {
  switch (filter.op) {
    case 'and':
    case 'or':
      return [filter.op, filter.filters.map(serializeFilter)];
    case 'not':
      return ['not', serializeFilter(filter.filter)];
    default: {
      const leaf: unknown[] = [filter.op, filter.dimension.name, filter.values];
      if (!filter.caseSensitive) leaf.push({ case_sensitive: false });
      return leaf;
    }
  }
}

/** The query as answered: date_range resolved to local dates, defaults filled in. */
export function serializeQuery(query: Query, days: DayRange): Record<string, unknown> {
  const filters = !query.filter ? [] : query.filter.op === 'and' ? query.filter.filters : [query.filter];
  return {
    site_id: query.siteId,
    metrics: query.metrics,
    date_range: [formatDay(days.first), formatDay(days.last)],
    dimensions: query.dimensions.map((d) => d.name),
    filters: filters.map(serializeFilter),
    order_by: query.orderBy?.map((t) => [t.key.type === 'metric' ? t.key.metric : query.dimensions[t.key.index]!.name, t.direction]) ?? null,
    include: {
      time_labels: query.include.timeLabels,
      total_rows: query.include.totalRows,
      ...(query.include.comparison ? { comparisons: { mode: query.include.comparison } } : {}),
    },
    pagination: query.pagination,
  };
}
