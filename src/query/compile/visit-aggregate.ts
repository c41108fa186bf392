/**
 * The visit shape of compileAggregate: no event:* / time:* dimension and a filter on visit:*
 * only, so each visit counts in one group with all of its events. One row per visit (grouped
 * from the events), then groups of visits.
 */
import type { FilterDimension, VisitAttribute } from '../model.js';
import { filterLeaves } from '../parse-filter.js';
import type { AggregateSpec, BaseColumn } from './aggregate-spec.js';
import type { Dialect, SqlParams } from './dialect.js';
import { filterSql } from './expressions.js';
import { sessionsSql, wants } from './visit-sql.js';

export interface AggregateParts {
  ctes: string[];
  /** SELECT of the groups: d0..dN-1 and the base columns. */
  body: string;
  /** Extra columns of every output row (', total_visitors'), or ''. */
  extra: string;
}

function visitColumn(dim: FilterDimension): string {
  if (dim.kind !== 'visit') throw new Error(`visit shape got ${dim.name}`);
  return `v_${dim.attribute}`;
}

export function visitAggregate(d: Dialect, p: SqlParams, spec: AggregateSpec): AggregateParts {
  const dims = spec.dimensions as FilterDimension[];
  const visitCol = (c: BaseColumn) => spec.needSession && wants(spec, c);
  const attrs = new Set<VisitAttribute>();
  for (const dim of [...dims, ...filterLeaves(spec.filter).map((l) => l.dimension)]) if (dim.kind === 'visit') attrs.add(dim.attribute);
  const needs = {
    attributes: [...attrs], visitor: wants(spec, 'visitors'), pageviews: wants(spec, 'pageviews') || visitCol('visit_pageviews'),
    events: wants(spec, 'events'), start: false, bounce: visitCol('bounces'), duration: visitCol('duration_ms'),
  };
  const ctes = [`sess AS (${sessionsSql(d, needs)})`];
  const where = spec.filter ? `WHERE ${filterSql(d, p, spec.filter, visitColumn, spec.goals)}` : '';
  const dimCols = dims.map((_, i) => `d${i}`);
  const select = dims.map((dim, i) => `${visitColumn(dim)} AS d${i}`);
  const sums: Array<[BaseColumn, boolean, string]> = [
    ['pageviews', wants(spec, 'pageviews'), 'sum(s_pageviews)'],
    ['events', wants(spec, 'events'), 'sum(s_events)'],
    ['visits', visitCol('visits'), 'count(*)'],
    ['bounces', visitCol('bounces'), 'sum(s_bounce)'],
    ['duration_ms', visitCol('duration_ms'), 'sum(s_duration)'],
    ['visit_pageviews', visitCol('visit_pageviews'), 'sum(s_pageviews)'],
  ];
  const sumsSql = sums.map(([name, asked, sql]) => `${asked ? sql : '0'} AS ${name}`);

  if (spec.totalVisitors && dims.length > 0 && wants(spec, 'visitors')) {
    // Groups of (dimensions, visitor) first: the groups' visitors are their row counts and the
    // total visitors a distinct count over those few rows.
    ctes.push(`visit_visitor AS (SELECT ${[...select, 'visitor_id', ...sumsSql].join(', ')} FROM sess ${where}
      GROUP BY ${[...select, 'visitor_id'].map((_, i) => String(i + 1)).join(', ')})`);
    const body = `SELECT ${[...dimCols, ...sums.map(([name]) => `sum(${name}) AS ${name}`), 'count(*) AS visitors'].join(', ')}
      FROM visit_visitor GROUP BY ${dimCols.join(', ')}`;
    return { ctes, body, extra: `, (SELECT ${d.distinctCount('visitor_id')} FROM visit_visitor) AS total_visitors` };
  }
  const groupBy = dimCols.length ? `GROUP BY ${dimCols.join(', ')}` : '';
  const visitors = `${wants(spec, 'visitors') ? d.distinctCount('visitor_id') : '0'} AS visitors`;
  return { ctes, body: `SELECT ${[...select, ...sumsSql, visitors].join(', ')} FROM sess ${where} ${groupBy}`, extra: '' };
}
