/**
 * Metadata rows as every store returns them -> the types of the Store interface. The stores
 * differ only in how a list of site ids comes back (a native array, or JSON text in DuckDB).
 */
import type { ShareLink, User } from './accounts.js';
import { goalDisplayName } from './goal-name.js';
import type { ApiKey, Goal } from './metadata.js';
import type { Site } from './site.js';
import type { Row } from './store.js';

function siteIdList(value: unknown): number[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.map(Number) : [];
}

export function toSite(row: Row): Site {
  return {
    id: Number(row.id), domain: String(row.domain), timezone: String(row.timezone), raw: Boolean(row.raw),
    saltRotationHours: Number(row.salt_rotation_hours), createdAt: Number(row.created_at),
  };
}

export function toGoal(row: Row): Goal {
  const goal = { kind: String(row.kind) as Goal['kind'], match: String(row.match) };
  return { id: Number(row.id), siteId: Number(row.site_id), ...goal, displayName: goalDisplayName(goal) };
}

export function toApiKey(row: Row): ApiKey {
  return {
    id: Number(row.id), name: String(row.name), prefix: String(row.prefix), keyHash: String(row.key_hash),
    admin: Boolean(row.admin), siteIds: siteIdList(row.site_ids), createdAt: Number(row.created_at),
  };
}

export function toUser(row: Row): User {
  return {
    id: Number(row.id), email: String(row.email), passwordHash: String(row.password_hash), role: String(row.role) as User['role'],
    siteIds: siteIdList(row.site_ids), createdAt: Number(row.created_at),
  };
}

export function toShareLink(row: Row): ShareLink {
  return {
    id: Number(row.id), siteId: Number(row.site_id), slug: String(row.slug),
    passwordHash: row.password_hash === null ? null : String(row.password_hash), createdAt: Number(row.created_at),
  };
}
