/**
 * Time buckets of time:* dimensions. SQL returns integer buckets of the local wall clock
 * (see timeBucketExpr); this module names them and lists every bucket of a range (time_labels).
 */
import type { DayRange, UtcRange } from './date-range.js';
import { formatDay } from './date-range.js';
import type { DimensionValue, TimeGrain } from './model.js';
import { MS, type OffsetSegment } from './time-zone.js';

/** Local wall-clock ms of a UTC instant, from the offset stretches of the range holding it. */
export function localFromSegments(segments: readonly OffsetSegment[], utcMs: number): number {
  let offset = segments[0]?.offsetMs ?? 0;
  for (const seg of segments) {
    if (seg.fromMs <= utcMs) offset = seg.offsetMs;
    else break;
  }
  return utcMs + offset;
}

/**
 * Label of a bucket: 'YYYY-MM-DD HH:00:00' (hour), 'YYYY-MM-DD' (day; week = its Monday),
 * 'YYYY-MM-01' (month), the number itself for hour_of_day (0-23) and day_of_week (1 = Monday).
 * All in the site's local time.
 */
export function bucketLabel(grain: TimeGrain, bucket: number): DimensionValue {
  switch (grain) {
    case 'hour': return new Date(bucket * MS.HOUR).toISOString().slice(0, 13).replace('T', ' ') + ':00:00';
    case 'day': return formatDay(bucket);
    case 'week': return formatDay(bucket * 7 - 3);
    case 'month': return `${Math.floor(bucket / 12)}-${String((bucket % 12) + 1).padStart(2, '0')}-01`;
    case 'hour_of_day':
    case 'day_of_week':
      return bucket;
  }
}

function monthOfDay(day: number): number {
  const d = new Date(day * MS.DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Every bucket of the range in ascending order, including empty ones. */
export function rangeBuckets(grain: TimeGrain, days: DayRange, utc: UtcRange, segments: readonly OffsetSegment[]): number[] {
  const out: number[] = [];
  switch (grain) {
    case 'hour': {
      // Walk UTC hours: a skipped local hour (spring forward) never appears, a repeated one once.
      const seen = new Set<number>();
      for (let t = utc.startMs; t < utc.endMs; t += MS.HOUR) {
        const bucket = Math.floor(localFromSegments(segments, t) / MS.HOUR);
        if (!seen.has(bucket)) {
          seen.add(bucket);
          out.push(bucket);
        }
      }
      return out.sort((a, b) => a - b);
    }
    case 'day':
      for (let day = days.first; day <= days.last; day++) out.push(day);
      return out;
    case 'week':
      for (let w = Math.floor((days.first + 3) / 7); w <= Math.floor((days.last + 3) / 7); w++) out.push(w);
      return out;
    case 'month':
      for (let m = monthOfDay(days.first); m <= monthOfDay(days.last); m++) out.push(m);
      return out;
    case 'hour_of_day':
      for (let h = 0; h < 24; h++) out.push(h);
      return out;
    case 'day_of_week':
      for (let d = 1; d <= 7; d++) out.push(d);
      return out;
  }
}
