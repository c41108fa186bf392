/** Converts DuckDB's JS values into plain JSON-friendly ones the query layer can compare. */
import type { Row } from '../store.js';

/** bigint -> number when it fits exactly, else decimal string; Date -> ms since epoch. */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(plainValue);
  return value;
}

export function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) out[key] = plainValue(row[key]);
  return out;
}
