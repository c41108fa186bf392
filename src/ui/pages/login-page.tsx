/** Log in with e-mail and password. */
import { useState } from 'preact/hooks';
import { ErrorText, Layout } from '../components/layout.js';
import { useApp } from '../hooks.js';
import { useLocation } from '../router.js';

/** Only same-app paths may be a redirect target (no open redirect to other sites). */
function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage({ setupRequired }: { setupRequired: boolean }) {
  const { api, refreshSession } = useApp();
  const { search, navigate } = useLocation();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      await api.post('/api/ui/login', { email: form.get('email'), password: form.get('password') });
      await refreshSession();
      navigate(safeNext(search), { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <Layout title="Log in">
      <form class="card narrow stack" onSubmit={(e) => void submit(e)}>
        <h1>Log in</h1>
        {setupRequired && <p class="muted">No account exists yet: open the setup link the server printed at start.</p>}
        <label>E-mail<input name="email" type="email" autocomplete="username" required /></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" required /></label>
        <ErrorText error={error} />
        <button class="button primary" type="submit" disabled={busy}>Log in</button>
      </form>
    </Layout>
  );
}
