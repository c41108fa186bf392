/** The six headline numbers with their change against the comparison period; each selects the graph metric. */
import type { QueryResult } from '../api.js';
import { formatMetric } from '../format.js';

export const TOP_METRICS = [
  { key: 'visitors', label: 'Unique visitors' },
  { key: 'visits', label: 'Total visits' },
  { key: 'pageviews', label: 'Total pageviews' },
  { key: 'views_per_visit', label: 'Views per visit' },
  { key: 'bounce_rate', label: 'Bounce rate' },
  { key: 'visit_duration', label: 'Visit duration' },
] as const;

/** Metrics where going down is good news. */
const LOWER_IS_BETTER = new Set(['bounce_rate']);

function Change({ metric, change }: { metric: string; change: number | null | undefined }) {
  if (change === null || change === undefined || !Number.isFinite(change)) return <span class="change muted">–</span>;
  const good = change === 0 ? 'flat' : (change > 0) !== LOWER_IS_BETTER.has(metric) ? 'good' : 'bad';
  const arrow = change > 0 ? '↑' : change < 0 ? '↓' : '→';
  const unit = metric === 'bounce_rate' ? ' pp' : '%';
  return <span class={`change ${good}`}>{arrow} {Math.abs(Math.round(change * 10) / 10)}{unit}</span>;
}

export function TopStats(props: { result: QueryResult | undefined; comparing: boolean; selected: string; onSelect(metric: string): void }) {
  const row = props.result?.results[0];
  return (
    <div class="top-stats" role="group" aria-label="Top stats">
      {TOP_METRICS.map((m, i) => (
        <button
          key={m.key}
          type="button"
          class={`stat ${props.selected === m.key ? 'selected' : ''}`}
          aria-pressed={props.selected === m.key}
          onClick={() => props.onSelect(m.key)}
        >
          <span class="stat-label">{m.label}</span>
          <span class="stat-value" data-metric={m.key}>{props.result ? formatMetric(m.key, row?.metrics[i] ?? 0) : '…'}</span>
          {props.comparing && props.result && <Change metric={m.key} change={row?.comparison?.change[i]} />}
        </button>
      ))}
    </div>
  );
}
