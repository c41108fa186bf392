/** The original's six reports computed in plain TypeScript from EventRow arrays (no SQL). */
import type { EventRow } from '../../../src/store/event-row.js';
import { localOf } from './reference.js';

export interface RefReportSite { id: number; timezone: string; raw: boolean }

function pageviewsIn(rows: EventRow[], site: RefReportSite, range: [string, string]): EventRow[] {
  return rows.filter((r) => {
    if (r.site_id !== site.id || r.name !== 'pageview') return false;
    const date = localOf(site.timezone, r.ts).date;
    return date >= range[0] && date <= range[1];
  });
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

/** Most first, then by key ascending (code-point order). */
function ranked(counts: Map<string, number>): Array<[string, number]> {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const personOf = (site: RefReportSite) => (r: EventRow) => (site.raw ? r.ip ?? r.visitor_id : r.visitor_id);

export function refReport(rows: EventRow[], site: RefReportSite, name: string, range: [string, string], opts: { by?: string; bucketHours?: number; limit?: number }) {
  const pvs = pageviewsIn(rows, site, range);
  const limit = opts.limit ?? 10;
  switch (name) {
    case 'pageviews': return [[pvs.length]];
    case 'unique-visitors': return [[new Set(pvs.map(personOf(site))).size]];
    case 'top-pages': return ranked(countBy(pvs, (r) => (opts.by === 'path' ? r.pathname : r.title))).slice(0, limit);
    case 'hour-buckets': {
      const n = opts.bucketHours ?? 4;
      const counts = countBy(pvs, (r) => String(Math.floor(localOf(site.timezone, r.ts).hour / n)));
      const pad = (x: number) => String(x).padStart(2, '0');
      return [...counts].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))
        .map(([b, c]) => [Number(b), `${pad(Number(b) * n)}:00-${pad(Math.min(24, (Number(b) + 1) * n))}:00`, c]);
    }
    case 'top-user-agents': {
      if (site.raw) return ranked(countBy(pvs, (r) => (JSON.parse(r.headers ?? '{}') as Record<string, string>)['user-agent'] ?? '')).slice(0, limit);
      const counts = countBy(pvs, (r) => JSON.stringify([r.browser, r.os]));
      return [...counts].map(([k, c]) => [...(JSON.parse(k) as string[]), c] as [string, string, number])
        .sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
        .slice(0, limit);
    }
    case 'visitor-paths': {
      const byPerson = new Map<string, EventRow[]>();
      for (const r of pvs) byPerson.set(personOf(site)(r), [...(byPerson.get(personOf(site)(r)) ?? []), r]);
      return [...byPerson]
        .map(([person, list]) => [person, list.length, list.sort((a, b) => a.ts - b.ts || (a.pathname < b.pathname ? -1 : 1)).map((r) => r.pathname)] as [string, number, string[]])
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, limit);
    }
  }
  throw new Error(name);
}
