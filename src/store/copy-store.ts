/**
 * Copies everything from one store into another: sites (ids remapped), goals, API keys,
 * users, share links and every event, in chunks with constant memory. Used by
 * `footfall migrate-store` (e.g. a DuckDB user moving to ClickHouse). Salts are not copied on
 * purpose: secrets stay where they were made, and the target makes fresh ones, so a visitor
 * seen before the move on the day of the move counts once more after it.
 */
import { dialectFor } from '../query/compile/dialects.js';
import { SqlParams } from '../query/compile/dialect.js';
import { AppError } from '../errors.js';
import { EVENT_COLUMNS, type EventRow } from './event-row.js';
import type { Row, Store } from './store.js';

export interface CopyProgress {
  site: string;
  copied: number;
  total: number;
}

export interface CopyResult {
  sites: number;
  events: number;
  /** Per site: events in the source and in the target after the copy. */
  counts: Array<{ domain: string; source: number; target: number }>;
}

const CHUNK = 10_000;

export async function copyStore(from: Store, to: Store, onProgress: (p: CopyProgress) => void = () => undefined): Promise<CopyResult> {
  const existing = await to.listSites();
  if (existing.length > 0) {
    throw new AppError('conflict', `the target store already has sites (${existing.map((s) => s.domain).join(', ')}); copy into an empty store`);
  }
  const siteIds = new Map<number, number>();
  const counts: CopyResult['counts'] = [];
  let events = 0;
  const sites = await from.listSites();
  for (const site of sites) {
    const copy = await to.addSite({ domain: site.domain, timezone: site.timezone, raw: site.raw, saltRotationHours: site.saltRotationHours });
    siteIds.set(site.id, copy.id);
    for (const goal of await from.listGoals(site.id)) await to.addGoal(copy.id, { kind: goal.kind, match: goal.match });
    for (const link of await from.listShareLinks(site.id)) await to.createShareLink({ siteId: copy.id, slug: link.slug, passwordHash: link.passwordHash });
  }
  const remap = (ids: number[]) => ids.map((id) => siteIds.get(id)).filter((id): id is number => id !== undefined);
  for (const key of await from.listApiKeys()) {
    await to.createApiKey({ name: key.name, prefix: key.prefix, keyHash: key.keyHash, admin: key.admin, siteIds: remap(key.siteIds) });
  }
  for (const user of await from.listUsers()) {
    await to.createUser({ email: user.email, passwordHash: user.passwordHash, role: user.role, siteIds: remap(user.siteIds) });
  }

  for (const site of sites) {
    const targetId = siteIds.get(site.id)!;
    const total = await countEvents(from, site.id);
    let copied = 0;
    let batch: EventRow[] = [];
    for await (const rows of streamEvents(from, site.id)) {
      for (const row of rows) {
        batch.push({ ...toEventRow(row), site_id: targetId });
        if (batch.length >= CHUNK) {
          await to.insertEvents(batch);
          copied += batch.length;
          batch = [];
          onProgress({ site: site.domain, copied, total });
        }
      }
    }
    if (batch.length > 0) await to.insertEvents(batch);
    copied += batch.length;
    onProgress({ site: site.domain, copied, total });
    events += copied;
    counts.push({ domain: site.domain, source: total, target: await countEvents(to, targetId) });
  }
  return { sites: sites.length, events, counts };
}

export async function countEvents(store: Store, siteId: number): Promise<number> {
  const params = new SqlParams(dialectFor(store.dialect));
  const rows = await store.query(`SELECT count(*) AS n FROM events WHERE site_id = ${params.add(siteId)}`, params.values);
  return Number(rows[0]?.n ?? 0);
}

function streamEvents(store: Store, siteId: number): AsyncIterable<Row[]> {
  const dialect = dialectFor(store.dialect);
  const params = new SqlParams(dialect);
  const columns = EVENT_COLUMNS.map((c) => {
    if (c === 'ts') return `${dialect.epochMs('ts')} AS ts`;
    if (c === 'visitor_id' || c === 'session_id') return `${dialect.castText(c)} AS ${c}`;
    return c;
  });
  return store.stream(`SELECT ${columns.join(', ')} FROM events WHERE site_id = ${params.add(siteId)} ORDER BY ts${dialect.querySuffix}`, params.values);
}

const NUMERIC = new Set(['site_id', 'ts', 'screen_width', 'revenue_amount', 'scroll_depth', 'engagement_ms']);

/** A row as a store returns it -> the EventRow every store accepts. */
export function toEventRow(row: Row): EventRow {
  const out: Record<string, unknown> = {};
  for (const column of EVENT_COLUMNS) {
    const value = row[column];
    if (column === 'interactive') out[column] = value === true || value === 1 || value === '1' || value === 'true';
    else if (column === 'ip' || column === 'headers') out[column] = value === null || value === undefined ? null : String(value);
    else if (NUMERIC.has(column)) out[column] = value === null || value === undefined ? null : Number(value);
    else out[column] = value === null || value === undefined ? '' : String(value);
  }
  return out as unknown as EventRow;
}
