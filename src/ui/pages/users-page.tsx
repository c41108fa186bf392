/** /users (admins): who may log in, their role and which sites members and viewers see. */
import { useState } from 'preact/hooks';
import type { SiteInfo } from '../api.js';
import { ErrorText, Layout } from '../components/layout.js';
import { useApp, useLoad } from '../hooks.js';

interface UserRow { id: number; email: string; role: 'admin' | 'member' | 'viewer'; sites: string[] }

const ROLE_HELP = 'admin: every site, users and the SQL console; member: assigned sites and their settings; viewer: read-only, assigned sites';

function SitePicker({ sites, selected, name }: { sites: SiteInfo[]; selected: string[]; name: string }) {
  if (sites.length === 0) return <p class="muted small">No sites yet.</p>;
  return (
    <fieldset class="site-picker">
      <legend>Sites</legend>
      {sites.map((s) => (
        <label key={s.domain} class="check"><input type="checkbox" name={name} value={s.domain} checked={selected.includes(s.domain)} /> {s.domain}</label>
      ))}
    </fieldset>
  );
}

function UserItem({ user, sites, self, onChanged }: { user: UserRow; sites: SiteInfo[]; self: boolean; onChanged(): void }) {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>(undefined);
  const [role, setRole] = useState(user.role);
  const save = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      await api.request('PATCH', `/api/ui/users/${user.id}`, { role, sites: form.getAll('sites').map(String) });
      setError(undefined);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const remove = async () => {
    if (!window.confirm(`Remove ${user.email}?`)) return;
    try {
      await api.request('DELETE', `/api/ui/users/${user.id}`);
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <li class="card stack">
      <form class="stack" onSubmit={(e) => void save(e)} aria-label={`Edit ${user.email}`}>
        <div class="row between wrap">
          <strong>{user.email}{self ? ' (you)' : ''}</strong>
          <label class="inline">Role
            <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as UserRow['role'])}>
              <option value="admin">admin</option><option value="member">member</option><option value="viewer">viewer</option>
            </select>
          </label>
        </div>
        {role !== 'admin' && <SitePicker sites={sites} selected={user.sites} name="sites" />}
        <ErrorText error={error} />
        <div class="row"><button class="button" type="submit">Save</button>{!self && <button class="button danger" type="button" onClick={() => void remove()}>Remove</button>}</div>
      </form>
    </li>
  );
}

export function UsersPage() {
  const { api, user } = useApp();
  const users = useLoad('users', () => api.get<{ users: UserRow[] }>('/api/ui/users'));
  const sites = useLoad('sites', () => api.get<{ sites: SiteInfo[] }>('/api/ui/sites'));
  const [error, setError] = useState<string | undefined>(undefined);
  const [role, setRole] = useState<UserRow['role']>('viewer');
  const add = async (e: Event) => {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    try {
      await api.post('/api/ui/users', { email: form.get('email'), password: form.get('password'), role, sites: form.getAll('sites').map(String) });
      formEl.reset();
      setError(undefined);
      users.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const siteList = sites.data?.sites ?? [];
  return (
    <Layout title="Users">
      <h1>Users</h1>
      <p class="muted small">{ROLE_HELP}</p>
      <ErrorText error={users.error} />
      <ul class="plain-list stack">
        {users.data?.users.map((u) => <UserItem key={`${u.id}|${u.role}|${u.sites.join()}`} user={u} sites={siteList} self={u.id === user?.id} onChanged={users.reload} />)}
      </ul>
      <form class="card stack" onSubmit={(e) => void add(e)} aria-labelledby="add-user">
        <h2 id="add-user">Add a user</h2>
        <div class="row wrap">
          <label class="grow">E-mail<input name="email" type="email" required /></label>
          <label class="grow">Initial password<input name="password" type="password" autocomplete="new-password" minLength={8} required /></label>
          <label>Role
            <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as UserRow['role'])}>
              <option value="viewer">viewer</option><option value="member">member</option><option value="admin">admin</option>
            </select>
          </label>
        </div>
        {role !== 'admin' && <SitePicker sites={siteList} selected={[]} name="sites" />}
        <ErrorText error={error} />
        <div><button class="button primary" type="submit">Add user</button></div>
      </form>
    </Layout>
  );
}
