/**
 * The default dashboard, as the Stats API v2 queries it sends when someone opens a site for a
 * date range: top stats with comparison, the main graph, and the top-10 panels. These bodies
 * go through the real parser and engine, so the timing is what a dashboard load costs.
 */

/** The goals live with the data set (they are stored in it); re-exported for existing importers. */
export { GOALS } from './dataset.js';

export interface DashboardQuery {
  /** Short name used as a JSON key and table row (snake_case). */
  name: string;
  body: Record<string, unknown>;
}

/** The dashboard's queries for `domain` over the inclusive local dates [from, to]. */
export function dashboardQueries(domain: string, from: string, to: string): DashboardQuery[] {
  const base = { site_id: domain, date_range: [from, to] };
  const top = (metrics: string[], dimension: string) => ({
    ...base, metrics, dimensions: [dimension], pagination: { limit: 10 },
  });
  return [
    {
      name: 'top_stats',
      body: {
        ...base,
        metrics: ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'],
        include: { comparisons: { mode: 'previous_period' } },
      },
    },
    { name: 'main_graph', body: { ...base, metrics: ['visitors'], dimensions: ['time:day'], include: { time_labels: true } } },
    { name: 'top_pages', body: top(['visitors', 'pageviews'], 'event:page') },
    { name: 'entry_pages', body: top(['visitors', 'visits'], 'visit:entry_page') },
    { name: 'exit_pages', body: top(['visitors', 'visits'], 'visit:exit_page') },
    { name: 'sources', body: top(['visitors'], 'visit:source') },
    { name: 'utm_campaigns', body: top(['visitors'], 'visit:utm_campaign') },
    { name: 'countries', body: top(['visitors', 'percentage'], 'visit:country') },
    { name: 'browsers', body: top(['visitors', 'percentage'], 'visit:browser') },
    { name: 'operating_systems', body: top(['visitors', 'percentage'], 'visit:os') },
    { name: 'devices', body: top(['visitors', 'percentage'], 'visit:device') },
    { name: 'goals', body: top(['visitors', 'events', 'conversion_rate'], 'event:goal') },
  ];
}

/** The first day of the `days`-day range ending on `to` (both 'YYYY-MM-DD', inclusive). */
export function rangeStart(to: string, days: number): string {
  const end = Date.parse(`${to}T00:00:00Z`);
  return new Date(end - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}
