/**
 * Date ranges of the query model. A range is a span of whole local calendar days in the site's
 * time zone, held as day numbers (days since 1970-01-01 of the local calendar); it becomes a
 * UTC instant range only through the site's TimeZone (DST makes days 23 or 25 hours long).
 */
import { AppError } from '../errors.js';
import { MS, type TimeZone } from './time-zone.js';
import { describeValue } from './describe-value.js';

/** Inclusive span of local calendar days (day numbers). */
export interface DayRange {
  first: number;
  last: number;
}

/** Half-open UTC instant range [startMs, endMs), ms since epoch. */
export interface UtcRange {
  startMs: number;
  endMs: number;
}

/** The relative ranges the API accepts besides an explicit pair of dates. */
export type RelativeRange = 'day' | 'month' | 'year' | 'all' | `${number}d` | `${number}mo`;

export type DateRangeSpec = RelativeRange | readonly [string, string];

export type ComparisonMode = 'previous_period' | 'year_over_year';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a 'YYYY-MM-DD' string; throws AppError('invalid_query') naming `field`. */
export function parseDay(text: unknown, field: string): number {
  const m = typeof text === 'string' ? DATE_RE.exec(text) : null;
  if (!m) throw new AppError('invalid_query', `${field}: expected a date YYYY-MM-DD, got ${describeValue(text)}`, { field });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 1970) {
    throw new AppError('invalid_query', `${field}: ${describeValue(text)} is not a valid calendar date`, { field });
  }
  return ms / MS.DAY;
}

/** 'YYYY-MM-DD' of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS.DAY).toISOString().slice(0, 10);
}

/** Day number of the first day of the month `monthsBack` months before the month of `day`. */
function monthStart(day: number, monthsBack = 0): number {
  const d = new Date(day * MS.DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1) / MS.DAY;
}

function monthEnd(day: number): number {
  const d = new Date(day * MS.DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / MS.DAY - 1;
}

/** Validates the shape of a date_range value (no clock needed). */
export function parseDateRangeSpec(value: unknown, field = 'date_range'): DateRangeSpec {
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new AppError('invalid_query', `${field}: expected ["YYYY-MM-DD","YYYY-MM-DD"]`, { field });
    const first = parseDay(value[0], `${field}[0]`);
    const last = parseDay(value[1], `${field}[1]`);
    if (last < first) throw new AppError('invalid_query', `${field}: the end date ${value[1]} is before the start date ${value[0]}`, { field });
    return [String(value[0]), String(value[1])];
  }
  if (typeof value === 'string') {
    if (value === 'day' || value === 'month' || value === 'year' || value === 'all') return value;
    const m = /^(\d{1,4})(d|mo)$/.exec(value);
    if (m) {
      const n = Number(m[1]);
      const max = m[2] === 'd' ? 3660 : 120;
      if (n >= 1 && n <= max) return value as RelativeRange;
    }
  }
  throw new AppError('invalid_query',
    `${field}: expected "day", "7d", "30d", "month", "6mo", "12mo", "year", "all" or ["YYYY-MM-DD","YYYY-MM-DD"], got ${describeValue(value)}`,
    { field });
}

/**
 * The local days of a range. `today` is the current local day of the site; `firstDataDay` the
 * local day of the site's first event (only used by "all"; today when there is none).
 * "Nd" is the N days ending today, "Nmo" the N calendar months ending with this one,
 * "month"/"year" the whole current calendar month/year.
 */
export function resolveDayRange(spec: DateRangeSpec, today: number, firstDataDay?: number): DayRange {
  if (typeof spec !== 'string') return { first: parseDay(spec[0], 'date_range[0]'), last: parseDay(spec[1], 'date_range[1]') };
  switch (spec) {
    case 'day': return { first: today, last: today };
    case 'month': return { first: monthStart(today), last: monthEnd(today) };
    case 'year': {
      const y = new Date(today * MS.DAY).getUTCFullYear();
      return { first: Date.UTC(y, 0, 1) / MS.DAY, last: Date.UTC(y + 1, 0, 1) / MS.DAY - 1 };
    }
    case 'all': return { first: Math.min(firstDataDay ?? today, today), last: today };
    default: {
      const m = /^(\d+)(d|mo)$/.exec(spec)!;
      const n = Number(m[1]);
      if (m[2] === 'd') return { first: today - (n - 1), last: today };
      return { first: monthStart(today, n - 1), last: monthEnd(today) };
    }
  }
}

/** The range a comparison is made against: the same number of days just before, or one year back. */
export function comparisonDayRange(range: DayRange, mode: ComparisonMode): DayRange {
  if (mode === 'previous_period') {
    const length = range.last - range.first + 1;
    return { first: range.first - length, last: range.first - 1 };
  }
  return { first: yearBack(range.first), last: yearBack(range.last) };
}

function yearBack(day: number): number {
  const d = new Date(day * MS.DAY);
  const y = d.getUTCFullYear() - 1;
  const m = d.getUTCMonth();
  // 29 February one year back is 28 February.
  const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfMonth)) / MS.DAY;
}

/** UTC instants of a day range in a zone: local midnight of the first day to local midnight after the last. */
export function toUtcRange(tz: TimeZone, range: DayRange): UtcRange {
  return { startMs: tz.toUtc(range.first * MS.DAY), endMs: tz.toUtc((range.last + 1) * MS.DAY) };
}

/** The local day (day number) containing the UTC instant `utcMs`. */
export function localDay(tz: TimeZone, utcMs: number): number {
  return Math.floor(tz.toLocal(utcMs) / MS.DAY);
}
