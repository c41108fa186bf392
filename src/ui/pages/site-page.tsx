/** /sites/<domain>: the dashboard of one site for a logged-in person. */
import { Layout } from '../components/layout.js';
import { SiteDashboard } from '../components/site-dashboard.js';

export function SitePage({ domain }: { domain: string }) {
  return (
    <Layout title={domain}>
      <SiteDashboard domain={domain} basePath={`/sites/${encodeURIComponent(domain)}`} shared={false} />
    </Layout>
  );
}
