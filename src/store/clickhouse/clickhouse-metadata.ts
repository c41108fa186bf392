/**
 * The ClickHouse store's metadata tables: sites, goals, API keys, users, login sessions and
 * share links, as ReplacingMergeTree(version, deleted) rows read with FINAL (an update is a new
 * version, a delete a tombstone version).
 *
 * ClickHouse has no unique constraints or sequences. New ids are max(id) + 1 (tombstones count,
 * so ids are never reused), inserted with insert_deduplication_token '<table>:<id>': when two
 * processes pick the same id, the engine keeps the first insert and drops the second, and the
 * loser, not finding its own version under that id, tries the next one. Uniqueness of a value
 * (domain, e-mail, ...) is checked before the insert and again after it: if an older live row
 * holds the value, the newer one is withdrawn and the call fails with 'conflict'. What remains
 * is a window of a few milliseconds in which both racing callers could see the other's row
 * missing — acceptable for metadata people edit by hand.
 */
import { AppError } from '../../errors.js';
import type { LoginSession, NewShareLink, NewUser, ShareLink, User } from '../accounts.js';
import { goalDisplayName } from '../goal-name.js';
import type { ApiKey, Goal, NewApiKey, NewGoal } from '../metadata.js';
import type { NewSite, Site } from '../site.js';
import type { Row } from '../store.js';
import { ClickHouseBase } from './clickhouse-base.js';
import { eventsStorageTable } from './schema.js';
import { toApiKey, toGoal, toShareLink, toSite, toUser } from '../metadata-rows.js';

/** A value that must be unique among live rows: `where` uses the given params. */
interface Unique {
  where: string;
  params: Record<string, unknown>;
  what: string;
}

const ID_ATTEMPTS = 8;
/**
 * Lightweight DELETEs wait until done on every replica (lightweight_deletes_sync already
 * defaults to that on recent servers; older ones read mutations_sync).
 */
const DELETE_SYNC = { mutations_sync: '2' } as const;

export class ClickHouseMetadata extends ClickHouseBase {
  // --- sites -------------------------------------------------------------------------

  async listSites(): Promise<Site[]> {
    return (await this.rows('SELECT * FROM sites FINAL ORDER BY domain')).map(toSite);
  }

  async getSite(domain: string): Promise<Site | undefined> {
    const rows = await this.rows('SELECT * FROM sites FINAL WHERE domain = {domain:String}', { domain });
    return rows[0] ? toSite(rows[0]) : undefined;
  }

  async addSite(site: NewSite): Promise<Site> {
    const row = await this.insertWithNewId('sites', {
      domain: site.domain, timezone: site.timezone ?? 'UTC', raw: site.raw ?? false,
      salt_rotation_hours: site.saltRotationHours ?? 24, created_at: Date.now(),
    }, { where: 'domain = {domain:String}', params: { domain: site.domain }, what: `site ${site.domain}` });
    return toSite(row);
  }

  async updateSite(domain: string, patch: Partial<Pick<Site, 'timezone' | 'raw' | 'saltRotationHours'>>): Promise<Site> {
    const current = await this.getSite(domain);
    if (!current) throw new AppError('not_found', `no site ${domain}`);
    const next = { ...current, ...patch };
    await this.insertObjects('sites', [{
      id: next.id, domain: next.domain, timezone: next.timezone, raw: next.raw, salt_rotation_hours: next.saltRotationHours,
      created_at: next.createdAt, version: this.nextVersion(), deleted: 0,
    }]);
    return next;
  }

  async removeSite(domain: string): Promise<void> {
    const site = await this.getSite(domain);
    if (!site) throw new AppError('not_found', `no site ${domain}`);
    const params = { site: site.id };
    // Lightweight delete: rows vanish from queries at once, from disk with the next merges.
    await this.command(`DELETE FROM ${eventsStorageTable(this.target)}${this.onCluster} WHERE site_id = {site:UInt32}`, params,
      DELETE_SYNC);
    for (const table of ['goals', 'share_links']) {
      const ids = await this.rows(`SELECT id FROM ${table} FINAL WHERE site_id = {site:UInt32}`, params);
      await this.tombstones(table, ids.map((r) => ({ id: r.id })));
    }
    await this.tombstones('sites', [{ id: site.id }]);
  }

  // --- goals and API keys -------------------------------------------------------------

  async listGoals(siteId: number): Promise<Goal[]> {
    return (await this.rows('SELECT * FROM goals FINAL WHERE site_id = {site:UInt32} ORDER BY id', { site: siteId })).map(toGoal);
  }

  async addGoal(siteId: number, goal: NewGoal): Promise<Goal> {
    const row = await this.insertWithNewId('goals', { site_id: siteId, kind: goal.kind, match: goal.match }, {
      where: 'site_id = {site:UInt32} AND kind = {kind:String} AND match = {match:String}',
      params: { site: siteId, kind: goal.kind, match: goal.match }, what: `goal ${goalDisplayName(goal)}`,
    });
    return toGoal(row);
  }

  async removeGoal(siteId: number, goalId: number): Promise<void> {
    const found = await this.rows('SELECT id FROM goals FINAL WHERE site_id = {site:UInt32} AND id = {id:UInt32}', { site: siteId, id: goalId });
    if (found.length === 0) throw new AppError('not_found', `no goal ${goalId}`);
    await this.tombstones('goals', [{ id: goalId }]);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    const row = await this.insertWithNewId('api_keys', {
      name: key.name, prefix: key.prefix, key_hash: key.keyHash, admin: key.admin, site_ids: key.siteIds, created_at: Date.now(),
    }, { where: 'key_hash = {hash:String}', params: { hash: key.keyHash }, what: 'API key' });
    return toApiKey(row);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | undefined> {
    const rows = await this.rows('SELECT * FROM api_keys FINAL WHERE key_hash = {hash:String}', { hash: keyHash });
    return rows[0] ? toApiKey(rows[0]) : undefined;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.rows('SELECT * FROM api_keys FINAL ORDER BY id')).map(toApiKey);
  }

  async revokeApiKey(id: number): Promise<void> {
    await this.removeById('api_keys', id, `no API key ${id}`);
  }

  // --- users and login sessions ------------------------------------------------------------

  async listUsers(): Promise<User[]> {
    return (await this.rows('SELECT * FROM users FINAL ORDER BY id')).map(toUser);
  }

  async getUser(id: number): Promise<User | undefined> {
    const rows = await this.rows('SELECT * FROM users FINAL WHERE id = {id:UInt32}', { id });
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const rows = await this.rows('SELECT * FROM users FINAL WHERE email = {email:String}', { email: email.toLowerCase() });
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async createUser(user: NewUser): Promise<User> {
    const email = user.email.toLowerCase();
    const row = await this.insertWithNewId('users', {
      email, password_hash: user.passwordHash, role: user.role, site_ids: user.siteIds, created_at: Date.now(),
    }, { where: 'email = {email:String}', params: { email }, what: `user ${email}` });
    return toUser(row);
  }

  async updateUser(id: number, patch: Partial<Pick<User, 'passwordHash' | 'role' | 'siteIds'>>): Promise<User> {
    const current = await this.getUser(id);
    if (!current) throw new AppError('not_found', `no user ${id}`);
    const next = { ...current, ...patch };
    await this.insertObjects('users', [{
      id, email: next.email, password_hash: next.passwordHash, role: next.role, site_ids: next.siteIds,
      created_at: next.createdAt, version: this.nextVersion(), deleted: 0,
    }]);
    return next;
  }

  async deleteUser(id: number): Promise<void> {
    await this.removeById('users', id, `no user ${id}`);
    await this.command('DELETE FROM login_sessions WHERE user_id = {id:UInt32}', { id }, DELETE_SYNC);
  }

  async createLoginSession(session: LoginSession): Promise<void> {
    await this.insertObjects('login_sessions', [{
      id_hash: session.idHash, user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt,
      version: this.nextVersion(), deleted: 0,
    }]);
  }

  async findLoginSession(idHash: string): Promise<LoginSession | undefined> {
    const row = (await this.rows('SELECT * FROM login_sessions FINAL WHERE id_hash = {id:String}', { id: idHash }))[0];
    return row ? { idHash: String(row.id_hash), userId: Number(row.user_id), csrfToken: String(row.csrf_token), expiresAt: Number(row.expires_at) } : undefined;
  }

  async deleteLoginSession(idHash: string): Promise<void> {
    await this.insertObjects('login_sessions', [{ id_hash: idHash, version: this.nextVersion(), deleted: 1 }]);
  }

  async deleteLoginSessionsBefore(expiresBeforeMs: number): Promise<number> {
    const where = 'expires_at < fromUnixTimestamp64Milli({before:Int64}, \'UTC\')';
    const params = { before: expiresBeforeMs };
    const count = Number((await this.rows(`SELECT count() AS n FROM login_sessions FINAL WHERE ${where}`, params))[0]?.n ?? 0);
    if (count > 0) await this.command(`DELETE FROM login_sessions WHERE ${where}`, params, DELETE_SYNC);
    return count;
  }

  // --- share links -------------------------------------------------------------------

  async createShareLink(link: NewShareLink): Promise<ShareLink> {
    const row = await this.insertWithNewId('share_links', {
      site_id: link.siteId, slug: link.slug, password_hash: link.passwordHash, created_at: Date.now(),
    }, { where: 'slug = {slug:String}', params: { slug: link.slug }, what: 'share link' });
    return toShareLink(row);
  }

  async listShareLinks(siteId: number): Promise<ShareLink[]> {
    return (await this.rows('SELECT * FROM share_links FINAL WHERE site_id = {site:UInt32} ORDER BY id', { site: siteId })).map(toShareLink);
  }

  async findShareLink(slug: string): Promise<ShareLink | undefined> {
    const rows = await this.rows('SELECT * FROM share_links FINAL WHERE slug = {slug:String}', { slug });
    return rows[0] ? toShareLink(rows[0]) : undefined;
  }

  async deleteShareLink(siteId: number, id: number): Promise<void> {
    const found = await this.rows('SELECT id FROM share_links FINAL WHERE site_id = {site:UInt32} AND id = {id:UInt32}', { site: siteId, id });
    if (found.length === 0) throw new AppError('not_found', `no share link ${id}`);
    await this.tombstones('share_links', [{ id }]);
  }

  // --- helpers -----------------------------------------------------------------------

  /** Inserts `values` under a new id (see the file comment); returns the stored row. */
  private async insertWithNewId(table: string, values: Record<string, unknown>, unique: Unique): Promise<Row> {
    const taken = `SELECT count() AS n FROM ${table} FINAL WHERE ${unique.where}`;
    if (Number((await this.rows(taken, unique.params))[0]?.n ?? 0) > 0) throw new AppError('conflict', `${unique.what} already exists`);
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      // Without FINAL: tombstones and old versions count, so a deleted row's id is never reused.
      const id = Number((await this.rows(`SELECT max(id) AS m FROM ${table}`))[0]?.m ?? 0) + 1;
      const version = this.nextVersion();
      await this.insertObjects(table, [{ ...values, id, version, deleted: 0 }], `${table}:${id}`);
      const stored = (await this.rows(`SELECT * FROM ${table} FINAL WHERE id = {id:UInt32}`, { id }))[0];
      if (!stored || Number(stored.version) !== version) continue; // another process took this id
      const first = await this.rows(`SELECT min(id) AS id FROM ${table} FINAL WHERE ${unique.where}`, unique.params);
      if (Number(first[0]?.id) !== id) {
        await this.tombstones(table, [{ id }]);
        throw new AppError('conflict', `${unique.what} already exists`);
      }
      return stored;
    }
    throw new AppError('unavailable', `clickhouse: could not allocate an id in ${table} (too many concurrent writers); try again`);
  }

  private async removeById(table: string, id: number, notFound: string): Promise<void> {
    const found = await this.rows(`SELECT id FROM ${table} FINAL WHERE id = {id:UInt32}`, { id });
    if (found.length === 0) throw new AppError('not_found', notFound);
    await this.tombstones(table, [{ id }]);
  }

  /** Marks rows deleted: a newer version with deleted = 1 hides the key from FINAL reads. */
  private async tombstones(table: string, keys: Record<string, unknown>[]): Promise<void> {
    if (keys.length === 0) return;
    await this.insertObjects(table, keys.map((key) => ({ ...key, version: this.nextVersion(), deleted: 1 })));
  }
}
