/**
 * The small hooks in which SQL engines differ. Everything else the compiler writes is plain
 * SQL that DuckDB, Postgres and ClickHouse all accept. Hooks receive SQL fragments (already
 * safe) and return SQL fragments; values only ever enter through `SqlParams.add`.
 */
import type { DialectName } from '../../store/store.js';

/** A value bound as a query parameter. */
export type ParamValue = string | number | boolean;

export interface Dialect {
  readonly name: DialectName;
  /**
   * Placeholder text for the parameter at 1-based `index` holding `value`: `$1::BIGINT` in
   * DuckDB, `$1` in Postgres, `{p1:Int64}` in ClickHouse (the adapter binds params[i] as p<i+1>).
   */
  placeholder(index: number, value: ParamValue): string;
  /** Epoch milliseconds (integer) of a `ts`-typed expression (UTC). */
  epochMs(ts: string): string;
  /** A value comparable with the `ts` column from epoch milliseconds (UTC). */
  timestampFromMs(ms: string): string;
  /** Integer division of non-negative integers. */
  intDiv(a: string, b: string): string;
  /** year * 12 + month - 1 of a UTC-shaped epoch-ms expression (the local wall clock). */
  monthIndex(localMs: string): string;
  /** Exact count of distinct values. */
  distinctCount(expr: string): string;
  /** Any one value of the group (all are equal). */
  anyValue(expr: string): string;
  /** `value` at the smallest `order` among rows where `cond` holds; NULL when none. */
  argMinIf(value: string, order: string, cond: string): string;
  /** `value` at the largest `order` among rows where `cond` holds; NULL when none. */
  argMaxIf(value: string, order: string, cond: string): string;
  /** Text value of a top-level key of a JSON object string; NULL or '' when missing. */
  jsonString(json: string, key: string, params: SqlParams): string;
  /** Regular-expression search (not anchored) of `pattern` (a placeholder) in `expr`. */
  regexMatch(expr: string, pattern: string, caseSensitive: boolean): string;
  /** Case-sensitive test that `expr` begins with `prefix` (a placeholder). */
  startsWith(expr: string, prefix: string): string;
  /** Substring test of `needle` (a placeholder) in `expr`. */
  contains(expr: string, needle: string, caseSensitive: boolean): string;
  lower(expr: string): string;
  /** Values of the group as an array, ordered by the `order` expressions ascending. */
  orderedList(value: string, order: string[]): string;
  castText(expr: string): string;
  castDouble(expr: string): string;
  /** Text ordering by code point (locale collations would order differently per engine). */
  binaryCollate(expr: string): string;
  /** ISO 8601 UTC text with milliseconds of a `ts`-typed expression, e.g. 2024-03-31T01:00:00.000Z. */
  isoTimestamp(ts: string): string;
  /** One JSON object text per row from (key, SQL) pairs; keys are code constants. */
  jsonObject(pairs: ReadonlyArray<readonly [string, string]>): string;
  /** A CSV line (no newline) from text expressions, each quoted with `"` doubled inside. NULL gives an empty field. */
  csvLine(fields: readonly string[]): string;
  /** Appended to the outermost SELECT (engine settings), '' when none. */
  readonly querySuffix: string;
}

/** Collects bound values and hands out placeholders in the dialect's syntax. */
export class SqlParams {
  readonly values: ParamValue[] = [];

  constructor(private readonly dialect: Dialect) {}

  add(value: ParamValue): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length, value);
  }
}

/** A compiled statement ready for `Store.query` / `Store.stream`. */
export interface CompiledSql {
  sql: string;
  params: ParamValue[];
}
