/**
 * The site view's whole state, kept in the URL's query string so that a reload, a bookmark or
 * a shared link reproduces the same view: period, custom dates, filters, comparison, graph
 * metric and interval, the tab of each panel.
 */
import type { ApiFilter } from './api.js';

/** Periods of the picker: the API's relative date_range values, plus custom dates. */
export const PERIODS = [
  { value: 'day', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
  { value: '6mo', label: 'Last 6 months' },
  { value: '12mo', label: 'Last 12 months' },
  { value: 'year', label: 'This year' },
  { value: 'all', label: 'All time' },
  { value: 'custom', label: 'Custom dates' },
] as const;

/** Graph intervals (time:* dimensions of the API). */
export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Comparison mode of the view; 'off' sends none. */
export type Comparison = 'previous_period' | 'year_over_year' | 'off';

/** A filter chip: one value of one dimension. */
export interface ViewFilter {
  op: 'is' | 'is_not' | 'contains';
  /** API dimension, e.g. 'event:page', 'visit:source', 'event:props:plan'. */
  dim: string;
  value: string;
}

/** Everything the site view shows, as kept in the URL. */
export interface ViewState {
  period: string;
  /** Custom range, 'YYYY-MM-DD' (period 'custom'). */
  from: string;
  to: string;
  filters: ViewFilter[];
  compare: Comparison;
  /** Graph metric. */
  metric: string;
  /** Graph interval; '' = the default for the period. */
  interval: Interval | '';
  /** Panel name -> selected tab. */
  tabs: Record<string, string>;
  /** Property key shown in the properties tab. */
  prop: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_OPS = new Set(['is', 'is_not', 'contains']);
const DIM_RE = /^(event:(page|hostname|name|goal)|event:props:.{1,200}|visit:[a-z_]+)$/;
const GRAPH_METRICS = new Set(['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration']);

/** Reads the view from a query string; anything unknown falls back to the default. */
export function parseView(search: string): ViewState {
  const params = new URLSearchParams(search);
  const periodParam = params.get('period') ?? '30d';
  const period = PERIODS.some((p) => p.value === periodParam) ? periodParam : '30d';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const filters: ViewFilter[] = [];
  for (const raw of params.getAll('f')) {
    // op|dimension|value: the value is last so it may contain '|'.
    const first = raw.indexOf('|');
    const second = first < 0 ? -1 : raw.indexOf('|', first + 1);
    if (second < 0) continue;
    const op = raw.slice(0, first);
    const dim = raw.slice(first + 1, second);
    if (FILTER_OPS.has(op) && DIM_RE.test(dim)) filters.push({ op: op as ViewFilter['op'], dim, value: raw.slice(second + 1) });
  }
  const compare = params.get('compare');
  const metric = params.get('metric') ?? 'visitors';
  const interval = params.get('interval') ?? '';
  const tabs: Record<string, string> = {};
  for (const [key, value] of params) if (key.startsWith('tab.')) tabs[key.slice(4)] = value;
  return {
    period: period === 'custom' && !(DATE_RE.test(from) && DATE_RE.test(to)) ? '30d' : period,
    from: DATE_RE.test(from) ? from : '',
    to: DATE_RE.test(to) ? to : '',
    filters,
    compare: compare === 'off' || compare === 'year_over_year' ? compare : 'previous_period',
    metric: GRAPH_METRICS.has(metric) ? metric : 'visitors',
    interval: (INTERVALS as readonly string[]).includes(interval) ? (interval as Interval) : '',
    tabs,
    prop: params.get('prop') ?? '',
  };
}

/** The query string of a view (defaults left out so URLs stay short). */
export function serializeView(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.period !== '30d') params.set('period', view.period);
  if (view.period === 'custom') {
    params.set('from', view.from);
    params.set('to', view.to);
  }
  for (const f of view.filters) params.append('f', `${f.op}|${f.dim}|${f.value}`);
  if (view.compare !== 'previous_period') params.set('compare', view.compare);
  if (view.metric !== 'visitors') params.set('metric', view.metric);
  if (view.interval) params.set('interval', view.interval);
  for (const [panel, tab] of Object.entries(view.tabs)) params.append(`tab.${panel}`, tab);
  if (view.prop) params.set('prop', view.prop);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API date_range of a view. */
export function dateRangeOf(view: ViewState): string | [string, string] {
  if (view.period === 'custom') return view.from <= view.to ? [view.from, view.to] : [view.to, view.from];
  return view.period;
}

/** The API filters of a view. */
export function apiFilters(view: ViewState, extra: ApiFilter[] = []): ApiFilter[] {
  return [...view.filters.map((f): ApiFilter => [f.op, f.dim, [f.value]]), ...extra];
}

/** Adds a filter, replacing one on the same dimension (a row click narrows, it does not stack). */
export function withFilter(view: ViewState, filter: ViewFilter): ViewState {
  return { ...view, filters: [...view.filters.filter((f) => f.dim !== filter.dim), filter] };
}

/** The view without its filter at `index` (a chip's remove button). */
export function withoutFilter(view: ViewState, index: number): ViewState {
  return { ...view, filters: view.filters.filter((_, i) => i !== index) };
}

/** Days covered by a view (approximate for relative periods), to choose a default interval. */
function spanDays(view: ViewState): number {
  switch (view.period) {
    case 'day': return 1;
    case '7d': return 7;
    case '30d': case 'month': return 31;
    case '6mo': return 183;
    case '12mo': case 'year': return 366;
    case 'all': return 10_000;
    default: {
      const [a, b] = [Date.parse(view.from), Date.parse(view.to)];
      return Number.isFinite(a) && Number.isFinite(b) ? Math.abs(b - a) / 86_400_000 + 1 : 31;
    }
  }
}

/** Intervals that make sense for the view's span (hours only up to a week, months from two months). */
export function allowedIntervals(view: ViewState): Interval[] {
  const days = spanDays(view);
  return INTERVALS.filter((i) => (i === 'hour' ? days <= 7 : i === 'day' ? days <= 400 : i === 'week' ? days >= 14 : days >= 60));
}

/** The graph interval: the chosen one when it fits the period, else the period's default. */
export function intervalOf(view: ViewState): Interval {
  const allowed = allowedIntervals(view);
  if (view.interval && allowed.includes(view.interval)) return view.interval;
  const days = spanDays(view);
  return days <= 1 ? 'hour' : days <= 62 ? 'day' : 'month';
}

/** Human names of the dimensions, for filter chips. */
export const DIMENSION_LABELS: Record<string, string> = {
  'event:page': 'Page',
  'event:hostname': 'Hostname',
  'event:name': 'Event',
  'event:goal': 'Goal',
  'visit:entry_page': 'Entry page',
  'visit:exit_page': 'Exit page',
  'visit:source': 'Source',
  'visit:referrer': 'Referrer',
  'visit:utm_source': 'UTM source',
  'visit:utm_medium': 'UTM medium',
  'visit:utm_campaign': 'UTM campaign',
  'visit:utm_term': 'UTM term',
  'visit:utm_content': 'UTM content',
  'visit:country': 'Country',
  'visit:browser': 'Browser',
  'visit:browser_version': 'Browser version',
  'visit:os': 'OS',
  'visit:os_version': 'OS version',
  'visit:device': 'Device',
  'visit:screen': 'Screen size',
};

/** A dimension's human name, e.g. 'Page', 'Property plan'. */
export function dimensionLabel(dim: string): string {
  if (dim.startsWith('event:props:')) return `Property ${dim.slice('event:props:'.length)}`;
  return DIMENSION_LABELS[dim] ?? dim;
}

/** Filter operators as words. */
export const OPERATOR_LABELS: Record<ViewFilter['op'], string> = { is: 'is', is_not: 'is not', contains: 'contains' };
