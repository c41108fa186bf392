/**
 * An independent, deliberately naive implementation of the query semantics documented in
 * src/query/model.ts, over plain EventRow arrays. It shares no code with src/query: local
 * times come from Intl per event, ranges are filtered by local date strings, sessions are
 * built with Maps. The acceptance tests compare the engine's SQL answers with it.
 */
import type { EventRow } from '../../../src/store/event-row.js';
import type { Goal } from '../../../src/store/metadata.js';

export interface RefSite { id: number; timezone: string }
type Value = string | number;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Local { date: string; hour: number; weekday: number }

const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
const localCache = new Map<string, Local>();

/** Local calendar fields of an instant, straight from Intl (memoized: the tests ask often). */
export function localOf(tz: string, ts: number): Local {
  const cacheKey = `${tz}|${ts}`;
  const cached = localCache.get(cacheKey);
  if (cached) return cached;
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', weekday: 'short',
    });
    formats.set(tz, format);
  }
  const parts = format.formatToParts(ts);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  const local = { date: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')), weekday };
  localCache.set(cacheKey, local);
  return local;
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

function mondayOf(date: string): string {
  const dow = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -dow);
}

/** Every date from a to b inclusive. */
function datesBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let d = a; d <= b; d = addDays(d, 1)) out.push(d);
  return out;
}

export function refDateRange(spec: unknown, today: string): [string, string] {
  if (Array.isArray(spec)) return [spec[0], spec[1]];
  if (spec === 'day') return [today, today];
  const m = /^(\d+)d$/.exec(String(spec));
  if (m) return [addDays(today, -(Number(m[1]) - 1)), today];
  if (spec === 'month') {
    const first = today.slice(0, 8) + '01';
    const next = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1)).toISOString().slice(0, 10);
    return [first, addDays(next, -1)];
  }
  throw new Error(`reference: unsupported date_range ${JSON.stringify(spec)}`);
}

export function refComparisonRange(range: [string, string], mode: string): [string, string] {
  if (mode === 'previous_period') {
    const length = (Date.parse(range[1]) - Date.parse(range[0])) / DAY + 1;
    return [addDays(range[0], -length), addDays(range[0], -1)];
  }
  const back = (d: string) => {
    const y = Number(d.slice(0, 4)) - 1;
    const md = d.slice(5) === '02-29' ? '02-28' : d.slice(5);
    return `${y}-${md}`;
  };
  return [back(range[0]), back(range[1])];
}

function timeLabel(grain: string, l: Local): Value {
  switch (grain) {
    case 'hour': return `${l.date} ${String(l.hour).padStart(2, '0')}:00:00`;
    case 'day': return l.date;
    case 'week': return mondayOf(l.date);
    case 'month': return `${l.date.slice(0, 7)}-01`;
    case 'hour_of_day': return l.hour;
    case 'day_of_week': return l.weekday;
  }
  throw new Error(grain);
}

/** All bucket labels of a range, enumerated from instants every 30 minutes. */
export function refTimeLabels(tz: string, grain: string, range: [string, string]): Value[] {
  if (grain === 'hour_of_day') return Array.from({ length: 24 }, (_, i) => i);
  if (grain === 'day_of_week') return [1, 2, 3, 4, 5, 6, 7];
  if (grain === 'day') return datesBetween(range[0], range[1]);
  if (grain === 'week') return [...new Set(datesBetween(range[0], range[1]).map(mondayOf))];
  if (grain === 'month') return [...new Set(datesBetween(range[0], range[1]).map((d) => `${d.slice(0, 7)}-01`))];
  const out = new Set<string>();
  const from = Date.parse(`${range[0]}T00:00:00Z`) - DAY;
  const to = Date.parse(`${range[1]}T00:00:00Z`) + 2 * DAY;
  for (let t = from; t < to; t += 30 * 60_000) {
    const l = localOf(tz, t);
    if (l.date >= range[0] && l.date <= range[1]) out.add(timeLabel('hour', l) as string);
  }
  return [...out].sort();
}

function screenClass(width: number | null): string {
  if (width === null) return '';
  return width < 576 ? 'Mobile' : width < 992 ? 'Tablet' : width < 1440 ? 'Laptop' : 'Desktop';
}

interface Ev { row: EventRow; local: Local; session: Session }
interface Session {
  id: string; visitor: string; start: number; end: number; startLocal: Local; pageviews: number;
  interactive: boolean; first?: EventRow; last?: EventRow; events: Ev[];
  /** Its first counted event: the country, browser, OS and device every event of it carries. */
  firstEvent: EventRow;
}

function regex(v: string, cs: boolean): RegExp { return new RegExp(v, cs ? '' : 'i'); }

function textMatches(op: string, values: string[], cs: boolean, text: string): boolean {
  const low = (s: string) => (cs ? s : s.toLowerCase());
  if (op === 'is' || op === 'is_not') return values.some((v) => low(v) === low(text));
  if (op === 'contains' || op === 'contains_not') return values.some((v) => low(text).includes(low(v)));
  return values.some((v) => regex(v, cs).test(text));
}

function completes(row: EventRow, goal: Goal): boolean {
  if (goal.kind === 'event') return row.name === goal.match;
  const re = new RegExp('^' + goal.match.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return row.name === 'pageview' && re.test(row.pathname);
}

/** Visit attributes derived from IP and User-Agent: a visit has them even without a page view. */
const FROM_ANY_EVENT = new Set(['country', 'browser', 'browser_version', 'os', 'os_version', 'device']);

function visitValue(s: Session, attr: string): string {
  if (FROM_ANY_EVENT.has(attr)) return String((s.firstEvent as unknown as Record<string, unknown>)[attr]);
  const f = attr === 'exit_page' ? s.last : s.first;
  if (!f) return '';
  switch (attr) {
    case 'entry_page': case 'exit_page': return f.pathname;
    case 'source': return f.referrer_source;
    case 'screen': return screenClass(f.screen_width);
    default: return String((f as unknown as Record<string, unknown>)[attr]);
  }
}

/** Values of a non-time dimension for an event (several for event:goal). */
function dimValues(dim: string, e: Ev, goals: Goal[]): Value[] {
  if (dim === 'event:page') return [e.row.pathname];
  if (dim === 'event:hostname') return [e.row.hostname];
  if (dim === 'event:name') return [e.row.name];
  if (dim === 'event:goal') return goals.filter((g) => completes(e.row, g)).map((g) => g.displayName);
  if (dim.startsWith('event:props:')) {
    const v = (JSON.parse(e.row.props) as Record<string, string>)[dim.slice(12)];
    return [v === undefined || v === '' ? '(none)' : v];
  }
  if (dim.startsWith('visit:')) return [visitValue(e.session, dim.slice(6))];
  throw new Error(dim);
}

function passes(filter: any[], e: Ev, goals: Goal[]): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [op] = filter;
  if (op === 'and') return filter[1].every((f: any[]) => passes(f, e, goals)); // eslint-disable-line @typescript-eslint/no-explicit-any
  if (op === 'or') return filter[1].some((f: any[]) => passes(f, e, goals)); // eslint-disable-line @typescript-eslint/no-explicit-any
  if (op === 'not') return !passes(filter[1], e, goals);
  const [, dim, values, mods] = filter;
  const cs = mods?.case_sensitive !== false;
  let positive: boolean;
  if (dim === 'event:goal') {
    positive = goals.filter((g) => textMatches(op, values, cs, g.displayName)).some((g) => completes(e.row, g));
  } else {
    positive = textMatches(op, values, cs, String(dimValues(dim, e, goals)[0]));
  }
  return op.endsWith('_not') ? !positive : positive;
}

interface Acc { pageviews: number; events: number; visitors: Set<string>; visits: number; bounces: number; duration: number; vpv: number }
const newAcc = (): Acc => ({ pageviews: 0, events: 0, visitors: new Set(), visits: 0, bounces: 0, duration: 0, vpv: 0 });

function cartesian(lists: Value[][]): Value[][] {
  return lists.reduce<Value[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/** Groups for one range: key -> accumulators. */
function aggregate(rows: EventRow[], site: RefSite, range: [string, string], dims: string[], filters: any[], goals: Goal[]): Map<string, { dims: Value[]; acc: Acc }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const sessions = new Map<string, Session>();
  const events: Ev[] = [];
  for (const row of rows) {
    if (row.site_id !== site.id || row.name === 'engagement') continue;
    const local = localOf(site.timezone, row.ts);
    if (local.date < range[0] || local.date > range[1]) continue;
    let s = sessions.get(row.session_id);
    if (!s) {
      s = { id: row.session_id, visitor: row.visitor_id, start: Infinity, end: -Infinity, startLocal: local, pageviews: 0, interactive: false, events: [], firstEvent: row };
      sessions.set(row.session_id, s);
    }
    if (row.ts < s.firstEvent.ts) s.firstEvent = row;
    if (row.ts < s.start) { s.start = row.ts; s.startLocal = local; }
    s.end = Math.max(s.end, row.ts);
    if (row.name === 'pageview') {
      s.pageviews++;
      if (!s.first || row.ts < s.first.ts) s.first = row;
      if (!s.last || row.ts > s.last.ts) s.last = row;
    } else if (row.interactive) s.interactive = true;
    const e = { row, local, session: s };
    s.events.push(e);
    events.push(e);
  }
  const groups = new Map<string, { dims: Value[]; acc: Acc }>();
  const group = (key: Value[]) => {
    const k = JSON.stringify(key);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { dims: key, acc: newAcc() }));
    return g.acc;
  };
  const filter = filters.length ? ['and', filters] : undefined;
  for (const s of sessions.values()) {
    const sessionKeys = new Set<string>();
    for (const e of s.events) {
      if (filter && !passes(filter, e, goals)) continue;
      const eventKeys = cartesian(dims.map((d) => (d.startsWith('time:') ? [timeLabel(d.slice(5), e.local)] : dimValues(d, e, goals))));
      for (const key of eventKeys) {
        const acc = group(key);
        acc.events++;
        if (e.row.name === 'pageview') acc.pageviews++;
        acc.visitors.add(e.row.visitor_id);
      }
      const visitKeys = cartesian(dims.map((d) => (d.startsWith('time:') ? [timeLabel(d.slice(5), s.startLocal)] : dimValues(d, e, goals))));
      for (const key of visitKeys) sessionKeys.add(JSON.stringify(key));
    }
    for (const k of sessionKeys) {
      const acc = group(JSON.parse(k) as Value[]);
      acc.visits++;
      if (s.pageviews <= 1 && !s.interactive) acc.bounces++;
      acc.duration += s.end - s.start;
      acc.vpv += s.pageviews;
    }
  }
  return groups;
}

export interface RefRow { dims: Value[]; acc: Acc; metrics: number[]; cr: number }

const r2 = (x: number) => Math.round(x * 100) / 100;

function metric(m: string, a: Acc, total: number, crBase: number): number {
  const v = a.visitors.size;
  switch (m) {
    case 'visitors': return v;
    case 'visits': return a.visits;
    case 'pageviews': return a.pageviews;
    case 'events': return a.events;
    case 'views_per_visit': return a.visits ? r2(a.vpv / a.visits) : 0;
    case 'bounce_rate': return a.visits ? Math.round((a.bounces * 100) / a.visits) : 0;
    case 'visit_duration': return a.visits ? Math.round(a.duration / a.visits / 1000) : 0;
    case 'percentage': return total ? r2((v * 100) / total) : 0;
    case 'conversion_rate': return crBase ? r2((v * 100) / crBase) : 0;
  }
  throw new Error(m);
}

function quantity(m: string, row: RefRow): number {
  const a = row.acc;
  switch (m) {
    case 'visitors': case 'percentage': return a.visitors.size;
    case 'bounce_rate': return a.visits ? (a.bounces * 100) / a.visits : 0;
    case 'views_per_visit': return a.visits ? a.vpv / a.visits : 0;
    case 'visit_duration': return a.visits ? a.duration / a.visits : 0;
    case 'conversion_rate': return row.cr;
    case 'visits': return a.visits;
    case 'pageviews': return a.pageviews;
    case 'events': return a.events;
  }
  throw new Error(m);
}

function cmp(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Rows of one period, sorted (not paged). */
export function refRows(rows: EventRow[], site: RefSite, goals: Goal[], body: Body, range: [string, string]): RefRow[] {
  const dims: string[] = body.dimensions ?? [];
  const filters: any[] = body.filters ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const metrics: string[] = body.metrics;
  const groups = aggregate(rows, site, range, dims, filters, goals);
  let total = 0;
  if (metrics.includes('percentage')) {
    total = [...aggregate(rows, site, range, [], filters, goals).values()][0]?.acc.visitors.size ?? 0;
  }
  const goalFree = dims.map((d, i) => ({ d, i })).filter(({ d }) => d !== 'event:goal');
  let crBase = new Map<string, number>();
  if (metrics.includes('conversion_rate')) {
    const base = aggregate(rows, site, range, goalFree.map(({ d }) => d), filters.filter((f) => f[1] !== 'event:goal'), goals);
    crBase = new Map([...base.values()].map((g) => [JSON.stringify(g.dims), g.acc.visitors.size]));
  }
  const out: RefRow[] = [...groups.values()].map(({ dims: key, acc }) => {
    const base = crBase.get(JSON.stringify(goalFree.map(({ i }) => key[i]))) ?? 0;
    return { dims: key, acc, metrics: metrics.map((m) => metric(m, acc, total, base)), cr: base ? (acc.visitors.size * 100) / base : 0 };
  });
  if (dims.length === 0 && out.length === 0) out.push({ dims: [], acc: newAcc(), metrics: metrics.map(() => 0), cr: 0 });
  let order: Array<[string, string]> = body.order_by ?? [];
  if (!body.order_by) {
    const time = dims.find((d) => d.startsWith('time:'));
    if (time) order = [[time, 'asc']];
    else if (dims.length) order = [[metrics[0] === 'conversion_rate' ? 'visitors' : metrics[0]!, 'desc']];
  }
  out.sort((a, b) => {
    for (const [name, dir] of order) {
      const di = dims.indexOf(name);
      const c = di >= 0 ? cmp(a.dims[di]!, b.dims[di]!) : quantity(name, a) - quantity(name, b);
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    for (let i = 0; i < dims.length; i++) {
      if (order.some(([n]) => n === dims[i])) continue;
      const c = cmp(a.dims[i]!, b.dims[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  return out;
}

function change(m: string, cur: number, prev: number): number | null {
  if (m === 'bounce_rate' || m === 'percentage' || m === 'conversion_rate') return r2(cur - prev);
  if (prev === 0) return cur === 0 ? 0 : null;
  return Math.round(((cur - prev) * 100) / prev);
}

/** The full expected answer's results and meta for a query body. */
export function refQuery(rows: EventRow[], site: RefSite, goals: Goal[], body: Body, nowMs: number) {
  const today = localOf(site.timezone, nowMs).date;
  const range = refDateRange(body.date_range, today);
  const dims: string[] = body.dimensions ?? [];
  const all = refRows(rows, site, goals, body, range);
  const limit = body.pagination?.limit ?? 10_000;
  const offset = body.pagination?.offset ?? 0;
  const page = all.slice(offset, offset + limit);
  const timeIndex = dims.findIndex((d) => d.startsWith('time:'));
  const grain = timeIndex >= 0 ? dims[timeIndex]!.slice(5) : undefined;
  const labels = grain ? refTimeLabels(site.timezone, grain, range) : undefined;
  const results: Array<Record<string, unknown>> = page.map((r) => ({ dimensions: r.dims, metrics: r.metrics }));
  const meta: Record<string, unknown> = { date_range: range, time_zone: site.timezone };
  const mode = body.include?.comparisons?.mode;
  if (mode) {
    const compRange = refComparisonRange(range, mode);
    meta.comparison_date_range = compRange;
    const compRows = refRows(rows, site, goals, body, compRange);
    const compLabels = grain ? refTimeLabels(site.timezone, grain, compRange) : undefined;
    const keyOf = (dimsOf: Value[], lbls: Value[] | undefined) =>
      JSON.stringify(dimsOf.map((v, i) => (i === timeIndex && lbls ? lbls.indexOf(v) : v)));
    const byKey = new Map(compRows.map((r) => [keyOf(r.dims, compLabels), r]));
    page.forEach((r, n) => {
      const other = byKey.get(keyOf(r.dims, labels));
      const compMetrics = other?.metrics ?? (body.metrics as string[]).map(() => 0);
      const compDims = r.dims.map((v, i) => (i === timeIndex && labels && compLabels ? compLabels[labels.indexOf(v)] ?? '' : v));
      results[n]!.comparison = {
        dimensions: compDims, metrics: compMetrics,
        change: (body.metrics as string[]).map((m, i) => change(m, r.metrics[i]!, compMetrics[i]!)),
      };
    });
  }
  if (body.include?.time_labels) meta.time_labels = labels;
  if (body.include?.total_rows) meta.total_rows = all.length;
  return { results, meta };
}
