/**
 * Compiles an AggregateSpec into one SELECT returning the columns d0..dN-1 (dimension values:
 * strings, or integer buckets for time:*), the BASE_COLUMNS and total_rows (groups before the
 * page). Three shapes, cheapest first:
 * - event: no visit metric and no visit attribute that needs the visit built (the
 *   VISITOR_ATTRIBUTES are on every event): one GROUP BY over the events (the dashboard's
 *   graph, pages and goals run like this);
 * - visit: no event:* / time:* dimension and a filter on visit:* only: one GROUP BY session_id,
 *   then a GROUP BY over the visits (top stats, entry and exit pages, sources, UTM);
 * - general: event groups and visit groups computed apart and summed over a UNION ALL.
 * Base columns the caller does not read (spec.columns) come back as 0 and cost nothing.
 */
import type { Goal } from '../../store/metadata.js';
import { VISIT_ATTRIBUTES, type Dimension, type VisitAttribute } from '../model.js';
import { goalsMayOverlap } from '../goals.js';
import { filterLeaves } from '../parse-filter.js';
import type { AggregateSpec, BaseColumn, OrderQuantity, SqlOrderTerm } from './aggregate-spec.js';
import { SqlParams, type CompiledSql, type Dialect } from './dialect.js';
import { goalCondition, isEventLevel, filterSql, localMsExpr, propExpr, timeBucketExpr } from './expressions.js';
import { visitAggregate } from './visit-aggregate.js';
import { baseColumns, baseSql, isVisitorAttribute, sessionsSql, wants } from './visit-sql.js';

export function compileAggregate(d: Dialect, spec: AggregateSpec): CompiledSql {
  const p = new SqlParams(d);
  const dims = spec.dimensions;
  const leaves = filterLeaves(spec.filter);
  // Attributes only the built visit knows (its first or last page view).
  const visitAttrs = new Set<VisitAttribute>();
  for (const dim of [...dims, ...leaves.map((l) => l.dimension)]) {
    if (dim.kind === 'visit' && !isVisitorAttribute(dim.attribute)) visitAttrs.add(dim.attribute);
  }
  const filterIsVisitOnly = leaves.every((l) => l.dimension.kind === 'visit');
  const hasEventDims = dims.some((dim) => isEventLevel(dim) || dim.kind === 'time');
  const needsVisits = spec.needSession || visitAttrs.size > 0;
  const shape = !needsVisits ? 'event' : !hasEventDims && filterIsVisitOnly ? 'visit' : 'general';
  const visitCol = (c: BaseColumn) => spec.needSession && wants(spec, c);

  const ctes: string[] = [`base AS (${baseSql(d, p, spec)})`];
  const hasGoalDim = dims.some((dim) => dim.kind === 'goal');
  if (hasGoalDim) ctes.push(`goals AS (${spec.goals.map((g, i) => `SELECT ${i} AS g_idx, ${p.add(g.displayName)} AS g_name`).join(' UNION ALL ')})`);

  const dimCols = dims.map((_, i) => `d${i}`);
  let body: string;
  let extra = '';
  if (shape === 'event' && spec.totalVisitors && dims.length > 0 && wants(spec, 'visitors')) {
    // Groups of (dimensions, visitor) first: the groups' visitors are their row counts and the
    // total is a distinct count over those few rows, instead of a second pass over the events.
    ctes.push(`ev_visitor AS (${eventAggregate(d, p, spec, 'base', (dim) => rowColumn(d, p, dim, false), true)})`);
    body = `SELECT ${[...dimCols, 'sum(pageviews) AS pageviews', 'sum(events) AS events', 'count(*) AS visitors', VISIT_ZEROES].join(', ')}
      FROM ev_visitor GROUP BY ${dimCols.join(', ')}`;
    extra = `, (SELECT ${d.distinctCount('visitor_id')} FROM ev_visitor) AS total_visitors`;
  } else if (shape === 'event') {
    body = eventAggregate(d, p, spec, 'base', (dim) => rowColumn(d, p, dim, false));
  } else if (shape === 'visit') {
    const parts = visitAggregate(d, p, spec);
    ctes.push(...parts.ctes);
    body = parts.body;
    extra = parts.extra;
  } else {
    ctes.push(`sess AS (${sessionsSql(d, {
      attributes: [...visitAttrs], visitor: false, pageviews: visitCol('visit_pageviews'), events: false,
      start: spec.needSession && dims.some((dim) => dim.kind === 'time'), bounce: visitCol('bounces'), duration: visitCol('duration_ms'),
    })})`);
    // Filtered events, each with the attributes of its visit that the filter and dimensions read.
    const joinVisit = visitAttrs.size > 0;
    const cols = [...baseColumns(spec).map((c) => `b.${c}`), ...[...visitAttrs].map((a) => `s.v_${a}`)];
    const from = joinVisit ? 'base b JOIN sess s ON b.session_id = s.session_id' : 'base b';
    const where = spec.filter ? `WHERE ${filterSql(d, p, spec.filter, (dim) => rowColumn(d, p, dim, true), spec.goals)}` : '';
    ctes.push(`fe AS (SELECT ${cols.join(', ')} FROM ${from} ${where})`);
    const parts: string[] = [];
    if (spec.needEvent) {
      ctes.push(`ev_agg AS (${eventAggregate(d, p, { ...spec, filter: undefined }, 'fe', (dim) => rowColumn(d, p, dim, true))})`);
      parts.push(`SELECT ${[...dimCols, 'pageviews', 'events', 'visitors', VISIT_ZEROES].join(', ')} FROM ev_agg`);
    }
    if (spec.needSession) {
      ctes.push(`pairs AS (${pairsSql(d, p, spec)})`);
      const select = dims.map((dim, i) => {
        if (dim.kind === 'time') return `${timeBucketExpr(d, dim.grain, localMsExpr(d, p, 's.s_start', spec.segments))} AS d${i}`;
        if (dim.kind === 'visit' && !isVisitorAttribute(dim.attribute)) return `s.v_${dim.attribute} AS d${i}`;
        return `pr.d${i} AS d${i}`;
      });
      const groupBy = dimCols.length ? `GROUP BY ${dimCols.map((_, i) => String(i + 1)).join(', ')}` : '';
      ctes.push(`sess_agg AS (SELECT ${[...select,
        `${visitCol('visits') ? 'count(*)' : '0'} AS visits`,
        `${visitCol('bounces') ? 'sum(s.s_bounce)' : '0'} AS bounces`,
        `${visitCol('duration_ms') ? 'sum(s.s_duration)' : '0'} AS duration_ms`,
        `${visitCol('visit_pageviews') ? 'sum(s.s_pageviews)' : '0'} AS visit_pageviews`].join(', ')}
        FROM pairs pr JOIN sess s ON pr.session_id = s.session_id ${groupBy})`);
      parts.push(`SELECT ${[...dimCols, EVENT_ZEROES, 'visits', 'bounces', 'duration_ms', 'visit_pageviews'].join(', ')} FROM sess_agg`);
    }
    const groupBy = dimCols.length ? `GROUP BY ${dimCols.join(', ')}` : '';
    body = `SELECT ${[...dimCols, 'sum(pageviews) AS pageviews', 'sum(events) AS events', 'sum(visitors) AS visitors',
      'sum(visits) AS visits', 'sum(bounces) AS bounces', 'sum(duration_ms) AS duration_ms',
      'sum(visit_pageviews) AS visit_pageviews'].join(', ')} FROM (${parts.join(' UNION ALL ')}) u ${groupBy}`;
  }

  let sql = `WITH ${ctes.join(',\n')}\nSELECT r.*, count(*) OVER () AS total_rows${extra} FROM (${body}) r`;
  if (spec.page) {
    sql += ` ORDER BY ${orderSql(d, spec.page.order, dims)} LIMIT ${p.add(spec.page.limit)} OFFSET ${p.add(spec.page.offset)}`;
  }
  return { sql: sql + d.querySuffix, params: p.values };
}

const EVENT_ZEROES = '0 AS pageviews, 0 AS events, 0 AS visitors';
const VISIT_ZEROES = '0 AS visits, 0 AS bounces, 0 AS duration_ms, 0 AS visit_pageviews';

/**
 * SQL of a dimension on an event row: of `base` (joined false) or of `fe`, which also holds
 * v_<attribute> of the visit; goals need the goals cross join.
 */
function rowColumn(d: Dialect, p: SqlParams, dim: Dimension, joined: boolean): string {
  switch (dim.kind) {
    case 'event': return dim.field === 'page' ? 'pathname' : dim.field;
    case 'prop': return propExpr(d, p, dim.key);
    case 'visit':
      if (isVisitorAttribute(dim.attribute)) return VISIT_ATTRIBUTES[dim.attribute];
      if (!joined) throw new Error(`${dim.name} needs the visit`);
      return `v_${dim.attribute}`;
    case 'goal': return 'g.g_name';
    case 'time': throw new Error('time dimensions need the offsets');
  }
}

/**
 * `source` rows joined with the goals (alias g) they complete, one row per (event, goal). When
 * no event can complete two goals, each event is labelled with its goal in one CASE and joined
 * on the index; else only events completing some goal meet a cross join that tests each goal.
 */
function goalRows(d: Dialect, p: SqlParams, goals: readonly Goal[], source: string): { from: string; where: string | undefined } {
  if (!goalsMayOverlap(goals)) {
    const label = `CASE ${goals.map((g, i) => `WHEN ${goalCondition(d, p, g)} THEN ${i}`).join(' ')} END`;
    return { from: `(SELECT *, ${label} AS ev_goal FROM ${source}) ev JOIN goals g ON ev.ev_goal = g.g_idx`, where: undefined };
  }
  const any = `(${goals.map((g) => goalCondition(d, p, g)).join(' OR ')})`;
  const cases = goals.map((g, i) => `WHEN ${i} THEN ${goalCondition(d, p, g)}`).join(' ');
  return { from: `(SELECT * FROM ${source} WHERE ${any}) ev CROSS JOIN goals g`, where: `(CASE g.g_idx ${cases} ELSE 1 = 0 END)` };
}

/**
 * Event-level groups over `source` (base or fe): pageviews, events, visitors; `perVisitor`
 * groups by visitor_id too (then visitors is left out).
 */
function eventAggregate(
  d: Dialect, p: SqlParams, spec: AggregateSpec, source: string, column: (dim: Dimension) => string, perVisitor = false,
): string {
  const dims = spec.dimensions;
  const select = dims.map((dim, i) => dim.kind === 'time'
    ? `${timeBucketExpr(d, dim.grain, localMsExpr(d, p, 'ts', spec.segments))} AS d${i}`
    : `${column(dim)} AS d${i}`);
  const conditions: string[] = [];
  let from = source;
  if (dims.some((dim) => dim.kind === 'goal')) {
    const join = goalRows(d, p, spec.goals, source);
    from = join.from;
    if (join.where) conditions.push(join.where);
  }
  if (spec.filter) conditions.push(filterSql(d, p, spec.filter, (dim) => column(dim), spec.goals));
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  if (perVisitor) select.push('visitor_id');
  const groupBy = select.length ? `GROUP BY ${select.map((_, i) => String(i + 1)).join(', ')}` : '';
  return `SELECT ${[...select,
    `${wants(spec, 'pageviews') ? `sum(CASE WHEN name = 'pageview' THEN 1 ELSE 0 END)` : '0'} AS pageviews`,
    `${wants(spec, 'events') ? 'count(*)' : '0'} AS events`,
    ...(perVisitor ? [] : [`${wants(spec, 'visitors') ? d.distinctCount('visitor_id') : '0'} AS visitors`]),
  ].join(', ')} FROM ${from} ${where} ${groupBy}`;
}

/** Distinct (visit, row-level dimension values) of the filtered events: which groups each visit touched. */
function pairsSql(d: Dialect, p: SqlParams, spec: AggregateSpec): string {
  const cols = ['session_id'];
  let from = 'fe';
  const conditions: string[] = [];
  spec.dimensions.forEach((dim, i) => {
    if (isRowLevel(dim)) cols.push(`${rowColumn(d, p, dim, true)} AS d${i}`);
  });
  if (spec.dimensions.some((dim) => dim.kind === 'goal')) {
    const join = goalRows(d, p, spec.goals, 'fe');
    from = join.from;
    if (join.where) conditions.push(join.where);
  }
  return `SELECT DISTINCT ${cols.join(', ')} FROM ${from}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
}

/** Read from each event: event fields, props, goals and the VISITOR_ATTRIBUTES. */
function isRowLevel(dim: Dimension): boolean {
  return isEventLevel(dim) || (dim.kind === 'visit' && isVisitorAttribute(dim.attribute));
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
