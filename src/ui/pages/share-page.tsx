/** /share/<slug>: a read-only dashboard for anyone with the link (and its password, if it has one). */
import { useState } from 'preact/hooks';
import { ErrorText, Layout } from '../components/layout.js';
import { SiteDashboard } from '../components/site-dashboard.js';
import { useApp, useLoad } from '../hooks.js';

interface ShareAnswer {
  protected: boolean;
  unlocked: boolean;
  site: { domain: string; timezone: string } | null;
}

export function SharePage({ slug }: { slug: string }) {
  const { api } = useApp();
  // From here on every API call of this tab goes through the link, not a login session.
  api.shareSlug = slug;
  const info = useLoad(`share:${slug}`, () => api.get<ShareAnswer>(`/api/share/${encodeURIComponent(slug)}`));
  const [error, setError] = useState<string | undefined>(undefined);
  const unlock = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await api.post(`/api/share/${encodeURIComponent(slug)}/unlock`, { password: form.get('password') });
      info.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const basePath = `/share/${encodeURIComponent(slug)}`;
  const site = info.data?.site;
  return (
    <Layout title={site ? `${site.domain} (shared)` : 'Shared dashboard'}>
      {info.error && <div class="card narrow"><h1>Link not available</h1><p class="error" role="alert">{info.error}</p></div>}
      {info.data && !info.data.unlocked && (
        <form class="card narrow stack" onSubmit={(e) => void unlock(e)}>
          <h1>This dashboard is protected</h1>
          <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
          <ErrorText error={error} />
          <button class="button primary" type="submit">View dashboard</button>
        </form>
      )}
      {site && <SiteDashboard domain={site.domain} basePath={basePath} shared={true} />}
    </Layout>
  );
}
