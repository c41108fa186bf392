/**
 * The original app's six reports over a site's page views: pageviews, unique-visitors,
 * top-pages (by title or path), hour-buckets (local hour of day / N), top-user-agents and
 * visitor-paths. Shared by `footfall report` and GET /api/v2/reports/:name.
 */
import { AppError } from '../errors.js';
import type { Site } from '../store/site.js';
import type { CompiledSql } from './compile/dialect.js';
import { dialectFor } from './compile/dialects.js';
import {
  hourBucketsSql, pageviewsSql, topPagesSql, topUserAgentsSql, uniqueVisitorsSql, visitorPathsSql, type ReportSqlInput,
} from './compile/report-sql.js';
import { formatDay, parseDateRangeSpec, type DateRangeSpec } from './date-range.js';
import type { QueryEnv } from './run-query.js';
import { runSql } from './run-sql.js';
import { resolveSiteRange } from './site-range.js';

/** The original app's reports, by their CLI/API name. */
export const REPORT_NAMES = ['pageviews', 'unique-visitors', 'top-pages', 'hour-buckets', 'top-user-agents', 'visitor-paths'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportOptions {
  range: DateRangeSpec;
  /** top-pages: group by page title (the original) or path. */
  by: 'title' | 'path';
  /** hour-buckets: hours per bucket, 1-24 (default 4). */
  bucketHours: number;
  /** Rows of top-pages, top-user-agents, visitor-paths (default 10). */
  limit: number;
}

/** A cell: text, a count, or (visitor-paths) a list of paths. */
export type ReportCell = string | number | string[];

export interface ReportResult {
  report: ReportName;
  site_id: string;
  /** Local dates in the site's time zone, inclusive. */
  date_range: [string, string];
  time_zone: string;
  columns: string[];
  rows: ReportCell[][];
}

/** Raw option values as given by the CLI (--range, --by, ...) or the query string (date_range, by, ...). */
export interface RawReportOptions {
  range?: unknown;
  by?: unknown;
  bucketHours?: unknown;
  limit?: unknown;
}

/** Field names to put in messages, so that each front end names its own spelling. */
export interface ReportFieldNames {
  range: string;
  by: string;
  bucketHours: string;
  limit: string;
}

/** Validates a report name; invalid_query (field `report`) otherwise. */
export function parseReportName(value: unknown): ReportName {
  if (typeof value !== 'string' || !(REPORT_NAMES as readonly string[]).includes(value)) {
    throw new AppError('invalid_query', `report: unknown report ${JSON.stringify(value)} (known: ${REPORT_NAMES.join(', ')})`, { field: 'report' });
  }
  return value as ReportName;
}

function intOption(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('invalid_query', `${field}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`, { field });
  }
  return n;
}

/** Parses report options; a range may also be written "YYYY-MM-DD,YYYY-MM-DD". */
export function parseReportOptions(raw: RawReportOptions, names: ReportFieldNames): ReportOptions {
  let range: unknown = raw.range ?? '7d';
  if (typeof range === 'string' && range.includes(',')) range = range.split(',').map((s) => s.trim());
  const by = raw.by ?? 'title';
  if (by !== 'title' && by !== 'path') {
    throw new AppError('invalid_query', `${names.by}: expected "title" or "path", got ${JSON.stringify(by)}`, { field: names.by });
  }
  return {
    range: parseDateRangeSpec(range, names.range),
    by,
    bucketHours: intOption(raw.bucketHours, names.bucketHours, 4, 1, 24),
    limit: intOption(raw.limit, names.limit, 10, 1, 10_000),
  };
}

/** Runs one report for a site over its date range (local days in the site's time zone). */
export async function runReport(env: QueryEnv, site: Site, name: ReportName, options: ReportOptions): Promise<ReportResult> {
  const range = await resolveSiteRange(env.store, env.clock, site, options.range);
  const d = dialectFor(env.store.dialect);
  const input: ReportSqlInput = { siteId: site.id, raw: site.raw, range: range.utc, segments: range.segments };
  const run = (sql: CompiledSql) => runSql(env.store, sql);
  const result = (columns: string[], rows: ReportCell[][]): ReportResult => ({
    report: name, site_id: site.domain, date_range: [formatDay(range.days.first), formatDay(range.days.last)],
    time_zone: site.timezone, columns, rows,
  });
  switch (name) {
    case 'pageviews': {
      const rows = await run(pageviewsSql(d, input));
      return result(['pageviews'], [[Number(rows[0]?.pageviews ?? 0)]]);
    }
    case 'unique-visitors': {
      const rows = await run(uniqueVisitorsSql(d, input));
      return result(['unique_visitors'], [[Number(rows[0]?.unique_visitors ?? 0)]]);
    }
    case 'top-pages': {
      const rows = await run(topPagesSql(d, input, options.by, options.limit));
      return result([options.by === 'title' ? 'title' : 'path', 'pageviews'], rows.map((r) => [String(r.page), Number(r.pageviews)]));
    }
    case 'hour-buckets': {
      const n = options.bucketHours;
      const rows = await run(hourBucketsSql(d, input, n));
      const hours = (b: number) => `${pad(b * n)}:00-${pad(Math.min(24, (b + 1) * n))}:00`;
      return result(['bucket', 'hours', 'pageviews'], rows.map((r) => [Number(r.bucket), hours(Number(r.bucket)), Number(r.pageviews)]));
    }
    case 'top-user-agents': {
      const rows = await run(topUserAgentsSql(d, input, options.limit));
      if (site.raw) return result(['user_agent', 'pageviews'], rows.map((r) => [String(r.user_agent), Number(r.pageviews)]));
      return result(['browser', 'os', 'pageviews'], rows.map((r) => [String(r.browser), String(r.os), Number(r.pageviews)]));
    }
    case 'visitor-paths': {
      const rows = await run(visitorPathsSql(d, input, options.limit));
      return result(['visitor', 'pages', 'paths'], rows.map((r) => [String(r.visitor), Number(r.pages), toStringList(r.paths)]));
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Engines return arrays natively or (drivers without array support) as JSON text. */
function toStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // fall through: a single path
    }
    return [value];
  }
  return [];
}
