/**
 * Compiles an AggregateSpec into one SELECT returning the columns d0..dN-1 (dimension values:
 * strings, or integer buckets for time:*), the BASE_COLUMNS and total_rows (groups before the
 * page). Three shapes, cheapest first:
 * - event: only event metrics and no visit:* anywhere: one GROUP BY over the events;
 * - visit: no event:* / time:* dimension and a filter on visit:* only: one GROUP BY session_id,
 *   then a GROUP BY over the visits (the dashboard's top stats and sources run like this);
 * - general: event groups and visit groups computed apart and summed over a UNION ALL.
 */
import type { Goal } from '../../store/metadata.js';
import { VISIT_ATTRIBUTES, type Dimension, type Filter, type FilterDimension, type VisitAttribute } from '../model.js';
import { filterLeaves } from '../parse-filter.js';
import type { AggregateSpec, OrderQuantity, SqlOrderTerm } from './aggregate-spec.js';
import { SqlParams, type CompiledSql, type Dialect } from './dialect.js';
import { goalCondition, isEventLevel, filterSql, localMsExpr, propExpr, screenClassExpr, timeBucketExpr } from './expressions.js';

const EVENT_ZEROES = '0 AS pageviews, 0 AS events, 0 AS visitors';
const VISIT_ZEROES = '0 AS visits, 0 AS bounces, 0 AS duration_ms, 0 AS visit_pageviews';

export function compileAggregate(d: Dialect, spec: AggregateSpec): CompiledSql {
  const p = new SqlParams(d);
  const dims = spec.dimensions;
  const leaves = filterLeaves(spec.filter);
  const visitAttrs = new Set<VisitAttribute>();
  for (const dim of [...dims, ...leaves.map((l) => l.dimension)]) if (dim.kind === 'visit') visitAttrs.add(dim.attribute);
  const filterIsVisitOnly = leaves.every((l) => l.dimension.kind === 'visit');
  const hasEventDims = dims.some((dim) => isEventLevel(dim) || dim.kind === 'time');
  const needsVisits = spec.needSession || visitAttrs.size > 0;
  const shape = !needsVisits ? 'event' : !hasEventDims && filterIsVisitOnly ? 'visit' : 'general';

  const ctes: string[] = [];
  ctes.push(`base AS (${baseSql(d, p, spec, shape === 'event' ? [] : [...visitAttrs])})`);
  if (shape !== 'event') ctes.push(`sess AS (${sessionsSql(d, [...visitAttrs], spec.needSession)})`);
  const hasGoalDim = dims.some((dim) => dim.kind === 'goal');
  if (hasGoalDim) ctes.push(`goals AS (${spec.goals.map((g, i) => `SELECT ${i} AS g_idx, ${p.add(g.displayName)} AS g_name`).join(' UNION ALL ')})`);

  const dimCols = dims.map((_, i) => `d${i}`);
  let body: string;
  if (shape === 'event') {
    body = eventAggregate(d, p, spec, 'base');
  } else if (shape === 'visit') {
    const where = spec.filter ? `WHERE ${filterSql(d, p, spec.filter, (dim) => visitColumn(dim), spec.goals)}` : '';
    const groupBy = dimCols.length ? `GROUP BY ${dimCols.join(', ')}` : '';
    const select = dims.map((dim, i) => `${visitColumn(dim as FilterDimension)} AS d${i}`);
    body = `SELECT ${[...select,
      'sum(s_pageviews) AS pageviews', 'sum(s_events) AS events', `${d.distinctCount('visitor_id')} AS visitors`,
      ...(spec.needSession
        ? ['count(*) AS visits', 'sum(s_bounce) AS bounces', 'sum(s_duration) AS duration_ms', 'sum(s_pageviews) AS visit_pageviews']
        : [VISIT_ZEROES]),
    ].join(', ')} FROM sess ${where} ${groupBy}`;
  } else {
    // Filtered events, each with the attributes of its visit that the filter and dimensions read.
    const joinVisit = visitAttrs.size > 0;
    const cols = ['b.ts', 'b.name', 'b.pathname', 'b.hostname', 'b.props', 'b.visitor_id', 'b.session_id',
      ...[...visitAttrs].map((a) => `s.v_${a}`)];
    const from = joinVisit ? 'base b JOIN sess s ON b.session_id = s.session_id' : 'base b';
    const where = spec.filter ? `WHERE ${filterSql(d, p, spec.filter, (dim) => eventColumn(d, p, dim), spec.goals)}` : '';
    ctes.push(`fe AS (SELECT ${cols.join(', ')} FROM ${from} ${where})`);
    const parts: string[] = [];
    if (spec.needEvent) {
      ctes.push(`ev_agg AS (${eventAggregate(d, p, { ...spec, filter: undefined }, 'fe')})`);
      parts.push(`SELECT ${[...dimCols, 'pageviews', 'events', 'visitors', VISIT_ZEROES].join(', ')} FROM ev_agg`);
    }
    if (spec.needSession) {
      ctes.push(`pairs AS (${pairsSql(d, p, spec)})`);
      const select = dims.map((dim, i) => {
        if (dim.kind === 'time') return `${timeBucketExpr(d, dim.grain, localMsExpr(d, p, 's.s_start', spec.segments))} AS d${i}`;
        if (dim.kind === 'visit') return `s.v_${dim.attribute} AS d${i}`;
        return `pr.d${i} AS d${i}`;
      });
      const groupBy = dimCols.length ? `GROUP BY ${dimCols.map((_, i) => String(i + 1)).join(', ')}` : '';
      ctes.push(`sess_agg AS (SELECT ${[...select, 'count(*) AS visits', 'sum(s.s_bounce) AS bounces',
        'sum(s.s_duration) AS duration_ms', 'sum(s.s_pageviews) AS visit_pageviews'].join(', ')}
        FROM pairs pr JOIN sess s ON pr.session_id = s.session_id ${groupBy})`);
      parts.push(`SELECT ${[...dimCols, EVENT_ZEROES, 'visits', 'bounces', 'duration_ms', 'visit_pageviews'].join(', ')} FROM sess_agg`);
    }
    const groupBy = dimCols.length ? `GROUP BY ${dimCols.join(', ')}` : '';
    body = `SELECT ${[...dimCols, 'sum(pageviews) AS pageviews', 'sum(events) AS events', 'sum(visitors) AS visitors',
      'sum(visits) AS visits', 'sum(bounces) AS bounces', 'sum(duration_ms) AS duration_ms',
      'sum(visit_pageviews) AS visit_pageviews'].join(', ')} FROM (${parts.join(' UNION ALL ')}) u ${groupBy}`;
  }

  let sql = `WITH ${ctes.join(',\n')}\nSELECT r.*, count(*) OVER () AS total_rows FROM (${body}) r`;
  if (spec.page) {
    sql += ` ORDER BY ${orderSql(d, spec.page.order, dims)} LIMIT ${p.add(spec.page.limit)} OFFSET ${p.add(spec.page.offset)}`;
  }
  return { sql: sql + d.querySuffix, params: p.values };

  function visitColumn(dim: FilterDimension | Dimension): string {
    if (dim.kind !== 'visit') throw new Error(`visit shape got ${dim.name}`);
    return `v_${dim.attribute}`;
  }
}

/** The site's counted events in the range (never 'engagement'), with the columns needed. */
function baseSql(d: Dialect, p: SqlParams, spec: AggregateSpec, visitAttrs: VisitAttribute[]): string {
  const cols = new Set(['ts', 'name', 'pathname', 'hostname', 'props', 'visitor_id', 'session_id', 'interactive']);
  for (const a of visitAttrs) cols.add(VISIT_ATTRIBUTES[a]);
  return `SELECT ${[...cols].join(', ')} FROM events WHERE site_id = ${p.add(spec.siteId)}
    AND ts >= ${d.timestampFromMs(p.add(spec.range.startMs))} AND ts < ${d.timestampFromMs(p.add(spec.range.endMs))}
    AND name <> 'engagement'`;
}

/**
 * One row per visit: its counts and the visit attributes asked for (from its first page view);
 * start, bounce and duration only when visit metrics are asked (each aggregate costs a pass).
 */
function sessionsSql(d: Dialect, visitAttrs: VisitAttribute[], visitStats: boolean): string {
  const isPageview = `name = 'pageview'`;
  const attrs = visitAttrs.map((a) => {
    const source = a === 'screen' ? screenClassExpr('screen_width') : VISIT_ATTRIBUTES[a];
    const pick = a === 'exit_page' ? d.argMaxIf(source, 'ts', isPageview) : d.argMinIf(source, 'ts', isPageview);
    return `coalesce(${pick}, '') AS v_${a}`;
  });
  const stats = visitStats ? [
    'min(ts) AS s_start',
    `CASE WHEN sum(CASE WHEN ${isPageview} THEN 1 ELSE 0 END) <= 1
      AND max(CASE WHEN name <> 'pageview' AND interactive THEN 1 ELSE 0 END) = 0 THEN 1 ELSE 0 END AS s_bounce`,
    `${d.epochMs('max(ts)')} - ${d.epochMs('min(ts)')} AS s_duration`,
  ] : [];
  const columns = [
    'session_id', `${d.anyValue('visitor_id')} AS visitor_id`,
    `sum(CASE WHEN ${isPageview} THEN 1 ELSE 0 END) AS s_pageviews`, 'count(*) AS s_events', ...stats, ...attrs,
  ];
  return `SELECT ${columns.join(',\n    ')}
    FROM base GROUP BY session_id`;
}

/** SQL of a dimension on a filtered-event row (`fe` or `base`); goals need the goals cross join. */
function eventColumn(d: Dialect, p: SqlParams, dim: Dimension): string {
  switch (dim.kind) {
    case 'event': return dim.field === 'page' ? 'pathname' : dim.field;
    case 'prop': return propExpr(d, p, dim.key);
    case 'visit': return `v_${dim.attribute}`;
    case 'goal': return 'g.g_name';
    case 'time': throw new Error('time dimensions need the offsets');
  }
}

function goalJoin(d: Dialect, p: SqlParams, goals: readonly Goal[]): { from: string; where: string } {
  const cases = goals.map((g, i) => `WHEN ${i} THEN ${goalCondition(d, p, g)}`).join(' ');
  return { from: ' CROSS JOIN goals g', where: `(CASE g.g_idx ${cases} ELSE 1 = 0 END)` };
}

/** Event-level groups over `source` (base or fe): pageviews, events, visitors. */
function eventAggregate(d: Dialect, p: SqlParams, spec: AggregateSpec, source: string): string {
  const dims = spec.dimensions;
  const select = dims.map((dim, i) => dim.kind === 'time'
    ? `${timeBucketExpr(d, dim.grain, localMsExpr(d, p, 'ts', spec.segments))} AS d${i}`
    : `${eventColumn(d, p, dim)} AS d${i}`);
  const conditions: string[] = [];
  let from = source;
  if (dims.some((dim) => dim.kind === 'goal')) {
    const join = goalJoin(d, p, spec.goals);
    from += join.from;
    conditions.push(join.where);
  }
  if (spec.filter) conditions.push(filterSql(d, p, spec.filter, (dim) => eventColumn(d, p, dim), spec.goals));
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const groupBy = dims.length ? `GROUP BY ${dims.map((_, i) => String(i + 1)).join(', ')}` : '';
  return `SELECT ${[...select, `sum(CASE WHEN name = 'pageview' THEN 1 ELSE 0 END) AS pageviews`, 'count(*) AS events',
    `${d.distinctCount('visitor_id')} AS visitors`].join(', ')} FROM ${from} ${where} ${groupBy}`;
}

/** Distinct (visit, event-level dimension values) of the filtered events: which groups each visit touched. */
function pairsSql(d: Dialect, p: SqlParams, spec: AggregateSpec): string {
  const cols = ['session_id'];
  let from = 'fe';
  const conditions: string[] = [];
  spec.dimensions.forEach((dim, i) => {
    if (isEventLevel(dim)) cols.push(`${eventColumn(d, p, dim)} AS d${i}`);
  });
  if (spec.dimensions.some((dim) => dim.kind === 'goal')) {
    const join = goalJoin(d, p, spec.goals);
    from += join.from;
    conditions.push(join.where);
  }
  return `SELECT DISTINCT ${cols.join(', ')} FROM ${from}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
}

function quantitySql(d: Dialect, q: OrderQuantity): string {
  const ratio = (num: string, den: string, scale = '') =>
    `CASE WHEN r.${den} = 0 OR r.${den} IS NULL THEN 0 ELSE ${d.castDouble(`r.${num}`)}${scale} / ${d.castDouble(`r.${den}`)} END`;
  switch (q) {
    case 'bounce_rate': return ratio('bounces', 'visits', ' * 100');
    case 'views_per_visit': return ratio('visit_pageviews', 'visits');
    case 'visit_duration': return ratio('duration_ms', 'visits');
    default: return `coalesce(r.${q}, 0)`;
  }
}

/** ORDER BY of the requested terms, then every dimension ascending so pages are stable. */
function orderSql(d: Dialect, order: readonly SqlOrderTerm[], dims: readonly Dimension[]): string {
  // Time buckets are integers; text dimensions order by code point on every engine.
  const dimSql = (i: number) => (dims[i]?.kind === 'time' ? `r.d${i}` : d.binaryCollate(`r.d${i}`));
  const terms = order.map((t) => t.type === 'quantity'
    ? `${quantitySql(d, t.quantity)} ${t.direction.toUpperCase()}`
    : `${dimSql(t.index)} ${t.direction.toUpperCase()}`);
  for (let i = 0; i < dims.length; i++) {
    if (!order.some((t) => t.type === 'dimension' && t.index === i)) terms.push(`${dimSql(i)} ASC`);
  }
  return terms.length ? terms.join(', ') : '1';
}

/** Filters that read the visit of an event need the sessions CTE even when no visit metric is asked. */
export function filterNeedsVisits(filter: Filter | undefined): boolean {
  return filterLeaves(filter).some((l) => l.dimension.kind === 'visit');
}
