/** "N current visitors" (last 5 minutes), refreshed every 30 s from GET /api/v2/realtime. */
import { formatCount } from '../format.js';
import { useApp, useInterval, useLoad } from '../hooks.js';

interface RealtimeAnswer {
  visitors?: number;
  current_visitors?: number;
}

export function Realtime({ domain }: { domain: string }) {
  const { api } = useApp();
  const tick = useInterval(30_000);
  const loaded = useLoad(`realtime:${domain}:${tick}`, () => api.get<RealtimeAnswer>(`/api/v2/realtime?site_id=${encodeURIComponent(domain)}`));
  const n = loaded.data ? Number(loaded.data.visitors ?? loaded.data.current_visitors ?? 0) : undefined;
  return (
    <span class="realtime" aria-live="polite" title="Visitors in the last 5 minutes">
      <span class={`pulse ${n ? 'on' : ''}`} aria-hidden="true" />
      {n === undefined ? '…' : `${formatCount(n)} current visitor${n === 1 ? '' : 's'}`}
    </span>
  );
}
