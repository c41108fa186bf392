/**
 * The DuckDB store's metadata tables: sites, goals, API keys, users, login sessions and
 * share links. Small tables with plain SQL; uniqueness is left to the constraints so that
 * check-then-insert races cannot happen.
 */
import { AppError, messageOf } from '../../errors.js';
import type { LoginSession, NewShareLink, NewUser, ShareLink, User } from '../accounts.js';
import { goalDisplayName } from '../goal-name.js';
import type { ApiKey, Goal, NewApiKey, NewGoal } from '../metadata.js';
import type { NewSite, Site } from '../site.js';
import type { Row } from '../store.js';
import { toApiKey, toGoal, toShareLink, toSite, toUser } from '../metadata-rows.js';

const json = (value: unknown) => JSON.stringify(value);

export abstract class DuckDbMetadata {
  abstract query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs one writing statement; returns rows changed. */
  protected abstract exec(sql: string, params?: readonly unknown[]): Promise<number>;
  protected abstract execInTransaction(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<void>;

  /** Runs an INSERT and turns a uniqueness violation into AppError('conflict'). */
  private async insertUnique(sql: string, params: readonly unknown[], what: string): Promise<void> {
    try {
      await this.exec(sql, params);
    } catch (err) {
      if (/constraint|duplicate key/i.test(messageOf(err))) throw new AppError('conflict', `${what} already exists`);
      throw err;
    }
  }

  // --- sites -------------------------------------------------------------------------

  async listSites(): Promise<Site[]> {
    return (await this.query('SELECT * FROM sites ORDER BY domain')).map(toSite);
  }

  async getSite(domain: string): Promise<Site | undefined> {
    const rows = await this.query('SELECT * FROM sites WHERE domain = $1', [domain]);
    return rows[0] ? toSite(rows[0]) : undefined;
  }

  async addSite(site: NewSite): Promise<Site> {
    await this.insertUnique(
      'INSERT INTO sites (domain, timezone, raw, salt_rotation_hours, created_at) VALUES ($1, $2, $3, $4, now())',
      [site.domain, site.timezone ?? 'UTC', site.raw ?? false, site.saltRotationHours ?? 24], `site ${site.domain}`,
    );
    return (await this.getSite(site.domain))!;
  }

  async updateSite(domain: string, patch: Partial<Pick<Site, 'timezone' | 'raw' | 'saltRotationHours'>>): Promise<Site> {
    const current = await this.getSite(domain);
    if (!current) throw new AppError('not_found', `no site ${domain}`);
    const next = { ...current, ...patch };
    await this.exec('UPDATE sites SET timezone = $1, raw = $2, salt_rotation_hours = $3 WHERE domain = $4',
      [next.timezone, next.raw, next.saltRotationHours, domain]);
    return (await this.getSite(domain))!;
  }

  async removeSite(domain: string): Promise<void> {
    const site = await this.getSite(domain);
    if (!site) throw new AppError('not_found', `no site ${domain}`);
    await this.execInTransaction([
      ['DELETE FROM events WHERE site_id = $1', [site.id]],
      ['DELETE FROM goals WHERE site_id = $1', [site.id]],
      ['DELETE FROM share_links WHERE site_id = $1', [site.id]],
      ['DELETE FROM sites WHERE id = $1', [site.id]],
    ]);
  }

  // --- goals and API keys ----------------------------------------------------------------

  async listGoals(siteId: number): Promise<Goal[]> {
    return (await this.query('SELECT * FROM goals WHERE site_id = $1 ORDER BY id', [siteId])).map(toGoal);
  }

  async addGoal(siteId: number, goal: NewGoal): Promise<Goal> {
    await this.insertUnique('INSERT INTO goals (site_id, kind, match) VALUES ($1, $2, $3)', [siteId, goal.kind, goal.match], `goal ${goalDisplayName(goal)}`);
    return (await this.listGoals(siteId)).find((g) => g.kind === goal.kind && g.match === goal.match)!;
  }

  async removeGoal(siteId: number, goalId: number): Promise<void> {
    if ((await this.exec('DELETE FROM goals WHERE site_id = $1 AND id = $2', [siteId, goalId])) === 0) {
      throw new AppError('not_found', `no goal ${goalId}`);
    }
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    await this.insertUnique(
      'INSERT INTO api_keys (name, prefix, key_hash, admin, site_ids, created_at) VALUES ($1, $2, $3, $4, $5, now())',
      [key.name, key.prefix, key.keyHash, key.admin, json(key.siteIds)], 'API key',
    );
    return (await this.findApiKeyByHash(key.keyHash))!;
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | undefined> {
    const rows = await this.query('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
    return rows[0] ? toApiKey(rows[0]) : undefined;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.query('SELECT * FROM api_keys ORDER BY id')).map(toApiKey);
  }

  async revokeApiKey(id: number): Promise<void> {
    if ((await this.exec('DELETE FROM api_keys WHERE id = $1', [id])) === 0) throw new AppError('not_found', `no API key ${id}`);
  }

  // --- users and login sessions ------------------------------------------------------------

  async listUsers(): Promise<User[]> {
    return (await this.query('SELECT * FROM users ORDER BY id')).map(toUser);
  }

  async getUser(id: number): Promise<User | undefined> {
    const rows = await this.query('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const rows = await this.query('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async createUser(user: NewUser): Promise<User> {
    const email = user.email.toLowerCase();
    await this.insertUnique(
      'INSERT INTO users (email, password_hash, role, site_ids, created_at) VALUES ($1, $2, $3, $4, now())',
      [email, user.passwordHash, user.role, json(user.siteIds)], `user ${email}`,
    );
    return (await this.findUserByEmail(email))!;
  }

  async updateUser(id: number, patch: Partial<Pick<User, 'passwordHash' | 'role' | 'siteIds'>>): Promise<User> {
    const current = await this.getUser(id);
    if (!current) throw new AppError('not_found', `no user ${id}`);
    const next = { ...current, ...patch };
    await this.exec('UPDATE users SET password_hash = $1, role = $2, site_ids = $3 WHERE id = $4',
      [next.passwordHash, next.role, json(next.siteIds), id]);
    return (await this.getUser(id))!;
  }

  async deleteUser(id: number): Promise<void> {
    if (!(await this.getUser(id))) throw new AppError('not_found', `no user ${id}`);
    await this.execInTransaction([
      ['DELETE FROM login_sessions WHERE user_id = $1', [id]],
      ['DELETE FROM users WHERE id = $1', [id]],
    ]);
  }

  async createLoginSession(session: LoginSession): Promise<void> {
    await this.exec('INSERT INTO login_sessions VALUES ($1, $2, $3, epoch_ms($4::BIGINT))',
      [session.idHash, session.userId, session.csrfToken, session.expiresAt]);
  }

  async findLoginSession(idHash: string): Promise<LoginSession | undefined> {
    const rows = await this.query('SELECT * FROM login_sessions WHERE id_hash = $1', [idHash]);
    const row = rows[0];
    return row ? { idHash: String(row.id_hash), userId: Number(row.user_id), csrfToken: String(row.csrf_token), expiresAt: Number(row.expires_at) } : undefined;
  }

  async deleteLoginSession(idHash: string): Promise<void> {
    await this.exec('DELETE FROM login_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteLoginSessionsBefore(expiresBeforeMs: number): Promise<number> {
    return this.exec('DELETE FROM login_sessions WHERE expires_at < epoch_ms($1::BIGINT)', [expiresBeforeMs]);
  }

  // --- share links -------------------------------------------------------------------

  async createShareLink(link: NewShareLink): Promise<ShareLink> {
    await this.insertUnique('INSERT INTO share_links (site_id, slug, password_hash, created_at) VALUES ($1, $2, $3, now())',
      [link.siteId, link.slug, link.passwordHash], 'share link');
    return (await this.findShareLink(link.slug))!;
  }

  async listShareLinks(siteId: number): Promise<ShareLink[]> {
    return (await this.query('SELECT * FROM share_links WHERE site_id = $1 ORDER BY id', [siteId])).map(toShareLink);
  }

  async findShareLink(slug: string): Promise<ShareLink | undefined> {
    const rows = await this.query('SELECT * FROM share_links WHERE slug = $1', [slug]);
    return rows[0] ? toShareLink(rows[0]) : undefined;
  }

  async deleteShareLink(siteId: number, id: number): Promise<void> {
    if ((await this.exec('DELETE FROM share_links WHERE site_id = $1 AND id = $2', [siteId, id])) === 0) {
      throw new AppError('not_found', `no share link ${id}`);
    }
  }
}
