/** /drops (admins): why hits were not counted, per reason and day. */
import { ErrorText, Layout } from '../components/layout.js';
import { formatCount } from '../format.js';
import { useApp, useLoad } from '../hooks.js';

interface DropsAnswer {
  since_start: Record<string, number>;
  rejected_since_start: number;
  days: Array<{ day: string; reasons: Record<string, number> }>;
}

const REASONS: Record<string, string> = {
  bot: 'bot (user agent of a crawler or automation)',
  spam: 'referrer spam',
  unknown_site: 'unknown site (domain not registered)',
  no_visit: 'engagement without a visit',
  overload: 'store overloaded',
};

export function DropsPage() {
  const { api } = useApp();
  const drops = useLoad('drops', () => api.get<DropsAnswer>('/api/ui/drops'));
  const reasons = [...new Set([...Object.keys(REASONS), ...(drops.data?.days.flatMap((d) => Object.keys(d.reasons)) ?? [])])];
  return (
    <Layout title="Drop log">
      <h1>Drop log</h1>
      <p class="muted small">Hits that arrived well-formed but were not counted, per reason and day (UTC). Malformed hits rejected since the server started: {formatCount(drops.data?.rejected_since_start ?? 0)}.</p>
      <ErrorText error={drops.error} />
      <dl class="legend-list">{Object.entries(REASONS).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
      <div class="table-scroll card">
        <table class="result-table">
          <thead><tr><th scope="col">Day</th>{reasons.map((r) => <th key={r} scope="col" class="num">{r}</th>)}</tr></thead>
          <tbody>
            {drops.data?.days.map((d) => (
              <tr key={d.day}><td>{d.day}</td>{reasons.map((r) => <td key={r} class="num">{formatCount(d.reasons[r] ?? 0)}</td>)}</tr>
            ))}
            {drops.data?.days.length === 0 && <tr><td colSpan={reasons.length + 1} class="muted">Nothing dropped yet.</td></tr>}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
