/**
 * Visitor journeys: the original app's "pages each visitor saw, in order" (the visitor-paths
 * report), as the most common paths and a per-visitor drill-down. Paths are visitor-sent text.
 */
import { useState } from 'preact/hooks';
import { useApp, useLoad } from '../hooks.js';
import { Link, useLocation } from '../router.js';
import { dateRangeOf, parseView, serializeView } from '../view-state.js';
import { DatePicker } from './date-picker.js';

interface ReportAnswer {
  date_range: [string, string];
  columns: string[];
  rows: Array<Array<string | number | string[]>>;
}

interface VisitorPath {
  visitor: string;
  pages: number;
  paths: string[];
}

/** Visitors whose paths are grouped; the report lists the visitors with the most pages first. */
const VISITOR_LIMIT = 1000;
const COMMON_SHOWN = 15;
const VISITORS_SHOWN = 50;

function toPaths(answer: ReportAnswer): VisitorPath[] {
  const col = (name: string) => answer.columns.indexOf(name);
  return answer.rows.map((r) => ({
    visitor: String(r[col('visitor')] ?? ''),
    pages: Number(r[col('pages')] ?? 0),
    paths: Array.isArray(r[col('paths')]) ? (r[col('paths')] as string[]).map(String) : [],
  }));
}

function commonPaths(visitors: VisitorPath[]): Array<{ steps: string[]; visitors: number }> {
  const counts = new Map<string, { steps: string[]; visitors: number }>();
  for (const v of visitors) {
    const key = JSON.stringify(v.paths);
    const entry = counts.get(key) ?? { steps: v.paths, visitors: 0 };
    entry.visitors++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.visitors - a.visitors || a.steps.length - b.steps.length).slice(0, COMMON_SHOWN);
}

function Steps({ steps }: { steps: string[] }) {
  return (
    <ol class="steps">
      {steps.map((s, i) => <li key={i}>{s}</li>)}
    </ol>
  );
}

export function Journeys({ domain, basePath }: { domain: string; basePath: string }) {
  const { api } = useApp();
  const { search, navigate } = useLocation();
  const view = parseView(search);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const range = dateRangeOf(view);
  const query = new URLSearchParams({ site_id: domain, date_range: Array.isArray(range) ? range.join(',') : range, limit: String(VISITOR_LIMIT) });
  const loaded = useLoad(query.toString(), () => api.get<ReportAnswer>(`/api/v2/reports/visitor-paths?${query}`));
  const visitors = loaded.data ? toPaths(loaded.data) : [];
  const titleQuery = new URLSearchParams({ site_id: domain, date_range: query.get('date_range') ?? '30d', by: 'title', limit: '20' });
  const titles = useLoad(titleQuery.toString(), () => api.get<ReportAnswer>(`/api/v2/reports/top-pages?${titleQuery}`));
  return (
    <div class="dashboard">
      <div class="site-head">
        <div class="site-title"><h1>{domain}: visitor journeys</h1></div>
        <DatePicker view={view} onChange={(next) => navigate(`${basePath}/journeys${serializeView(next)}`)} />
      </div>
      <nav class="subnav"><Link href={`${basePath}${serializeView(view)}`} class="nav-link">← Back to the dashboard</Link></nav>
      {loaded.error && <p class="error" role="alert">{loaded.error}</p>}
      <section class="card" aria-labelledby="common-paths">
        <h2 id="common-paths">Most common paths</h2>
        {loaded.data && visitors.length === 0 && <p class="muted">No page views in this period.</p>}
        <table class="breakdown">
          <thead><tr><th scope="col">Pages in order</th><th scope="col" class="num">Visitors</th></tr></thead>
          <tbody>
            {commonPaths(visitors).map((p) => (
              <tr key={p.steps.join('\u0000')}><td><Steps steps={p.steps} /></td><td class="num">{p.visitors}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="by-title">
        <h2 id="by-title">Top pages by title</h2>
        {titles.error && <p class="error">{titles.error}</p>}
        {titles.data && titles.data.rows.length === 0 && <p class="muted">No page views in this period.</p>}
        <table class="breakdown">
          <thead><tr><th scope="col">Title</th><th scope="col" class="num">Views</th></tr></thead>
          <tbody>
            {titles.data?.rows.map((r, i) => (
              <tr key={i}><td class="title-cell">{String(r[0] ?? '') || '(no title)'}</td><td class="num">{String(r[1] ?? '')}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="per-visitor">
        <h2 id="per-visitor">Visitors with the most page views</h2>
        <p class="muted small">Visitor ids are daily-salted hashes: the same person is a new id each day.</p>
        <ul class="visitor-list">
          {visitors.slice(0, VISITORS_SHOWN).map((v) => (
            <li key={v.visitor}>
              <button type="button" class="row-button" aria-expanded={open === v.visitor} onClick={() => setOpen(open === v.visitor ? undefined : v.visitor)}>
                <span class="mono">{v.visitor.slice(0, 12)}</span> <span class="muted">{v.pages} pages</span>
              </button>
              {open === v.visitor && <Steps steps={v.paths} />}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
