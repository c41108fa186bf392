/** Page frame: header with navigation, account menu and theme switch; footer with the DB-IP credit. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../hooks.js';
import { Link, useLocation } from '../router.js';
import { applyTheme, readTheme, type ThemeChoice } from '../theme.js';

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

function ThemeSwitch() {
  const [theme, setTheme] = useState<ThemeChoice>(readTheme);
  return (
    <button type="button" class="button ghost" onClick={() => { const next = NEXT_THEME[theme]; applyTheme(next); setTheme(next); }}>
      {THEME_LABEL[theme]}
    </button>
  );
}

export function Layout({ children, title }: { children: ComponentChildren; title?: string }) {
  const { api, user, refreshSession } = useApp();
  const { path, navigate } = useLocation();
  const logout = async () => {
    await api.post('/api/ui/logout');
    await refreshSession();
    navigate('/login');
  };
  const nav = (href: string, label: string) => (
    <Link href={href} class="nav-link" aria-current={path === href ? 'page' : undefined}>{label}</Link>
  );
  if (title) document.title = `${title} · Footfall`;
  return (
    <div class="page">
      <header class="header">
        <a class="brand" href={user ? '/' : '#main'}>Footfall</a>
        <nav class="nav" aria-label="Main">
          {user && nav('/', 'Sites')}
          {user?.admin && nav('/users', 'Users')}
          {user?.admin && nav('/sql', 'SQL')}
          {user?.admin && nav('/drops', 'Drop log')}
        </nav>
        <div class="header-end">
          <ThemeSwitch />
          {user && <span class="muted user-email">{user.email}</span>}
          {user && <button type="button" class="button ghost" onClick={() => void logout()}>Log out</button>}
        </div>
      </header>
      <main id="main" class="main">{children}</main>
      <footer class="footer">
        <span>Footfall · privacy-first analytics</span>
        <span>
          <a href="https://db-ip.com" rel="noopener noreferrer" target="_blank">IP geolocation by DB-IP</a>
        </span>
      </footer>
    </div>
  );
}

/** An error line for failed loads and actions. */
export function ErrorText({ error }: { error: string | undefined }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}
