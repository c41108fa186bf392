/**
 * UTC offsets of an IANA time zone, computed with Intl so that every SQL dialect receives the
 * same numbers: the compiler turns a range's offsets into a CASE on `ts` instead of asking the
 * database to convert each row (no per-row ICU work, identical answers on every engine).
 */
import { AppError } from '../errors.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One stretch of constant UTC offset: [fromMs, next segment's fromMs). */
export interface OffsetSegment {
  /** Start of the stretch, ms since epoch UTC (the first segment starts at the range start). */
  fromMs: number;
  /** Local time minus UTC, in ms (e.g. 3_600_000 for CET). */
  offsetMs: number;
}

/** A validated IANA time zone with offset arithmetic. Create one per query (holds a formatter). */
export class TimeZone {
  private readonly format: Intl.DateTimeFormat;

  private constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** Throws AppError('invalid_query') naming `field` when `name` is not a time zone Intl knows. */
  static of(name: string, field = 'timezone'): TimeZone {
    try {
      return new TimeZone(name);
    } catch {
      throw new AppError('invalid_query', `${field}: unknown time zone ${JSON.stringify(name)}`, { field });
    }
  }

  /** Local wall-clock time minus UTC at the instant `utcMs`, in ms. */
  offsetAt(utcMs: number): number {
    // Whole seconds only: Intl drops milliseconds, so compare against the truncated instant.
    const instant = Math.floor(utcMs / 1000) * 1000;
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    for (const part of this.format.formatToParts(instant)) {
      const v = Number(part.value);
      switch (part.type) {
        case 'year': year = v; break;
        case 'month': month = v; break;
        case 'day': day = v; break;
        case 'hour': hour = v; break;
        case 'minute': minute = v; break;
        case 'second': second = v; break;
        default: break;
      }
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) - instant;
  }

  /** Local wall-clock ms ("UTC-shaped") for the instant `utcMs`. */
  toLocal(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  /**
   * The UTC instant at which the local wall clock shows `localMs` (a UTC-shaped wall time).
   * A wall time skipped by a DST jump maps to the first instant after the gap; one that occurs
   * twice maps to the earlier instant.
   */
  toUtc(localMs: number): number {
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    // Candidates: the wall time read with the offset in force before and after any transition.
    const candidates = [localMs - before, localMs - after].filter((utc) => this.toLocal(utc) === localMs);
    if (candidates.length > 0) return Math.min(...candidates);
    // In a gap (spring forward): the wall time never happens; take the transition instant.
    return this.transitionBetween(localMs - before - DAY_MS, localMs - after + DAY_MS) ?? localMs - after;
  }

  /**
   * Offset stretches covering [startMs, endMs) (UTC ms). Transitions are found by sampling every
   * 6 hours and bisecting to the minute; real zones never change offset twice within 6 hours.
   */
  segments(startMs: number, endMs: number): OffsetSegment[] {
    const out: OffsetSegment[] = [{ fromMs: startMs, offsetMs: this.offsetAt(startMs) }];
    const step = 6 * HOUR_MS;
    let previous = startMs;
    let previousOffset = out[0]!.offsetMs;
    for (let t = Math.min(startMs + step, endMs); previous < endMs; t = Math.min(t + step, endMs)) {
      const offset = this.offsetAt(t);
      if (offset !== previousOffset) {
        const at = this.bisect(previous, t, previousOffset);
        if (at < endMs) out.push({ fromMs: at, offsetMs: offset });
        previousOffset = offset;
      }
      previous = t;
      if (t === endMs) break;
    }
    return out;
  }

  private transitionBetween(fromMs: number, toMs: number): number | undefined {
    const offset = this.offsetAt(fromMs);
    if (this.offsetAt(toMs) === offset) return undefined;
    return this.bisect(fromMs, toMs, offset);
  }

  /** First whole minute in (lo, hi] whose offset differs from `loOffset`. */
  private bisect(lo: number, hi: number, loOffset: number): number {
    let a = Math.floor(lo / MINUTE_MS);
    let b = Math.ceil(hi / MINUTE_MS);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (this.offsetAt(mid * MINUTE_MS) === loOffset) a = mid;
      else b = mid;
    }
    return b * MINUTE_MS;
  }
}

/** Local-date helpers on "UTC-shaped" wall-clock ms (local time read as if it were UTC). */
export const MS = { MINUTE: MINUTE_MS, HOUR: HOUR_MS, DAY: DAY_MS } as const;
