/** SQL expressions shared by the compiled statements: local time, buckets, goals, filters. */
import type { Goal } from '../../store/metadata.js';
import { goalsMatchingLeaf, isNegative, pagePatternRegex } from '../goals.js';
import { SCREEN_CLASS_WIDEST, SCREEN_CLASSES, type Dimension, type Filter, type FilterDimension, type TimeGrain } from '../model.js';
import { MS, type OffsetSegment } from '../time-zone.js';
import type { Dialect, SqlParams } from './dialect.js';

/**
 * Local wall-clock ms of a `ts`-typed expression: epoch ms plus the offset of the stretch the
 * instant falls in. The offsets were computed in TypeScript for the query's range, so no engine
 * needs time-zone data and all engines agree.
 */
export function localMsExpr(d: Dialect, p: SqlParams, ts: string, segments: readonly OffsetSegment[]): string {
  const first = segments[0];
  if (!first) throw new Error('localMsExpr: no offset segments');
  if (segments.length === 1) return `(${d.epochMs(ts)} + ${p.add(first.offsetMs)})`;
  const whens = segments.slice(1).map((seg, i) =>
    `WHEN ${ts} < ${d.timestampFromMs(p.add(seg.fromMs))} THEN ${p.add(segments[i]!.offsetMs)}`);
  return `(${d.epochMs(ts)} + CASE ${whens.join(' ')} ELSE ${p.add(segments[segments.length - 1]!.offsetMs)} END)`;
}

/**
 * Integer bucket of a local-ms expression. hour/day: hours/days since 1970-01-01 local;
 * week: Monday-based weeks since 1969-12-29; month: year * 12 + month - 1;
 * hour_of_day: 0-23; day_of_week: 1 (Monday) - 7 (Sunday).
 */
export function timeBucketExpr(d: Dialect, grain: TimeGrain, localMs: string): string {
  const days = d.intDiv(localMs, String(MS.DAY));
  switch (grain) {
    case 'hour': return d.intDiv(localMs, String(MS.HOUR));
    case 'day': return days;
    // 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday.
    case 'week': return d.intDiv(`(${days} + 3)`, '7');
    case 'month': return d.monthIndex(localMs);
    case 'hour_of_day': return `(${d.intDiv(localMs, String(MS.HOUR))} % 24)`;
    case 'day_of_week': return `((${days} + 3) % 7 + 1)`;
  }
}

/** visit:screen class of a width column ('' when unknown). */
export function screenClassExpr(column: string): string {
  const whens = SCREEN_CLASSES.map((c) => `WHEN ${column} < ${c.below} THEN '${c.label}'`).join(' ');
  return `CASE WHEN ${column} IS NULL THEN '' ${whens} ELSE '${SCREEN_CLASS_WIDEST}' END`;
}

/** Value of a custom property, '(none)' when missing or empty. */
export function propExpr(d: Dialect, p: SqlParams, key: string, propsColumn = 'props'): string {
  return `coalesce(nullif(${d.jsonString(propsColumn, key, p)}, ''), '(none)')`;
}

/** Condition that an event row (columns name, pathname) completes a goal. */
export function goalCondition(d: Dialect, p: SqlParams, goal: Goal): string {
  if (goal.kind === 'event') return `(name = ${p.add(goal.match)})`;
  return `(name = 'pageview' AND ${pagePatternSql(d, p, goal.match)})`;
}

/**
 * A page goal pattern as the cheapest equivalent test: equality without `*`, a prefix test for
 * one trailing `*` (the usual '/blog/*'), else the anchored regex. A regex costs several times
 * a string comparison per row on every engine. Paths never hold a raw newline (URLs encode
 * it), the one character where `.*` and a prefix test would disagree.
 */
function pagePatternSql(d: Dialect, p: SqlParams, pattern: string): string {
  const star = pattern.indexOf('*');
  if (star < 0) return `pathname = ${p.add(pattern)}`;
  if (star === pattern.length - 1) return d.startsWith('pathname', p.add(pattern.slice(0, -1)));
  return d.regexMatch('pathname', p.add(pagePatternRegex(pattern)), true);
}

/**
 * Compiles a filter tree. `resolve` gives the SQL of a (non-goal) dimension in the row context
 * at hand; goal leaves are resolved against the site's goals by display name.
 */
export function filterSql(d: Dialect, p: SqlParams, filter: Filter, resolve: (dim: FilterDimension) => string, goals: readonly Goal[]): string {
  switch (filter.op) {
    case 'and':
    case 'or':
      return `(${filter.filters.map((f) => filterSql(d, p, f, resolve, goals)).join(` ${filter.op.toUpperCase()} `)})`;
    case 'not':
      return `(NOT ${filterSql(d, p, filter.filter, resolve, goals)})`;
    default: {
      let positive: string;
      if (filter.dimension.kind === 'goal') {
        const matched = goalsMatchingLeaf(goals, filter);
        positive = matched.length === 0 ? '(1 = 0)' : `(${matched.map((g) => goalCondition(d, p, g)).join(' OR ')})`;
      } else {
        const expr = resolve(filter.dimension);
        const cs = filter.caseSensitive;
        if (filter.op === 'is' || filter.op === 'is_not') {
          const list = filter.values.map((v) => (cs ? p.add(v) : d.lower(p.add(v)))).join(', ');
          positive = `(${cs ? expr : d.lower(expr)} IN (${list}))`;
        } else if (filter.op === 'contains' || filter.op === 'contains_not') {
          positive = `(${filter.values.map((v) => d.contains(expr, p.add(v), cs)).join(' OR ')})`;
        } else {
          positive = `(${filter.values.map((v) => d.regexMatch(expr, p.add(v), cs)).join(' OR ')})`;
        }
      }
      return isNegative(filter.op) ? `(NOT ${positive})` : positive;
    }
  }
}

/** True when the dimension is read from the event row itself (not from its visit). */
export function isEventLevel(dim: Dimension): boolean {
  return dim.kind === 'event' || dim.kind === 'prop' || dim.kind === 'goal';
}
