/**
 * The Postgres store's metadata tables: sites, goals, API keys, users, login sessions and share
 * links. Uniqueness is left to the constraints (INSERT ... RETURNING, 23505 -> 'conflict'), so
 * check-then-insert races between several Footfall processes cannot happen.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { AppError } from '../../errors.js';
import type { LoginSession, NewShareLink, NewUser, ShareLink, User } from '../accounts.js';
import { goalDisplayName } from '../goal-name.js';
import type { ApiKey, Goal, NewApiKey, NewGoal } from '../metadata.js';
import type { NewSite, Site } from '../site.js';
import type { Row } from '../store.js';
import { checkout } from './checkout.js';
import { rethrow } from './pg-errors.js';
import { PG_TYPES, pgParams } from './values.js';
import { toApiKey, toGoal, toShareLink, toSite, toUser } from '../metadata-rows.js';

/** `placeholder` (epoch ms) as the UTC `timestamp` the tables hold. */
export const tsFromMs = (placeholder: string): string => `(to_timestamp(${placeholder}::bigint / 1000.0) AT TIME ZONE 'UTC')`;
export const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export class PostgresMetadata {
  constructor(protected readonly pool: Pool) {}

  // --- sites -------------------------------------------------------------------------

  async listSites(): Promise<Site[]> {
    return (await this.rows('SELECT * FROM sites ORDER BY domain')).map(toSite);
  }

  async getSite(domain: string): Promise<Site | undefined> {
    const rows = await this.rows('SELECT * FROM sites WHERE domain = $1', [domain]);
    return rows[0] ? toSite(rows[0]) : undefined;
  }

  async addSite(site: NewSite): Promise<Site> {
    const rows = await this.insertUnique(
      `INSERT INTO sites (domain, timezone, raw, salt_rotation_hours, created_at) VALUES ($1, $2, $3, $4, ${NOW_UTC}) RETURNING *`,
      [site.domain, site.timezone ?? 'UTC', site.raw ?? false, site.saltRotationHours ?? 24], `site ${site.domain}`,
    );
    return toSite(rows[0]!);
  }

  async updateSite(domain: string, patch: Partial<Pick<Site, 'timezone' | 'raw' | 'saltRotationHours'>>): Promise<Site> {
    const rows = await this.rows(
      `UPDATE sites SET timezone = coalesce($2, timezone), raw = coalesce($3, raw),
         salt_rotation_hours = coalesce($4, salt_rotation_hours) WHERE domain = $1 RETURNING *`,
      [domain, patch.timezone ?? null, patch.raw ?? null, patch.saltRotationHours ?? null],
    );
    if (!rows[0]) throw new AppError('not_found', `no site ${domain}`);
    return toSite(rows[0]);
  }

  async removeSite(domain: string): Promise<void> {
    await this.transaction(async (client) => {
      const found = await client.query<{ id: number }>('SELECT id FROM sites WHERE domain = $1 FOR UPDATE', [domain]);
      const id = found.rows[0]?.id;
      if (id === undefined) throw new AppError('not_found', `no site ${domain}`);
      for (const table of ['events', 'goals', 'share_links']) {
        await client.query(`DELETE FROM ${table} WHERE site_id = $1`, [id]);
      }
      await client.query('DELETE FROM sites WHERE id = $1', [id]);
    });
  }

  // --- goals and API keys -------------------------------------------------------------

  async listGoals(siteId: number): Promise<Goal[]> {
    return (await this.rows('SELECT * FROM goals WHERE site_id = $1 ORDER BY id', [siteId])).map(toGoal);
  }

  async addGoal(siteId: number, goal: NewGoal): Promise<Goal> {
    const rows = await this.insertUnique('INSERT INTO goals (site_id, kind, match) VALUES ($1, $2, $3) RETURNING *',
      [siteId, goal.kind, goal.match], `goal ${goalDisplayName(goal)}`);
    return toGoal(rows[0]!);
  }

  async removeGoal(siteId: number, goalId: number): Promise<void> {
    const rows = await this.rows('DELETE FROM goals WHERE site_id = $1 AND id = $2 RETURNING id', [siteId, goalId]);
    if (rows.length === 0) throw new AppError('not_found', `no goal ${goalId}`);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    const rows = await this.insertUnique(
      `INSERT INTO api_keys (name, prefix, key_hash, admin, site_ids, created_at) VALUES ($1, $2, $3, $4, $5, ${NOW_UTC}) RETURNING *`,
      [key.name, key.prefix, key.keyHash, key.admin, key.siteIds], 'API key',
    );
    return toApiKey(rows[0]!);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | undefined> {
    const rows = await this.rows('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
    return rows[0] ? toApiKey(rows[0]) : undefined;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.rows('SELECT * FROM api_keys ORDER BY id')).map(toApiKey);
  }

  async revokeApiKey(id: number): Promise<void> {
    const rows = await this.rows('DELETE FROM api_keys WHERE id = $1 RETURNING id', [id]);
    if (rows.length === 0) throw new AppError('not_found', `no API key ${id}`);
  }

  // --- users and login sessions ------------------------------------------------------------

  async listUsers(): Promise<User[]> {
    return (await this.rows('SELECT * FROM users ORDER BY id')).map(toUser);
  }

  async getUser(id: number): Promise<User | undefined> {
    const rows = await this.rows('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const rows = await this.rows('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async createUser(user: NewUser): Promise<User> {
    const email = user.email.toLowerCase();
    const rows = await this.insertUnique(
      `INSERT INTO users (email, password_hash, role, site_ids, created_at) VALUES ($1, $2, $3, $4, ${NOW_UTC}) RETURNING *`,
      [email, user.passwordHash, user.role, user.siteIds], `user ${email}`,
    );
    return toUser(rows[0]!);
  }

  async updateUser(id: number, patch: Partial<Pick<User, 'passwordHash' | 'role' | 'siteIds'>>): Promise<User> {
    const rows = await this.rows(
      `UPDATE users SET password_hash = coalesce($2, password_hash), role = coalesce($3, role),
         site_ids = coalesce($4, site_ids) WHERE id = $1 RETURNING *`,
      [id, patch.passwordHash ?? null, patch.role ?? null, patch.siteIds ?? null],
    );
    if (!rows[0]) throw new AppError('not_found', `no user ${id}`);
    return toUser(rows[0]);
  }

  async deleteUser(id: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM login_sessions WHERE user_id = $1', [id]);
      const deleted = await client.query('DELETE FROM users WHERE id = $1', [id]);
      if (deleted.rowCount === 0) throw new AppError('not_found', `no user ${id}`);
    });
  }

  async createLoginSession(session: LoginSession): Promise<void> {
    await this.rows(`INSERT INTO login_sessions VALUES ($1, $2, $3, ${tsFromMs('$4')})`,
      [session.idHash, session.userId, session.csrfToken, session.expiresAt]);
  }

  async findLoginSession(idHash: string): Promise<LoginSession | undefined> {
    const row = (await this.rows('SELECT * FROM login_sessions WHERE id_hash = $1', [idHash]))[0];
    return row ? { idHash: String(row.id_hash), userId: Number(row.user_id), csrfToken: String(row.csrf_token), expiresAt: Number(row.expires_at) } : undefined;
  }

  async deleteLoginSession(idHash: string): Promise<void> {
    await this.rows('DELETE FROM login_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteLoginSessionsBefore(expiresBeforeMs: number): Promise<number> {
    return (await this.rows(`DELETE FROM login_sessions WHERE expires_at < ${tsFromMs('$1')} RETURNING id_hash`, [expiresBeforeMs])).length;
  }

  // --- share links -------------------------------------------------------------------

  async createShareLink(link: NewShareLink): Promise<ShareLink> {
    const rows = await this.insertUnique(
      `INSERT INTO share_links (site_id, slug, password_hash, created_at) VALUES ($1, $2, $3, ${NOW_UTC}) RETURNING *`,
      [link.siteId, link.slug, link.passwordHash], 'share link',
    );
    return toShareLink(rows[0]!);
  }

  async listShareLinks(siteId: number): Promise<ShareLink[]> {
    return (await this.rows('SELECT * FROM share_links WHERE site_id = $1 ORDER BY id', [siteId])).map(toShareLink);
  }

  async findShareLink(slug: string): Promise<ShareLink | undefined> {
    const rows = await this.rows('SELECT * FROM share_links WHERE slug = $1', [slug]);
    return rows[0] ? toShareLink(rows[0]) : undefined;
  }

  async deleteShareLink(siteId: number, id: number): Promise<void> {
    const rows = await this.rows('DELETE FROM share_links WHERE site_id = $1 AND id = $2 RETURNING id', [siteId, id]);
    if (rows.length === 0) throw new AppError('not_found', `no share link ${id}`);
  }

  // --- helpers -----------------------------------------------------------------------

  /** Runs one statement on a pooled connection with Footfall's value parsers. */
  protected async rows<T extends QueryResultRow = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      const result = await this.pool.query<T>({ text: sql, values: pgParams(params), types: PG_TYPES });
      return result.rows;
    } catch (err) {
      return rethrow(err);
    }
  }

  /** An INSERT ... RETURNING whose unique violation becomes AppError('conflict'). */
  private async insertUnique(sql: string, params: readonly unknown[], what: string): Promise<Row[]> {
    try {
      return await this.rows(sql, params);
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === '23505') throw new AppError('conflict', `${what} already exists`);
      throw err;
    }
  }

  protected connect(): Promise<PoolClient> {
    return checkout(this.pool);
  }

  protected async transaction<T>(task: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let healthy = true;
    try {
      await client.query('BEGIN');
      const result = await task(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { healthy = false; });
      return rethrow(err);
    } finally {
      // A connection that could not even roll back is discarded rather than reused.
      client.release(!healthy);
    }
  }
}
