/**
 * Postgres: `ts` is `timestamp` holding UTC (as in DuckDB), props/headers are text holding
 * JSON; regexes are POSIX AREs. Not exercised by tests yet (the Postgres store is separate).
 */
import type { Dialect, ParamValue, SqlParams } from './dialect.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  placeholder(index: number, value: ParamValue): string {
    if (typeof value === 'number') return Number.isInteger(value) ? `$${index}::bigint` : `$${index}::double precision`;
    if (typeof value === 'boolean') return `$${index}::boolean`;
    return `$${index}::text`;
  },
  epochMs: (ts) => `(extract(epoch FROM ${ts}) * 1000)::bigint`,
  timestampFromMs: (ms) => `(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC')`,
  intDiv: (a, b) => `div(${a}, ${b})::bigint`,
  monthIndex: (localMs) =>
    `(extract(year FROM to_timestamp(${localMs} / 1000.0) AT TIME ZONE 'UTC') * 12 + extract(month FROM to_timestamp(${localMs} / 1000.0) AT TIME ZONE 'UTC') - 1)::bigint`,
  distinctCount: (expr) => `count(DISTINCT ${expr})`,
  // Postgres has no any_value before 16 nor arg_min: min() works for the equal values any_value
  // is used on, and an ordered array_agg picks the first row.
  anyValue: (expr) => `min(${expr})`,
  argMinIf: (value, order, cond) => `(array_agg(${value} ORDER BY ${order} ASC) FILTER (WHERE ${cond}))[1]`,
  argMaxIf: (value, order, cond) => `(array_agg(${value} ORDER BY ${order} DESC) FILTER (WHERE ${cond}))[1]`,
  jsonString: (json: string, key: string, params: SqlParams) => `(${json}::jsonb ->> ${params.add(key)})`,
  regexMatch: (expr, pattern, caseSensitive) => caseSensitive ? `(${expr} ~ ${pattern})` : `(${expr} ~* ${pattern})`,
  startsWith: (expr, prefix) => `starts_with(${expr}, ${prefix})`,
  contains: (expr, needle, caseSensitive) => caseSensitive ? `(strpos(${expr}, ${needle}) > 0)` : `(strpos(lower(${expr}), lower(${needle})) > 0)`,
  lower: (expr) => `lower(${expr})`,
  orderedList: (value, order) => `array_agg(${value} ORDER BY ${order.join(', ')})`,
  castText: (expr) => `CAST(${expr} AS text)`,
  castDouble: (expr) => `CAST(${expr} AS double precision)`,
  binaryCollate: (expr) => `(${expr}) COLLATE "C"`,
  isoTimestamp: (ts) => `to_char(${ts}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  jsonObject: (pairs) => `json_build_object(${pairs.map(([k, v]) => `'${k}', ${v}`).join(', ')})::text`,
  csvLine: (fields) => `concat_ws(',', ${fields.map((f) => `'"' || replace(coalesce(${f}, ''), '"', '""') || '"'`).join(', ')})`,
  querySuffix: '',
};
