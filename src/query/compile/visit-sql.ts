/**
 * The two inner relations of a compiled aggregate: the counted events of the range (`base`)
 * and one row per visit (`sess`). Both carry only what the query reads: on DuckDB a CTE read
 * twice is materialised with every column it lists, and every aggregate per visit is one more
 * pass over the visit hash table.
 */
import { VISIT_ATTRIBUTES, VISITOR_ATTRIBUTES, type Dimension, type VisitAttribute } from '../model.js';
import { filterLeaves } from '../parse-filter.js';
import { BASE_COLUMNS, type AggregateSpec, type BaseColumn } from './aggregate-spec.js';
import type { Dialect, SqlParams } from './dialect.js';
import { screenClassExpr } from './expressions.js';

/** Whether the caller reads a base column (spec.columns undefined: all). */
export function wants(spec: AggregateSpec, column: BaseColumn): boolean {
  return spec.columns ? spec.columns.has(column) : (BASE_COLUMNS as readonly string[]).includes(column);
}

/** A visit attribute every event of the visit carries (VISITOR_ATTRIBUTES): read per event. */
export function isVisitorAttribute(attribute: VisitAttribute): boolean {
  return VISITOR_ATTRIBUTES.has(attribute);
}

/** Event columns the dimensions and filter read (besides ts, name, visitor_id, session_id). */
function readColumns(dims: readonly Dimension[], spec: AggregateSpec): Set<string> {
  const cols = new Set<string>();
  for (const dim of [...dims, ...filterLeaves(spec.filter).map((l) => l.dimension)]) {
    switch (dim.kind) {
      case 'event': cols.add(dim.field === 'page' ? 'pathname' : dim.field); break;
      case 'prop': cols.add('props'); break;
      case 'goal': cols.add('pathname'); break;
      case 'visit': cols.add(VISIT_ATTRIBUTES[dim.attribute]); break;
      case 'time': break;
    }
  }
  return cols;
}

/** Columns of `base`. */
export function baseColumns(spec: AggregateSpec): string[] {
  const cols = new Set(['ts', 'name', 'visitor_id', 'session_id', ...readColumns(spec.dimensions, spec)]);
  if (wants(spec, 'bounces')) cols.add('interactive');
  return [...cols];
}

/** The site's counted events in the range (never 'engagement'), with the columns needed. */
export function baseSql(d: Dialect, p: SqlParams, spec: AggregateSpec): string {
  return `SELECT ${baseColumns(spec).join(', ')} FROM events WHERE site_id = ${p.add(spec.siteId)}
    AND ts >= ${d.timestampFromMs(p.add(spec.range.startMs))} AND ts < ${d.timestampFromMs(p.add(spec.range.endMs))}
    AND name <> 'engagement'`;
}

/** What the per-visit rows must hold. */
export interface VisitNeeds {
  /** v_<attribute> columns. */
  attributes: VisitAttribute[];
  visitor: boolean;
  pageviews: boolean;
  events: boolean;
  start: boolean;
  bounce: boolean;
  duration: boolean;
}

/**
 * The per-visit columns asked for, as [name, SQL over the events of one visit]: the attributes
 * as v_<attribute> (from the first page view; exit page from the last; VISITOR_ATTRIBUTES from
 * any event, all being equal; '' without a page view) and the asked counts.
 */
function visitColumns(d: Dialect, needs: VisitNeeds): Array<[string, string]> {
  const isPageview = `name = 'pageview'`;
  const pageviews = `sum(CASE WHEN ${isPageview} THEN 1 ELSE 0 END)`;
  const columns: Array<[string, string]> = [['session_id', 'session_id']];
  if (needs.visitor) columns.push(['visitor_id', d.anyValue('visitor_id')]);
  if (needs.pageviews) columns.push(['s_pageviews', pageviews]);
  if (needs.events) columns.push(['s_events', 'count(*)']);
  if (needs.start) columns.push(['s_start', 'min(ts)']);
  if (needs.bounce) {
    columns.push(['s_bounce', `CASE WHEN ${pageviews} <= 1
      AND max(CASE WHEN name <> 'pageview' AND interactive THEN 1 ELSE 0 END) = 0 THEN 1 ELSE 0 END`]);
  }
  if (needs.duration) columns.push(['s_duration', `${d.epochMs('max(ts)')} - ${d.epochMs('min(ts)')}`]);
  for (const a of needs.attributes) {
    if (isVisitorAttribute(a)) columns.push([`v_${a}`, d.anyValue(VISIT_ATTRIBUTES[a])]);
    else {
      const source = a === 'screen' ? screenClassExpr('screen_width') : VISIT_ATTRIBUTES[a];
      const pick = a === 'exit_page' ? d.argMaxIf(source, 'ts', isPageview) : d.argMinIf(source, 'ts', isPageview);
      columns.push([`v_${a}`, `coalesce(${pick}, '')`]);
    }
  }
  return columns;
}

/** One row per visit of the events in `source` (base by default). */
export function sessionsSql(d: Dialect, needs: VisitNeeds, source = 'base'): string {
  return `SELECT ${visitColumns(d, needs).map(([name, sql]) => `${sql} AS ${name}`).join(',\n    ')}
    FROM ${source} GROUP BY session_id`;
}
