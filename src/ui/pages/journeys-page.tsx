/** /sites/<domain>/journeys. */
import { Journeys } from '../components/journeys.js';
import { Layout } from '../components/layout.js';

export function JourneysPage({ domain }: { domain: string }) {
  return (
    <Layout title={`${domain} journeys`}>
      <Journeys domain={domain} basePath={`/sites/${encodeURIComponent(domain)}`} />
    </Layout>
  );
}
