/** Resolves a date_range for a site: local days, the UTC instants and the offsets between them. */
import type { Site } from '../store/site.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import { dialectFor } from './compile/dialects.js';
import { compileFirstEvent } from './compile/site-bounds.js';
import { localDay, resolveDayRange, toUtcRange, type DateRangeSpec, type DayRange, type UtcRange } from './date-range.js';
import { runSql } from './run-sql.js';
import { TimeZone, type OffsetSegment } from './time-zone.js';

export interface SiteRange {
  tz: TimeZone;
  days: DayRange;
  utc: UtcRange;
  segments: OffsetSegment[];
}

/** Today in the site's zone per `clock`; "all" starts at the site's first event. */
export async function resolveSiteRange(store: Store, clock: Clock, site: Site, spec: DateRangeSpec): Promise<SiteRange> {
  const tz = TimeZone.of(site.timezone, 'site timezone');
  const today = localDay(tz, clock.now());
  let firstDay: number | undefined;
  if (spec === 'all') {
    const rows = await runSql(store, compileFirstEvent(dialectFor(store.dialect), site.id));
    const first = rows[0]?.first_ms;
    if (first !== null && first !== undefined) firstDay = localDay(tz, Number(first));
  }
  return rangeForDays(tz, resolveDayRange(spec, today, firstDay));
}

export function rangeForDays(tz: TimeZone, days: DayRange): SiteRange {
  const utc = toUtcRange(tz, days);
  return { tz, days, utc, segments: tz.segments(utc.startMs, utc.endMs) };
}
