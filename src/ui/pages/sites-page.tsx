/** The sites a person may see, each with its visitors over 30 days and a sparkline; admins add sites here. */
import { useState } from 'preact/hooks';
import type { Api, SiteInfo } from '../api.js';
import { ErrorText, Layout } from '../components/layout.js';
import { Sparkline } from '../components/sparkline.js';
import { formatCount } from '../format.js';
import { useApp, useLoad } from '../hooks.js';
import { Link } from '../router.js';

interface SiteSummary {
  visitors: number;
  daily: number[];
}

async function summarize(api: Api, domain: string): Promise<SiteSummary> {
  const [total, daily] = await Promise.all([
    api.query({ site_id: domain, metrics: ['visitors'], date_range: '30d' }),
    api.query({ site_id: domain, metrics: ['visitors'], date_range: '30d', dimensions: ['time:day'], include: { time_labels: true } }),
  ]);
  const byDay = new Map(daily.results.map((r) => [String(r.dimensions[0]), Number(r.metrics[0] ?? 0)]));
  const labels = daily.meta.time_labels ?? [...byDay.keys()];
  return { visitors: Number(total.results[0]?.metrics[0] ?? 0), daily: labels.map((l) => byDay.get(String(l)) ?? 0) };
}

function SiteRow({ site }: { site: SiteInfo }) {
  const { api } = useApp();
  const summary = useLoad(`summary:${site.domain}`, () => summarize(api, site.domain));
  return (
    <li class="site-row">
      <Link href={`/sites/${encodeURIComponent(site.domain)}`} class="site-link">
        <span class="site-domain">{site.domain}</span>
        <span class="site-visitors">
          <strong>{summary.data ? formatCount(summary.data.visitors) : summary.error ? '-' : '…'}</strong>
          <span class="muted"> visitors in 30 days</span>
        </span>
        {summary.data && <Sparkline values={summary.data.daily} label={`daily visitors of ${site.domain} over 30 days`} />}
      </Link>
      {summary.error && <span class="error small">{summary.error}</span>}
    </li>
  );
}

function AddSite({ onAdded }: { onAdded(): void }) {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>(undefined);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const submit = async (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    try {
      await api.post('/api/ui/sites', { domain: form.get('domain'), timezone: form.get('timezone'), raw: form.get('raw') === 'on' });
      formEl.reset();
      setError(undefined);
      onAdded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="card stack" onSubmit={(e) => void submit(e)} aria-label="Add a site">
      <h2>Add a site</h2>
      <div class="row wrap">
        <label class="grow">Domain<input name="domain" placeholder="example.com" required /></label>
        <label class="grow">Time zone<input name="timezone" value={zone} required /></label>
      </div>
      <label class="check"><input type="checkbox" name="raw" /> Raw mode: also store IP addresses and request headers</label>
      <ErrorText error={error} />
      <div><button class="button primary" type="submit">Add site</button></div>
    </form>
  );
}

export function SitesPage() {
  const { api, user } = useApp();
  const sites = useLoad('sites', () => api.get<{ sites: SiteInfo[] }>('/api/ui/sites'));
  return (
    <Layout title="Sites">
      <h1>Sites</h1>
      <ErrorText error={sites.error} />
      {sites.data && sites.data.sites.length === 0 && <p class="muted">No sites yet{user?.admin ? ': add one below.' : '. Ask an admin to give you access to one.'}</p>}
      <ul class="site-list">
        {sites.data?.sites.map((s) => <SiteRow key={s.domain} site={s} />)}
      </ul>
      {user?.admin && <AddSite onAdded={sites.reload} />}
    </Layout>
  );
}
