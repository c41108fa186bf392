/**
 * Converts ClickHouse JSON output (JSONCompactEachRowWithNamesAndTypes, 64-bit integers quoted)
 * into the plain values every store returns (see ../duckdb/values.ts): 64-bit and wider
 * integers -> number when safe else decimal string; Date -> epoch ms of UTC midnight; DateTime
 * and DateTime64 -> epoch ms of the wall-clock text read as UTC. For `ts` (stored in UTC) that
 * is the instant; for a value converted to a site's time zone it is the local wall clock, the
 * same as DuckDB's and Postgres' naive timestamps give.
 */
import { plainValue } from '../duckdb/values.js';
import type { Row } from '../store.js';

type Convert = (value: unknown) => unknown;

const identity: Convert = (value) => value;

/** Splits `a, b(c, d), 'e,f'` at top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === "'") quote = false;
    } else if (ch === "'") quote = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

const DATE_TIME_TEXT = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?$/;

/** '2024-01-02 03:04:05.123' (or '2024-01-02') read as UTC -> epoch ms; other text is kept. */
export function parseDateTimeText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = DATE_TIME_TEXT.exec(value);
  if (!m) return value;
  const fraction = Number((m[7] ?? '0').slice(0, 3).padEnd(3, '0'));
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fraction);
}

function bigInteger(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return plainValue(BigInt(value));
  if (typeof value === 'number' && Number.isInteger(value)) return plainValue(BigInt(value));
  return value;
}

function decimal(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
}

/** A tuple element may be named: `Tuple(a Int64, b String)`. */
function tupleElement(arg: string): { name: string | undefined; type: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*|`[^`]+`)\s+(.+)$/s.exec(arg);
  if (m && !/^[A-Z][A-Za-z0-9]*\(/.test(arg)) return { name: m[1]!.replace(/`/g, ''), type: m[2]! };
  return { name: undefined, type: arg };
}

const cache = new Map<string, Convert>();

/** The converter for values of ClickHouse type `type` (as the WithNamesAndTypes header names it). */
export function converterFor(type: string): Convert {
  const cached = cache.get(type);
  if (cached) return cached;
  const convert = build(type.trim());
  if (cache.size < 1000) cache.set(type, convert);
  return convert;
}

function build(type: string): Convert {
  const wrapped = /^(\w+)\((.*)\)$/s.exec(type);
  if (wrapped) {
    const name = wrapped[1]!;
    const inner = wrapped[2]!;
    switch (name) {
      case 'Nullable':
      case 'LowCardinality': {
        const convert = converterFor(inner);
        return (v) => (v === null ? null : convert(v));
      }
      case 'SimpleAggregateFunction':
        return converterFor(splitArgs(inner)[1] ?? '');
      case 'Array': {
        const convert = converterFor(inner);
        return (v) => (Array.isArray(v) ? v.map(convert) : v);
      }
      case 'Tuple': {
        const elements = splitArgs(inner).map(tupleElement);
        const converters = elements.map((e) => converterFor(e.type));
        return (v) => {
          if (Array.isArray(v)) return v.map((x, i) => (converters[i] ?? identity)(x));
          if (v && typeof v === 'object') {
            const out: Record<string, unknown> = {};
            for (const [key, x] of Object.entries(v)) {
              const i = elements.findIndex((e) => e.name === key);
              out[key] = (converters[i] ?? identity)(x);
            }
            return out;
          }
          return v;
        };
      }
      case 'Map': {
        const convert = converterFor(splitArgs(inner)[1] ?? '');
        return (v) => {
          if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
          return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
        };
      }
      case 'DateTime':
      case 'DateTime64':
        return parseDateTimeText;
      default:
        if (name.startsWith('Decimal')) return decimal;
        return identity;
    }
  }
  if (/^U?Int(64|128|256)$/.test(type)) return bigInteger;
  if (type === 'Date' || type === 'Date32' || type === 'DateTime') return parseDateTimeText;
  return identity;
}

/**
 * Rows of a JSONCompactEachRowWithNamesAndTypes result as objects; `header` is its first two
 * rows (names, types).
 */
export function compactRows(names: readonly string[], types: readonly string[], rows: readonly unknown[][]): Row[] {
  const converters = types.map(converterFor);
  return rows.map((row) => {
    const out: Row = {};
    for (let i = 0; i < names.length; i++) out[names[i]!] = converters[i]!(row[i] ?? null);
    return out;
  });
}

/** The same rows as arrays of plain values (the SQL console's shape). */
export function compactArrays(types: readonly string[], rows: readonly unknown[][]): unknown[][] {
  const converters = types.map(converterFor);
  return rows.map((row) => converters.map((convert, i) => convert(row[i] ?? null)));
}
