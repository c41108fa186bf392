/** The dashboard app: loads the session, then picks the page from the path. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, type SessionUser } from './api.js';
import { Layout } from './components/layout.js';
import { AppContext } from './hooks.js';
import { DropsPage } from './pages/drops-page.js';
import { JourneysPage } from './pages/journeys-page.js';
import { LoginPage } from './pages/login-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { SetupPage } from './pages/setup-page.js';
import { SharePage } from './pages/share-page.js';
import { SitePage } from './pages/site-page.js';
import { SitesPage } from './pages/sites-page.js';
import { SqlPage } from './pages/sql-page.js';
import { UsersPage } from './pages/users-page.js';
import { RouterProvider, useLocation } from './router.js';

interface SessionAnswer {
  user: SessionUser | null;
  csrfToken: string | null;
  setupRequired: boolean;
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return '';
  }
}

function Routes({ session }: { session: SessionAnswer }) {
  const { path, navigate } = useLocation();
  const parts = path.split('/').filter(Boolean);
  const [first, second, third] = parts;

  if (first === 'share') return <SharePage slug={decode(second)} />;
  if (first === 'setup') return <SetupPage />;
  if (!session.user) {
    if (first !== 'login') {
      const target = session.setupRequired ? '/setup' : `/login?next=${encodeURIComponent(path + window.location.search)}`;
      // Redirect after render: navigating during render would re-enter this component.
      queueMicrotask(() => navigate(target, { replace: true }));
      return null;
    }
    return <LoginPage setupRequired={session.setupRequired} />;
  }
  if (first === 'login') {
    queueMicrotask(() => navigate('/', { replace: true }));
    return null;
  }
  if (first === 'sites' && second) {
    const domain = decode(second);
    if (third === 'journeys') return <JourneysPage domain={domain} />;
    if (third === 'settings') return <SettingsPage domain={domain} />;
    return <SitePage domain={domain} />;
  }
  if (first === 'users') return <UsersPage />;
  if (first === 'sql') return <SqlPage />;
  if (first === 'drops') return <DropsPage />;
  if (!first) return <SitesPage />;
  return <Layout title="Not found"><h1>Not found</h1><p>There is no page at this address.</p></Layout>;
}

/** Root component: session, context and routes. */
export function App() {
  const api = useMemo(() => new Api(), []);
  const [session, setSession] = useState<SessionAnswer | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const refreshSession = async () => {
    try {
      const answer = await api.get<SessionAnswer>('/api/ui/session');
      api.csrfToken = answer.csrfToken;
      setSession(answer);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  useEffect(() => {
    // An expired session sends the person to the login page (Routes redirects once user is null).
    api.onUnauthorized = () => void refreshSession();
    void refreshSession();
  }, []);
  if (error) return <p class="error" role="alert">Footfall is not reachable: {error}</p>;
  if (!session) return <p class="loading-page" aria-busy="true">Loading…</p>;
  return (
    <AppContext.Provider value={{ api, user: session.user, refreshSession }}>
      <RouterProvider>
        <Routes session={session} />
      </RouterProvider>
    </AppContext.Provider>
  );
}
