/**
 * The PostgreSQL store, for people who already run Postgres. Several Footfall processes may
 * share one database: metadata writes rely on unique constraints and ON CONFLICT, migrations
 * take an advisory lock, and a segment's rows commit in one transaction with its id.
 */
import type { EventRow } from '../event-row.js';
import { readSegmentChunks } from '../segment-lines.js';
import type { ReadOnlySqlOptions, Row, Salt, SpoolSegment, SqlResult, Store } from '../store.js';
import { ensureConsoleFunction } from './console-function.js';
import { insertEventJsonLines, PG_INSERT_CHUNK_ROWS } from './event-insert.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { rethrow } from './pg-errors.js';
import { NOW_UTC, PostgresMetadata, tsFromMs } from './postgres-metadata.js';
import { runReadOnly } from './read-only-console.js';
import { PG_TYPES, pgParams } from './values.js';

/** Any constant: the key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_301_946_211;
/** Rows per FETCH of stream(). */
const STREAM_CHUNK_ROWS = 1000;

export class PostgresStore extends PostgresMetadata implements Store {
  readonly dialect = 'postgres' as const;

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamp NOT NULL)');
      const done = await client.query<{ v: number }>('SELECT coalesce(max(version), -1) AS v FROM schema_migrations');
      const current = Number(done.rows[0]?.v ?? -1);
      for (let version = current + 1; version < POSTGRES_MIGRATIONS.length; version++) {
        await client.query(POSTGRES_MIGRATIONS[version]!);
        await client.query(`INSERT INTO schema_migrations VALUES ($1, ${NOW_UTC})`, [version]);
      }
      await ensureConsoleFunction(client);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // --- salts -------------------------------------------------------------------------

  async getOrCreateSalt(period: string, createSecret: () => string, now: number): Promise<Salt> {
    const select = 'SELECT * FROM salts WHERE period = $1';
    let rows = await this.rows(select, [period]);
    if (!rows[0]) {
      // ON CONFLICT waits for a concurrent creator and then keeps its row; the SELECT after it
      // runs with a new snapshot, so every process reads the same winner.
      await this.rows(`INSERT INTO salts VALUES ($1, $2, ${tsFromMs('$3')}) ON CONFLICT (period) DO NOTHING`, [period, createSecret(), now]);
      rows = await this.rows(select, [period]);
    }
    const row = rows[0]!;
    return { period: String(row.period), secret: String(row.secret), createdAt: Number(row.created_at) };
  }

  async deleteSaltsBefore(olderThanMs: number): Promise<number> {
    const rows = await this.rows(`DELETE FROM salts WHERE created_at < ${tsFromMs('$1')} RETURNING period`, [olderThanMs]);
    return rows.length;
  }

  // --- ingest ------------------------------------------------------------------------

  async ingestSegment(segment: SpoolSegment): Promise<number> {
    return this.transaction(async (client) => {
      // Claiming the id first makes a concurrent ingest of the same segment wait on the unique
      // index and then find it taken; a crash before COMMIT rolls back rows and claim together.
      const claim = await client.query(
        `INSERT INTO ingested_segments (id, rows, ingested_at) VALUES ($1, 0, ${NOW_UTC}) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [segment.id],
      );
      if (claim.rowCount === 0) return 0;
      // Events of a site removed since they were accepted are dropped: removing a site removes
      // all its events, also those still waiting in a spool (as in the DuckDB store).
      let inserted = 0;
      for await (const lines of readSegmentChunks(segment.path, PG_INSERT_CHUNK_ROWS)) {
        inserted += await insertEventJsonLines(client, lines, true);
      }
      await client.query('UPDATE ingested_segments SET rows = $2 WHERE id = $1', [segment.id, inserted]);
      return inserted;
    });
  }

  async hasSegment(segmentId: string): Promise<boolean> {
    return (await this.rows('SELECT 1 AS x FROM ingested_segments WHERE id = $1', [segmentId])).length > 0;
  }

  async recentSessions(sinceMs: number) {
    const rows = await this.rows(
      `SELECT site_id, visitor_id::text AS visitor_id, ((array_agg(session_id ORDER BY ts DESC))[1])::text AS session_id,
              max(ts) AS last_ts
       FROM events WHERE ts >= ${tsFromMs('$1')} GROUP BY site_id, visitor_id`,
      [sinceMs],
    );
    return rows.map((r) => ({
      site_id: Number(r.site_id), visitor_id: String(r.visitor_id), session_id: String(r.session_id), last_ts: Number(r.last_ts),
    }));
  }

  async insertEvents(rows: readonly EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.transaction(async (client) => {
      for (let i = 0; i < rows.length; i += PG_INSERT_CHUNK_ROWS) {
        await insertEventJsonLines(client, rows.slice(i, i + PG_INSERT_CHUNK_ROWS).map((r) => JSON.stringify(r)));
      }
    });
  }

  // --- queries -----------------------------------------------------------------------

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.rows(sql, params);
  }

  async *stream(sql: string, params: readonly unknown[] = []): AsyncIterable<Row[]> {
    // A server-side cursor on a dedicated connection: memory holds one FETCH at a time.
    const client = await this.connect();
    let healthy = true;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query({ text: `DECLARE footfall_stream NO SCROLL CURSOR FOR ${sql}`, values: pgParams(params) });
      for (;;) {
        const result = await client.query<Row>({ text: `FETCH FORWARD ${STREAM_CHUNK_ROWS} FROM footfall_stream`, types: PG_TYPES });
        if (result.rows.length > 0) yield result.rows;
        if (result.rows.length < STREAM_CHUNK_ROWS) break;
      }
    } catch (err) {
      rethrow(err);
    } finally {
      // Also reached when the consumer stops early (the generator's return()).
      await client.query('ROLLBACK').catch(() => { healthy = false; });
      client.release(!healthy);
    }
  }

  async readOnlySql(sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
    return runReadOnly(this.pool, sql, options);
  }
}
