/** First start: the one-time setup link creates the first admin account. */
import { useState } from 'preact/hooks';
import { ErrorText, Layout } from '../components/layout.js';
import { useApp } from '../hooks.js';
import { useLocation } from '../router.js';

export function SetupPage() {
  const { api, refreshSession } = useApp();
  const { search, navigate } = useLocation();
  const token = new URLSearchParams(search).get('token') ?? '';
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    if (form.get('password') !== form.get('password2')) {
      setError('the two passwords differ');
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/ui/setup', { token, email: form.get('email'), password: form.get('password') });
      await refreshSession();
      navigate('/', { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <Layout title="Set up Footfall">
      <form class="card narrow stack" onSubmit={(e) => void submit(e)}>
        <h1>Create the admin account</h1>
        <p class="muted">This link works once. The admin sees every site and can invite others.</p>
        {!token && <p class="error">This page needs the setup link the server printed at its first start.</p>}
        <label>E-mail<input name="email" type="email" autocomplete="username" required /></label>
        <label>Password (at least 8 characters)<input name="password" type="password" autocomplete="new-password" minLength={8} required /></label>
        <label>Password again<input name="password2" type="password" autocomplete="new-password" minLength={8} required /></label>
        <ErrorText error={error} />
        <button class="button primary" type="submit" disabled={busy || !token}>Create account</button>
      </form>
    </Layout>
  );
}
