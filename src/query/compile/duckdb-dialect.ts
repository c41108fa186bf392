/** DuckDB: `ts` is TIMESTAMP (UTC); regexes are RE2. */
import type { Dialect, ParamValue, SqlParams } from './dialect.js';

function jsonPointer(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  placeholder(index: number, value: ParamValue): string {
    // JS numbers would bind as INTEGER or DOUBLE; integer arithmetic on ms needs BIGINT.
    if (typeof value === 'number') return Number.isInteger(value) ? `$${index}::BIGINT` : `$${index}::DOUBLE`;
    if (typeof value === 'boolean') return `$${index}::BOOLEAN`;
    return `$${index}::VARCHAR`;
  },
  epochMs: (ts) => `epoch_ms(${ts})`,
  timestampFromMs: (ms) => `epoch_ms(${ms})`,
  intDiv: (a, b) => `(${a} // ${b})`,
  monthIndex: (localMs) => `(year(epoch_ms(${localMs})) * 12 + month(epoch_ms(${localMs})) - 1)`,
  distinctCount: (expr) => `count(DISTINCT ${expr})`,
  anyValue: (expr) => `any_value(${expr})`,
  argMinIf: (value, order, cond) => `arg_min(${value}, ${order}) FILTER (WHERE ${cond})`,
  argMaxIf: (value, order, cond) => `arg_max(${value}, ${order}) FILTER (WHERE ${cond})`,
  jsonString: (json: string, key: string, params: SqlParams) => `json_extract_string(${json}, ${params.add(jsonPointer(key))})`,
  regexMatch: (expr, pattern, caseSensitive) => caseSensitive ? `regexp_matches(${expr}, ${pattern})` : `regexp_matches(${expr}, ${pattern}, 'i')`,
  startsWith: (expr, prefix) => `starts_with(${expr}, ${prefix})`,
  contains: (expr, needle, caseSensitive) => caseSensitive ? `contains(${expr}, ${needle})` : `contains(lower(${expr}), lower(${needle}))`,
  lower: (expr) => `lower(${expr})`,
  orderedList: (value, order) => `list(${value} ORDER BY ${order.join(', ')})`,
  castText: (expr) => `CAST(${expr} AS VARCHAR)`,
  castDouble: (expr) => `CAST(${expr} AS DOUBLE)`,
  binaryCollate: (expr) => expr,
  isoTimestamp: (ts) => `strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%gZ')`,
  jsonObject: (pairs) => `CAST(json_object(${pairs.map(([k, v]) => `'${k}', ${v}`).join(', ')}) AS VARCHAR)`,
  csvLine: (fields) => `concat_ws(',', ${fields.map((f) => `'"' || replace(coalesce(${f}, ''), '"', '""') || '"'`).join(', ')})`,
  querySuffix: '',
};
