/** /sites/<domain>/settings: time zone, raw mode, goals, tracking snippets, share links, removal. */
import { useState } from 'preact/hooks';
import type { SiteInfo } from '../api.js';
import { CopyBox } from '../components/copy-box.js';
import { ErrorText, Layout } from '../components/layout.js';
import { useApp, useLoad } from '../hooks.js';
import { Link, useLocation } from '../router.js';

interface Goal { id: number; kind: 'event' | 'page'; match: string; displayName: string }
interface Share { id: number; slug: string; protected: boolean; path: string; createdAt: number }

/** Runs an action, reporting its error in the section instead of throwing. */
function useAction(): [string | undefined, (fn: () => Promise<void>) => Promise<void>] {
  const [error, setError] = useState<string | undefined>(undefined);
  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return [error, run];
}

function GeneralSettings({ site, onSaved }: { site: SiteInfo; onSaved(): void }) {
  const { api } = useApp();
  const [error, run] = useAction();
  const [saved, setSaved] = useState(false);
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    void run(async () => {
      await api.request('PATCH', `/api/ui/sites/${encodeURIComponent(site.domain)}`, { timezone: form.get('timezone'), raw: form.get('raw') === 'on' });
      setSaved(true);
      onSaved();
    });
  };
  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="general">
      <h2 id="general">General</h2>
      <label>Time zone (reports and day boundaries)
        <input name="timezone" list="zones" value={site.timezone} required />
        <datalist id="zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
      </label>
      <label class="check"><input type="checkbox" name="raw" checked={site.raw} /> Raw mode: also store each hit's IP address and request headers (as the original app did)</label>
      <ErrorText error={error} />
      <div class="row"><button class="button primary" type="submit">Save</button>{saved && <span class="muted" role="status">Saved</span>}</div>
    </form>
  );
}

function Goals({ domain }: { domain: string }) {
  const { api } = useApp();
  const base = `/api/ui/sites/${encodeURIComponent(domain)}/goals`;
  const goals = useLoad(base, () => api.get<{ goals: Goal[] }>(base));
  const [error, run] = useAction();
  const [kind, setKind] = useState<'event' | 'page'>('event');
  const add = (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const match = new FormData(formEl).get('match');
    void run(async () => { await api.post(base, { kind, match }); formEl.reset(); goals.reload(); });
  };
  return (
    <section class="card stack" aria-labelledby="goals">
      <h2 id="goals">Goals</h2>
      <p class="muted small">A goal is a custom event name (e.g. Signup) or a page path, where * matches anything (e.g. /thanks*).</p>
      <ul class="plain-list">
        {goals.data?.goals.map((g) => (
          <li key={g.id} class="row between">
            <span>{g.displayName}</span>
            <button type="button" class="button ghost small" onClick={() => void run(async () => { await api.request('DELETE', `${base}/${g.id}`); goals.reload(); })}>Remove</button>
          </li>
        ))}
        {goals.data?.goals.length === 0 && <li class="muted">No goals yet.</li>}
      </ul>
      <form class="row wrap" onSubmit={add}>
        <label class="inline">Kind
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as 'event' | 'page')}>
            <option value="event">Custom event</option>
            <option value="page">Page visit</option>
          </select>
        </label>
        <label class="inline grow">{kind === 'event' ? 'Event name' : 'Page path'}<input name="match" placeholder={kind === 'event' ? 'Signup' : '/thanks*'} required /></label>
        <button class="button" type="submit">Add goal</button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}

function Snippets({ domain }: { domain: string }) {
  const origin = window.location.origin;
  return (
    <section class="card stack" aria-labelledby="snippet">
      <h2 id="snippet">Tracking snippet</h2>
      <p class="muted small">Put one of these in the pages of {domain}. The modern script counts page views, SPA navigation and custom events (under 1 KB, no cookies).</p>
      <CopyBox label="modern snippet" text={`<script defer data-domain="${domain}" src="${origin}/script.js"></script>`} />
      <p class="muted small">The classic pixel of the original app (page views only):</p>
      <CopyBox label="classic snippet" text={`<script src="${origin}/a.js"></script>`} />
    </section>
  );
}

function ShareLinks({ domain }: { domain: string }) {
  const { api } = useApp();
  const base = `/api/ui/sites/${encodeURIComponent(domain)}/shares`;
  const shares = useLoad(base, () => api.get<{ shares: Share[] }>(base));
  const [error, run] = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const password = String(new FormData(formEl).get('password') ?? '');
    void run(async () => { await api.post(base, password ? { password } : {}); formEl.reset(); shares.reload(); });
  };
  return (
    <section class="card stack" aria-labelledby="shares">
      <h2 id="shares">Share links</h2>
      <p class="muted small">Anyone with a share link sees this dashboard read-only, without an account. Revoke a link to end its access at once.</p>
      <ul class="plain-list">
        {shares.data?.shares.map((s) => (
          <li key={s.id} class="stack share-item">
            <CopyBox label="share link" text={`${window.location.origin}${s.path}`} />
            <div class="row between">
              <span class="muted small">{s.protected ? 'password protected' : 'open link'} · created {new Date(s.createdAt).toLocaleDateString()}</span>
              <button type="button" class="button danger small" onClick={() => void run(async () => { await api.request('DELETE', `${base}/${s.id}`); shares.reload(); })}>Revoke</button>
            </div>
          </li>
        ))}
        {shares.data?.shares.length === 0 && <li class="muted">No share links.</li>}
      </ul>
      <form class="row wrap" onSubmit={create}>
        <label class="inline grow">Password (optional)<input name="password" type="password" autocomplete="new-password" minLength={8} /></label>
        <button class="button" type="submit">Create share link</button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}

function DangerZone({ domain }: { domain: string }) {
  const { api } = useApp();
  const { navigate } = useLocation();
  const [error, run] = useAction();
  const [confirm, setConfirm] = useState('');
  return (
    <section class="card stack danger-zone" aria-labelledby="danger">
      <h2 id="danger">Delete site and data</h2>
      <p class="muted small">Deletes {domain}, its goals, share links and every event recorded for it. This cannot be undone.</p>
      <form class="row wrap" onSubmit={(e) => {
        e.preventDefault();
        void run(async () => { await api.request('DELETE', `/api/ui/sites/${encodeURIComponent(domain)}`, { confirm }); navigate('/'); });
      }}>
        <label class="inline grow">Type {domain} to confirm<input value={confirm} onInput={(e) => setConfirm((e.currentTarget as HTMLInputElement).value)} /></label>
        <button class="button danger" type="submit" disabled={confirm !== domain}>Delete everything</button>
      </form>
      <ErrorText error={error} />
    </section>
  );
}

export function SettingsPage({ domain }: { domain: string }) {
  const { api, user } = useApp();
  const path = `/api/ui/sites/${encodeURIComponent(domain)}`;
  const site = useLoad(path, () => api.get<{ site: SiteInfo }>(path));
  const s = site.data?.site;
  return (
    <Layout title={`${domain} settings`}>
      <div class="settings stack">
        <h1>{domain}: settings</h1>
        <nav class="subnav"><Link href={`/sites/${encodeURIComponent(domain)}`} class="nav-link">← Back to the dashboard</Link></nav>
        <ErrorText error={site.error} />
        {s && !s.canWrite && <p class="muted">You have read-only access to this site.</p>}
        {s?.canWrite && <GeneralSettings key={`${s.timezone}|${s.raw}`} site={s} onSaved={site.reload} />}
        {s && <Snippets domain={s.domain} />}
        {s?.canWrite && <Goals domain={s.domain} />}
        {s?.canWrite && <ShareLinks domain={s.domain} />}
        {s && user?.admin && <DangerZone domain={s.domain} />}
      </div>
    </Layout>
  );
}
