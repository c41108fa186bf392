/**
 * The one interface every store (duckdb/, postgres/, clickhouse/) implements.
 * Nothing above store/ knows which engine it talks to, except the SQL dialect the
 * query compiler picks through `dialect`.
 */
import type { EventRow } from './event-row.js';
import type { LoginSession, NewShareLink, NewUser, ShareLink, User } from './accounts.js';
import type { ApiKey, Goal, NewApiKey, NewGoal } from './metadata.js';
import type { NewSite, Site } from './site.js';

export type DialectName = 'duckdb' | 'postgres' | 'clickhouse';

/** A row returned by a query: column name -> JS value (bigint columns come back as number or string). */
export type Row = Record<string, unknown>;

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
  /** True when the row cap cut the result. */
  truncated: boolean;
}

export interface ReadOnlySqlOptions {
  timeoutMs: number;
  maxRows: number;
}

/** A closed spool segment: a newline-delimited JSON file of EventRow, written before acknowledgement. */
export interface SpoolSegment {
  /** Unique across restarts; recorded in the store in the same transaction as its rows. */
  id: string;
  path: string;
}

export interface Salt {
  /** Rotation period key, e.g. 'h24:20420' (period length in hours : period index since epoch). */
  period: string;
  /** 32 random bytes, hex. */
  secret: string;
  createdAt: number;
}

export interface Store {
  readonly dialect: DialectName;
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  listSites(): Promise<Site[]>;
  getSite(domain: string): Promise<Site | undefined>;
  /** Throws AppError('conflict') when the domain exists. */
  addSite(site: NewSite): Promise<Site>;
  updateSite(domain: string, patch: Partial<Pick<Site, 'timezone' | 'raw' | 'saltRotationHours'>>): Promise<Site>;
  /** Removes the site and every event of it; throws AppError('not_found'). */
  removeSite(domain: string): Promise<void>;

  listGoals(siteId: number): Promise<Goal[]>;
  /** Throws AppError('conflict') when the same goal exists. */
  addGoal(siteId: number, goal: NewGoal): Promise<Goal>;
  /** Throws AppError('not_found'). */
  removeGoal(siteId: number, goalId: number): Promise<void>;

  createApiKey(key: NewApiKey): Promise<ApiKey>;
  findApiKeyByHash(keyHash: string): Promise<ApiKey | undefined>;
  listApiKeys(): Promise<ApiKey[]>;
  /** Throws AppError('not_found'). */
  revokeApiKey(id: number): Promise<void>;

  listUsers(): Promise<User[]>;
  getUser(id: number): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  /** Throws AppError('conflict') when the e-mail exists. */
  createUser(user: NewUser): Promise<User>;
  /** Throws AppError('not_found'). */
  updateUser(id: number, patch: Partial<Pick<User, 'passwordHash' | 'role' | 'siteIds'>>): Promise<User>;
  /** Also ends the user's login sessions. Throws AppError('not_found'). */
  deleteUser(id: number): Promise<void>;

  createLoginSession(session: LoginSession): Promise<void>;
  findLoginSession(idHash: string): Promise<LoginSession | undefined>;
  deleteLoginSession(idHash: string): Promise<void>;
  deleteLoginSessionsBefore(expiresBeforeMs: number): Promise<number>;

  createShareLink(link: NewShareLink): Promise<ShareLink>;
  listShareLinks(siteId: number): Promise<ShareLink[]>;
  findShareLink(slug: string): Promise<ShareLink | undefined>;
  /** Throws AppError('not_found'). */
  deleteShareLink(siteId: number, id: number): Promise<void>;

  /** Salt for a period, created (race-free) when missing. */
  getOrCreateSalt(period: string, createSecret: () => string, now: number): Promise<Salt>;
  /** Deletes salts created before `olderThanMs`; returns how many. */
  deleteSaltsBefore(olderThanMs: number): Promise<number>;

  /**
   * Inserts a closed spool segment exactly once: rows and the segment id are committed in
   * one transaction, and a segment already recorded is skipped. Returns rows inserted.
   */
  ingestSegment(segment: SpoolSegment): Promise<number>;
  /** True when the segment's rows are already committed. */
  hasSegment(segmentId: string): Promise<boolean>;

  /** Sessions still open at `sinceMs` (to resume sessions across a restart). */
  recentSessions(sinceMs: number): Promise<Array<{ site_id: number; visitor_id: string; session_id: string; last_ts: number }>>;

  /** Runs a compiled query with bound parameters ($1, $2, ... in `sql` as the dialect writes them). */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Streams a query's rows in chunks with constant memory. */
  stream(sql: string, params?: readonly unknown[]): AsyncIterable<Row[]>;
  /** Read-only console: one SELECT statement, enforced by the engine; cancelled at timeoutMs. */
  readOnlySql(sql: string, options: ReadOnlySqlOptions): Promise<SqlResult>;

  /** Inserts rows directly (migrations between stores, tests); not the ingest path. */
  insertEvents(rows: readonly EventRow[]): Promise<void>;
}
