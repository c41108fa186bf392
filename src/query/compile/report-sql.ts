/**
 * SQL of the original app's six reports. They read page views only (the original stored
 * nothing else); a raw-mode site is keyed by IP and raw User-Agent as the original was,
 * other sites by the visitor hash and the parsed browser / OS.
 */
import type { UtcRange } from '../date-range.js';
import { MS, type OffsetSegment } from '../time-zone.js';
import { SqlParams, type CompiledSql, type Dialect } from './dialect.js';
import { localMsExpr } from './expressions.js';

export interface ReportSqlInput {
  siteId: number;
  raw: boolean;
  range: UtcRange;
  segments: OffsetSegment[];
}

function pageviewsWhere(d: Dialect, p: SqlParams, input: ReportSqlInput): string {
  return `site_id = ${p.add(input.siteId)} AND ts >= ${d.timestampFromMs(p.add(input.range.startMs))}
    AND ts < ${d.timestampFromMs(p.add(input.range.endMs))} AND name = 'pageview'`;
}

/** The key a person is counted by: IP on raw sites (falling back to the hash for older rows). */
function visitorKey(d: Dialect, raw: boolean): string {
  return raw ? `coalesce(ip, ${d.castText('visitor_id')})` : d.castText('visitor_id');
}

function done(d: Dialect, p: SqlParams, sql: string): CompiledSql {
  return { sql: sql + d.querySuffix, params: p.values };
}

/** One row: pageviews. */
export function pageviewsSql(d: Dialect, input: ReportSqlInput): CompiledSql {
  const p = new SqlParams(d);
  return done(d, p, `SELECT count(*) AS pageviews FROM events WHERE ${pageviewsWhere(d, p, input)}`);
}

/** One row: unique_visitors. */
export function uniqueVisitorsSql(d: Dialect, input: ReportSqlInput): CompiledSql {
  const p = new SqlParams(d);
  return done(d, p, `SELECT ${d.distinctCount(visitorKey(d, input.raw))} AS unique_visitors FROM events WHERE ${pageviewsWhere(d, p, input)}`);
}

/** Rows: page (title or path), pageviews; most viewed first. */
export function topPagesSql(d: Dialect, input: ReportSqlInput, by: 'title' | 'path', limit: number): CompiledSql {
  const p = new SqlParams(d);
  const column = by === 'title' ? 'title' : 'pathname';
  return done(d, p, `SELECT * FROM (SELECT ${column} AS page, count(*) AS pageviews FROM events WHERE ${pageviewsWhere(d, p, input)}
    GROUP BY ${column}) r ORDER BY r.pageviews DESC, ${d.binaryCollate('r.page')} ASC LIMIT ${p.add(limit)}`);
}

/** Rows: bucket (local hour of day / hours), pageviews; busiest first. */
export function hourBucketsSql(d: Dialect, input: ReportSqlInput, hours: number): CompiledSql {
  const p = new SqlParams(d);
  const hourOfDay = `(${d.intDiv(localMsExpr(d, p, 'ts', input.segments), String(MS.HOUR))} % 24)`;
  const bucket = d.intDiv(hourOfDay, p.add(hours));
  return done(d, p, `SELECT * FROM (SELECT ${bucket} AS bucket, count(*) AS pageviews FROM events WHERE ${pageviewsWhere(d, p, input)}
    GROUP BY 1) r ORDER BY r.pageviews DESC, r.bucket ASC`);
}

/** Rows: user_agent (raw) or browser + os, pageviews; most common first. */
export function topUserAgentsSql(d: Dialect, input: ReportSqlInput, limit: number): CompiledSql {
  const p = new SqlParams(d);
  const where = pageviewsWhere(d, p, input);
  if (input.raw) {
    const ua = `coalesce(${d.jsonString('headers', 'user-agent', p)}, '')`;
    return done(d, p, `SELECT * FROM (SELECT ${ua} AS user_agent, count(*) AS pageviews FROM events WHERE ${where}
      GROUP BY 1) r ORDER BY r.pageviews DESC, ${d.binaryCollate('r.user_agent')} ASC LIMIT ${p.add(limit)}`);
  }
  return done(d, p, `SELECT * FROM (SELECT browser, os, count(*) AS pageviews FROM events WHERE ${where}
    GROUP BY browser, os) r ORDER BY r.pageviews DESC, ${d.binaryCollate('r.browser')} ASC, ${d.binaryCollate('r.os')} ASC LIMIT ${p.add(limit)}`);
}

/** Rows: visitor, pages (count), paths (page paths in time order); most pages first. */
export function visitorPathsSql(d: Dialect, input: ReportSqlInput, limit: number): CompiledSql {
  const p = new SqlParams(d);
  const key = visitorKey(d, input.raw);
  return done(d, p, `SELECT * FROM (SELECT ${key} AS visitor, count(*) AS pages, ${d.orderedList('pathname', ['ts', 'pathname'])} AS paths
    FROM events WHERE ${pageviewsWhere(d, p, input)} GROUP BY 1) r
    ORDER BY r.pages DESC, ${d.binaryCollate('r.visitor')} ASC LIMIT ${p.add(limit)}`);
}
