/**
 * ClickHouse: typed `{pN:Type}` placeholders (the adapter binds params[i] as pN, N = i + 1),
 * `ts` is DateTime64(3, 'UTC'); regexes are RE2. Not exercised by tests yet.
 */
import type { Dialect, ParamValue, SqlParams } from './dialect.js';

export const clickhouseDialect: Dialect = {
  name: 'clickhouse',
  placeholder(index: number, value: ParamValue): string {
    if (typeof value === 'number') return Number.isInteger(value) ? `{p${index}:Int64}` : `{p${index}:Float64}`;
    if (typeof value === 'boolean') return `{p${index}:Bool}`;
    return `{p${index}:String}`;
  },
  epochMs: (ts) => `toUnixTimestamp64Milli(${ts})`,
  timestampFromMs: (ms) => `fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC')`,
  intDiv: (a, b) => `intDiv(${a}, ${b})`,
  monthIndex: (localMs) =>
    `(toYear(toDateTime(intDiv(${localMs}, 1000), 'UTC')) * 12 + toMonth(toDateTime(intDiv(${localMs}, 1000), 'UTC')) - 1)`,
  distinctCount: (expr) => `uniqExact(${expr})`,
  anyValue: (expr) => `any(${expr})`,
  // argMinIf ignores the condition's false rows; an empty group gives the type default ('').
  argMinIf: (value, order, cond) => `argMinIf(${value}, ${order}, ${cond})`,
  argMaxIf: (value, order, cond) => `argMaxIf(${value}, ${order}, ${cond})`,
  jsonString: (json: string, key: string, params: SqlParams) => `JSONExtractString(${json}, ${params.add(key)})`,
  regexMatch: (expr, pattern, caseSensitive) => caseSensitive ? `match(${expr}, ${pattern})` : `match(${expr}, concat('(?i)', ${pattern}))`,
  startsWith: (expr, prefix) => `startsWith(${expr}, ${prefix})`,
  contains: (expr, needle, caseSensitive) => caseSensitive ? `(position(${expr}, ${needle}) > 0)` : `(positionCaseInsensitiveUTF8(${expr}, ${needle}) > 0)`,
  lower: (expr) => `lowerUTF8(${expr})`,
  orderedList: (value, order) => `arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((tuple(${order.join(', ')}), ${value}))))`,
  castText: (expr) => `toString(${expr})`,
  castDouble: (expr) => `toFloat64(${expr})`,
  binaryCollate: (expr) => expr,
  // %f prints microseconds for DateTime64: keep milliseconds, like the other engines.
  isoTimestamp: (ts) => `concat(substring(formatDateTime(${ts}, '%Y-%m-%dT%H:%i:%S.%f', 'UTC'), 1, 23), 'Z')`,
  // Built by hand: aliases named like columns would shadow them in WHERE.
  jsonObject: (pairs) => `concat('{', ${pairs.map(([k, v], i) => `'${i ? ',' : ''}"${k}":', ifNull(toJSONString(${v}), 'null')`).join(', ')}, '}')`,
  csvLine: (fields) => `concatWithSeparator(',', ${fields.map((f) => `concat('"', replaceAll(coalesce(${f}, ''), '"', '""'), '"')`).join(', ')})`,
  // FULL/LEFT joins would otherwise fill missing sides with defaults instead of NULL.
  querySuffix: ' SETTINGS join_use_nulls = 1',
};
