/** The acceptance queries: every metric, dimension, operator, comparison and include option. */
export interface QueryCase {
  name: string;
  site: string;
  body: Record<string, unknown>;
  /** The expected answer must have at least this many rows (guards against vacuous passes). */
  minRows: number;
}

const ALL_VISIT = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration', 'events'];
const S1 = 'site1.example';
const S2 = 'site2.example';
const S3 = 'site3.example';

const q = (name: string, body: Record<string, unknown>, minRows = 2, site = S1): QueryCase => ({ name, site, body, minRows });

export const QUERY_CASES: QueryCase[] = [
  q('top stats, every visit metric', { metrics: ALL_VISIT, date_range: '30d' }, 1),
  q('top stats with previous_period', { metrics: ALL_VISIT, date_range: '30d', include: { comparisons: { mode: 'previous_period' } } }, 1),
  q('main graph by day with labels and total', { metrics: ['visitors', 'visits', 'pageviews'], date_range: '30d', dimensions: ['time:day'], include: { time_labels: true, total_rows: true } }, 25),
  q('by hour over the Berlin DST change', { metrics: ['visitors', 'pageviews', 'visits', 'bounce_rate'], date_range: ['2024-03-30', '2024-04-01'], dimensions: ['time:hour'], include: { time_labels: true } }, 40),
  q('by hour over the New York DST change', { metrics: ['visitors', 'pageviews', 'visits'], date_range: ['2024-03-09', '2024-03-11'], dimensions: ['time:hour'], include: { time_labels: true } }, 40, S2),
  q('by week', { metrics: ['visitors', 'visits', 'visit_duration'], date_range: ['2024-02-05', '2024-04-04'], dimensions: ['time:week'], include: { time_labels: true, total_rows: true } }, 8),
  q('by month', { metrics: ['visitors', 'pageviews'], date_range: ['2024-02-01', '2024-04-05'], dimensions: ['time:month'], include: { time_labels: true } }, 3),
  q('by hour of day', { metrics: ['pageviews', 'visitors'], date_range: '30d', dimensions: ['time:hour_of_day'], include: { time_labels: true } }, 24),
  q('by day of week', { metrics: ['visitors', 'bounce_rate', 'views_per_visit'], date_range: '30d', dimensions: ['time:day_of_week'], include: { time_labels: true } }, 7),
  q('top pages', { metrics: ['visitors', 'pageviews', 'bounce_rate', 'visit_duration'], date_range: '30d', dimensions: ['event:page'], pagination: { limit: 10 } }, 10),
  q('top pages, page 2', { metrics: ['visitors', 'pageviews'], date_range: '30d', dimensions: ['event:page'], pagination: { limit: 10, offset: 10 }, include: { total_rows: true } }, 10),
  q('hostnames', { metrics: ['visitors', 'pageviews', 'visits'], date_range: '30d', dimensions: ['event:hostname'] }, 2),
  q('event names', { metrics: ['events', 'visitors', 'visits'], date_range: '30d', dimensions: ['event:name'] }, 4),
  q('goals with conversion rate', { metrics: ['visitors', 'events', 'conversion_rate'], date_range: '30d', dimensions: ['event:goal'] }, 4),
  q('signup plans (props)', { metrics: ['visitors', 'events', 'visits'], date_range: '30d', dimensions: ['event:props:plan'], filters: [['is', 'event:name', ['Signup']]] }, 3),
  q('download files (props) with percentage', { metrics: ['events', 'percentage', 'visitors'], date_range: '30d', dimensions: ['event:props:file'] }, 3),
  q('entry pages', { metrics: ['visits', 'bounce_rate', 'visit_duration', 'visitors'], date_range: '30d', dimensions: ['visit:entry_page'], pagination: { limit: 15 } }, 15),
  q('exit pages', { metrics: ['visits', 'visitors', 'pageviews'], date_range: '30d', dimensions: ['visit:exit_page'], pagination: { limit: 15 } }, 15),
  q('sources', { metrics: ['visitors', 'visits', 'bounce_rate', 'percentage'], date_range: '30d', dimensions: ['visit:source'] }, 10),
  q('referrers', { metrics: ['visitors', 'visits'], date_range: '30d', dimensions: ['visit:referrer'] }, 10),
  q('utm source', { metrics: ['visitors', 'visits'], date_range: '30d', dimensions: ['visit:utm_source'] }, 4),
  q('utm medium and campaign', { metrics: ['visitors', 'visits', 'bounce_rate'], date_range: '30d', dimensions: ['visit:utm_medium', 'visit:utm_campaign'] }, 5),
  q('utm term and content', { metrics: ['visitors', 'pageviews'], date_range: '30d', dimensions: ['visit:utm_term', 'visit:utm_content'] }, 3),
  q('countries', { metrics: ['visitors', 'percentage', 'visits'], date_range: '30d', dimensions: ['visit:country'] }, 10),
  q('browsers and versions', { metrics: ['visitors', 'visits'], date_range: '30d', dimensions: ['visit:browser', 'visit:browser_version'] }, 8),
  q('operating systems and versions', { metrics: ['visitors', 'bounce_rate'], date_range: '30d', dimensions: ['visit:os', 'visit:os_version'] }, 6),
  q('devices', { metrics: ['visitors', 'views_per_visit', 'visit_duration'], date_range: '30d', dimensions: ['visit:device'] }, 3),
  q('screens', { metrics: ['visitors', 'bounce_rate', 'pageviews'], date_range: '30d', dimensions: ['visit:screen'] }, 3),
  q('is on page', { metrics: ALL_VISIT, date_range: '30d', filters: [['is', 'event:page', ['/', '/pricing']]] }, 1),
  q('is_not on page, by device', { metrics: ['visitors', 'visits', 'pageviews'], date_range: '30d', dimensions: ['visit:device'], filters: [['is_not', 'event:page', ['/']]] }, 3),
  q('contains, case-insensitive', { metrics: ['visitors', 'pageviews', 'visits'], date_range: '30d', dimensions: ['event:page'], filters: [['contains', 'event:page', ['BLOG'], { case_sensitive: false }]] }, 10),
  q('contains (case-sensitive finds nothing)', { metrics: ['visitors', 'pageviews'], date_range: '30d', filters: [['contains', 'event:page', ['BLOG']]] }, 1),
  q('contains_not', { metrics: ['visitors', 'visits', 'bounce_rate'], date_range: '30d', dimensions: ['visit:country'], filters: [['contains_not', 'visit:entry_page', ['blog']]] }, 5),
  q('matches on source', { metrics: ['visitors', 'visits'], date_range: '30d', dimensions: ['visit:source'], filters: [['matches', 'visit:source', ['^(Google|Bing)$']]] }, 2),
  q('matches_not on page, by device', { metrics: ['visitors', 'pageviews'], date_range: '30d', dimensions: ['visit:device'], filters: [['matches_not', 'event:page', ['^/blog/']]] }, 3),
  q('matches, case-insensitive', { metrics: ['visitors', 'pageviews'], date_range: '30d', dimensions: ['visit:browser'], filters: [['matches', 'visit:browser', ['^(chrome|FIREFOX)'], { case_sensitive: false }]] }, 2),
  q('is, case-insensitive', { metrics: ['visitors', 'visits'], date_range: '30d', dimensions: ['visit:country'], filters: [['is', 'visit:country', ['de', 'fr'], { case_sensitive: false }]] }, 2),
  q('or of a visit and an event filter, by day', { metrics: ['visitors', 'visits', 'pageviews'], date_range: '7d', dimensions: ['time:day'], filters: [['or', [['is', 'visit:country', ['US']], ['contains', 'event:page', ['pricing']]]]] }, 5),
  q('not mobile', { metrics: ['visitors', 'visits', 'bounce_rate'], date_range: '30d', dimensions: ['visit:os'], filters: [['not', ['is', 'visit:device', ['Mobile']]]] }, 3),
  q('and of three', { metrics: ['visitors', 'pageviews', 'events'], date_range: '30d', dimensions: ['event:name'], filters: [['and', [['is_not', 'visit:country', ['US']], ['contains', 'visit:browser', ['Chrome']], ['not', ['is', 'event:name', ['engagement']]]]]] }, 2),
  q('goal filter, conversion rate by source', { metrics: ['visitors', 'conversion_rate'], date_range: '30d', dimensions: ['visit:source'], filters: [['is', 'event:goal', ['Signup']]] }, 3),
  q('goal filter contains "Visit", by page', { metrics: ['visitors', 'events', 'conversion_rate'], date_range: '30d', dimensions: ['event:page'], filters: [['contains', 'event:goal', ['Visit']]] }, 10),
  q('ordered by bounce rate then visits', { metrics: ['visits', 'bounce_rate'], date_range: '30d', dimensions: ['event:page'], order_by: [['bounce_rate', 'asc'], ['visits', 'desc']], pagination: { limit: 20 } }, 20),
  q('ordered by a dimension descending', { metrics: ['visitors'], date_range: '30d', dimensions: ['visit:country'], order_by: [['visit:country', 'desc']] }, 10),
  q('ordered by conversion rate', { metrics: ['conversion_rate', 'visitors'], date_range: '30d', dimensions: ['event:goal'], order_by: [['conversion_rate', 'desc']], pagination: { limit: 3 } }, 3),
  q('year over year by day', { metrics: ['visitors', 'pageviews', 'bounce_rate'], date_range: ['2024-03-20', '2024-04-03'], dimensions: ['time:day'], include: { comparisons: { mode: 'year_over_year' }, time_labels: true } }, 10),
  q('previous period by page', { metrics: ['visitors', 'pageviews', 'percentage'], date_range: '7d', dimensions: ['event:page'], pagination: { limit: 5 }, include: { comparisons: { mode: 'previous_period' } } }, 5),
  q('raw UTC site by weekday and OS', { metrics: ['visitors', 'visits', 'visit_duration'], date_range: '30d', dimensions: ['time:day_of_week', 'visit:os'] }, 10, S3),
  q('New York goals with comparison', { metrics: ['visitors', 'events', 'conversion_rate'], date_range: '30d', dimensions: ['event:goal'], include: { comparisons: { mode: 'previous_period' } } }, 1, S2),
  q('offset past the end', { metrics: ['visitors'], date_range: '30d', dimensions: ['event:page'], pagination: { limit: 5, offset: 100000 }, include: { total_rows: true } }, 0),
  q('docs hostname filter with visit metrics', { metrics: ['visits', 'bounce_rate', 'views_per_visit', 'visitors'], date_range: '30d', dimensions: ['visit:entry_page'], filters: [['is', 'event:hostname', ['docs.site1.example']]] }, 3),
  q('page x source x week with visit metrics', { metrics: ['visitors', 'visits', 'bounce_rate', 'pageviews'], date_range: '30d', dimensions: ['time:week', 'visit:source', 'event:page'], pagination: { limit: 50 }, include: { total_rows: true } }, 50),
  q('non-interactive event visits', { metrics: ['visits', 'bounce_rate', 'views_per_visit', 'events'], date_range: '30d', filters: [['is', 'event:name', ['Video Progress']]] }, 1),
  q('today by hour', { metrics: ['visitors', 'pageviews'], date_range: 'day', dimensions: ['time:hour'], include: { time_labels: true } }, 0),
  q('this month by day', { metrics: ['visitors', 'visits'], date_range: 'month', dimensions: ['time:day'], include: { time_labels: true, total_rows: true } }, 3),
  q('goal and page props together', { metrics: ['visitors', 'visits', 'events'], date_range: '30d', dimensions: ['event:goal', 'event:props:plan'] }, 4),
];
