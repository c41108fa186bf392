/**
 * Text-format type parsers that make Postgres results look like DuckDB's (see
 * ../duckdb/values.ts): bigint and integral numeric -> number when safe else decimal string,
 * timestamps and dates -> epoch milliseconds, JSON -> its text. The session runs in UTC, so a
 * `timestamp` (the events table holds UTC in one) reads as the UTC instant.
 */
import pg from 'pg';
import { plainValue } from '../duckdb/values.js';

type Parser = (text: string) => unknown;

const OID = {
  int8: 20, json: 114, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184, jsonb: 3802, textArray: 1009,
} as const;

/** Array type oid -> element type oid, for the arrays whose elements need our parsers. */
const ARRAY_ELEMENT: Record<number, number> = {
  1005: 21, 1007: 23, 1016: 20, 1021: 700, 1022: 701, 1231: 1700, 1000: 16, 1009: 25, 1015: 1043,
  1115: 1114, 1185: 1184, 1182: 1082, 199: 114, 3807: 3802,
};

const TIMESTAMP_TEXT = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/** '2024-01-02 03:04:05.123456[+01[:30]][ BC]' -> epoch ms (microseconds truncated); 'infinity' stays text. */
export function parseTimestampText(text: string): number | string {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return text;
  let year = Number(m[1]);
  if (m[12]) year = 1 - year; // 1 BC is year 0 in the proleptic calendar JS uses
  const date = new Date(0);
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Math.floor(Number((m[7] ?? '0').padEnd(6, '0')) / 1000));
  let ms = date.getTime();
  if (m[8]) {
    const offsetSeconds = Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0);
    ms -= (m[8] === '-' ? -1 : 1) * offsetSeconds * 1000;
  }
  return ms;
}

function parseInt8(text: string): unknown {
  return plainValue(BigInt(text));
}

function parseNumeric(text: string): unknown {
  return /^-?\d+$/.test(text) ? plainValue(BigInt(text)) : Number(text);
}

const OVERRIDES: Record<number, Parser> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: parseNumeric,
  [OID.date]: parseTimestampText,
  [OID.timestamp]: parseTimestampText,
  [OID.timestamptz]: parseTimestampText,
  [OID.json]: (text) => text,
  [OID.jsonb]: (text) => text,
};

/** node-postgres' own text-format parser for a type oid (its typings only accept known oids). */
const defaultParser = (oid: number): Parser => (pg.types.getTypeParser as (oid: number) => Parser)(oid);
const textArrayParser = defaultParser(OID.textArray);

function deepMap(value: unknown, parse: Parser): unknown {
  if (Array.isArray(value)) return value.map((v) => deepMap(v, parse));
  return typeof value === 'string' ? parse(value) : value;
}

/** The parser Footfall uses for a column of type `oid` in text format. */
export function parserFor(oid: number): Parser {
  const override = OVERRIDES[oid];
  if (override) return override;
  const element = ARRAY_ELEMENT[oid];
  if (element !== undefined) {
    const parseElement = parserFor(element);
    return (text) => deepMap(textArrayParser(text), parseElement);
  }
  return defaultParser(oid);
}

/** The `types` option of every Footfall query. */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === 'binary') return (pg.types.getTypeParser as (oid: number, format: string) => Parser)(oid, 'binary');
    return parserFor(oid);
  }) as typeof pg.types.getTypeParser,
};

/** Query parameters as node-postgres sends them (bigint is not handled by it). */
export function pgParams(params: readonly unknown[]): unknown[] {
  return params.map((v) => (typeof v === 'bigint' ? v.toString() : v));
}
