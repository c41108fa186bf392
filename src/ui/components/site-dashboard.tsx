/**
 * The site view: period and comparison, filters, top stats, main graph, realtime and the
 * panels. Its whole state lives in the URL (view-state.ts). Shared by /sites/<domain> and
 * the read-only /share/<slug>.
 */
import type { Api, QueryBody, QueryResult } from '../api.js';
import { useApp, useLoad } from '../hooks.js';
import { Link, useLocation } from '../router.js';
import { allowedIntervals, apiFilters, dateRangeOf, intervalOf, parseView, serializeView, type Interval, type ViewState } from '../view-state.js';
import { BreakdownPanel } from './breakdown-panel.js';
import { DatePicker } from './date-picker.js';
import { FilterChips } from './filter-chips.js';
import { MainGraph, type GraphData } from './main-graph.js';
import { PANELS } from './panels.js';
import { Realtime } from './realtime.js';
import { TOP_METRICS, TopStats } from './top-stats.js';

async function loadGraph(api: Api, base: QueryBody, comparing: boolean): Promise<GraphData> {
  const main = await api.query({ ...base, include: { time_labels: true, ...(comparing ? base.include : {}) } });
  const series = (result: QueryResult) => {
    const labels = result.meta.time_labels ?? result.results.map((r) => r.dimensions[0]!);
    const byLabel = new Map(result.results.map((r) => [String(r.dimensions[0]), Number(r.metrics[0] ?? 0)]));
    return { labels, values: labels.map((l) => byLabel.get(String(l)) ?? 0) };
  };
  const current = series(main);
  let comparison: { labels: GraphData['labels']; values: number[] } | undefined;
  const range = main.meta.comparison_date_range;
  if (comparing && range) comparison = series(await api.query({ ...base, date_range: range, include: { time_labels: true } }));
  return { ...current, comparison: comparison?.values, comparisonLabels: comparison?.labels };
}

export function SiteDashboard(props: { domain: string; basePath: string; shared: boolean }) {
  const { api, user } = useApp();
  const { search, navigate } = useLocation();
  const view = parseView(search);
  const { domain } = props;
  const setView = (next: ViewState) => navigate(`${props.basePath}${serializeView(next)}`);

  const comparing = view.compare !== 'off';
  const include = comparing ? { comparisons: { mode: view.compare as 'previous_period' | 'year_over_year' } } : undefined;
  const filters = apiFilters(view);
  const statsBody: QueryBody = { site_id: domain, metrics: TOP_METRICS.map((m) => m.key), date_range: dateRangeOf(view), filters, ...(include ? { include } : {}) };
  const stats = useLoad(JSON.stringify(statsBody), () => api.query(statsBody));

  const interval: Interval = intervalOf(view);
  const graphBody: QueryBody = { site_id: domain, metrics: [view.metric], date_range: dateRangeOf(view), dimensions: [`time:${interval}`], filters, ...(include ? { include } : {}) };
  const graph = useLoad(JSON.stringify(graphBody), () => loadGraph(api, graphBody, comparing));
  const range = stats.data?.meta.date_range;

  return (
    <div class="dashboard">
      <div class="site-head">
        <div class="site-title">
          <h1>{domain}</h1>
          <Realtime domain={domain} />
        </div>
        <DatePicker view={view} onChange={setView} />
      </div>
      <nav class="subnav" aria-label="Site">
        {/* Journeys list single visitors: a share link shows aggregates only (the API refuses it). */}
        {!props.shared && <Link href={`${props.basePath}/journeys${serializeView(view)}`} class="nav-link">Visitor journeys</Link>}
        {!props.shared && user && <Link href={`${props.basePath}/settings`} class="nav-link">Settings</Link>}
        {range && <span class="muted small">{range[0]} – {range[1]} ({stats.data?.meta.time_zone})</span>}
      </nav>
      <FilterChips view={view} onChange={setView} />
      {stats.error && <p class="error" role="alert">{stats.error}</p>}
      <section class="card">
        <TopStats result={stats.data} comparing={comparing} selected={view.metric} onSelect={(metric) => setView({ ...view, metric })} />
        <div class="graph-head row">
          <span class="muted small">{TOP_METRICS.find((m) => m.key === view.metric)?.label} per {interval}</span>
          <div class="tabs" role="group" aria-label="Interval">
            {allowedIntervals(view).map((i) => (
              <button key={i} type="button" class={`tab ${i === interval ? 'active' : ''}`} aria-pressed={i === interval} onClick={() => setView({ ...view, interval: i })}>
                {i}
              </button>
            ))}
          </div>
        </div>
        {graph.error && <p class="error">{graph.error}</p>}
        <MainGraph data={graph.data} metric={view.metric} interval={interval} />
      </section>
      <div class="panels">
        {PANELS.map((def) => <BreakdownPanel key={def.key} def={def} view={view} domain={domain} onChange={setView} />)}
      </div>
    </div>
  );
}
