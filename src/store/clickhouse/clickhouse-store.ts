/**
 * The ClickHouse store, the scale-out engine: one server or a cluster over HTTP through the
 * official @clickhouse/client, or the in-process engine of the optional chdb package
 * (`chdb://<dir>`), with the same code.
 *
 * Exactly-once ingest without transactions: ClickHouse has no multi-statement transactions,
 * so a segment's rows and its id cannot commit together. Instead every insert of a segment is
 * idempotent: chunk k is inserted with insert_deduplication_token '<segment id>:<k>' (the spool
 * file and the chunking are the same on a retry, so the tokens are too), and the events table
 * keeps the tokens of its last 10,000 inserts. A crash between the rows and the
 * ingested_segments row is repaired by the retry: the rows are dropped as duplicates, the id is
 * recorded. Only a retry that comes after 10,000 newer inserts (hours of traffic) could insert a
 * segment twice — an at-least-once window, not a gap.
 */
import { AppError } from '../../errors.js';
import { EVENT_COLUMNS, type EventRow } from '../event-row.js';
import { readSegmentChunks } from '../segment-lines.js';
import type { ReadOnlySqlOptions, Row, Salt, SpoolSegment, SqlResult, Store } from '../store.js';
import { ClickHouseMetadata } from './clickhouse-metadata.js';
import { dateTime64Param, headedRows, rethrow } from './clickhouse-base.js';
import { runReadOnly } from './read-only-console.js';
import { bootstrapDdl, clickhouseMigrations, createDatabaseDdl } from './schema.js';

/** Rows per INSERT: ClickHouse wants few, large inserts (each makes a part). */
const INSERT_CHUNK_ROWS = 50_000;
/** Tokens tried per salt period (each deletion of the period's salt uses one up). */
const SALT_ATTEMPTS = 16;
/** Rows per chunk yielded by stream(). */
const STREAM_CHUNK_ROWS = 1000;

/** Store.query's positional params as the named p1, p2, ... the dialect's placeholders use. */
function namedParams(params: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  params.forEach((value, i) => {
    out[`p${i + 1}`] = typeof value === 'bigint' ? value.toString() : value;
  });
  return out;
}

/**
 * The site id of a spool line that readSegmentChunks has checked to be a flat JSON event object.
 * Inside a JSON string a quote is escaped, so `"site_id":` can only be the top-level key.
 */
function siteIdOf(line: string): number {
  const match = /"site_id"\s*:\s*(-?\d+)/.exec(line);
  return match ? Number(match[1]) : Number.NaN;
}

export class ClickHouseStore extends ClickHouseMetadata implements Store {
  readonly dialect = 'clickhouse' as const;

  async migrate(): Promise<void> {
    try {
      await this.transport.createDatabase(createDatabaseDdl(this.target));
    } catch (err) {
      rethrow(err);
    }
    await this.command(bootstrapDdl(this.target));
    const done = await this.rows('SELECT max(version) AS v, count() AS n FROM schema_migrations');
    const current = Number(done[0]?.n ?? 0) === 0 ? -1 : Number(done[0]?.v);
    const migrations = clickhouseMigrations(this.target);
    // Every statement is idempotent, so processes migrating at once do no harm.
    for (let version = current + 1; version < migrations.length; version++) {
      for (const statement of migrations[version]!) await this.command(statement);
      await this.insertObjects('schema_migrations', [{ version, applied_at: Date.now() }], `migration:${version}`);
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  // --- salts -------------------------------------------------------------------------

  async getOrCreateSalt(period: string, createSecret: () => string, now: number): Promise<Salt> {
    const select = 'SELECT period, secret, created_at FROM salts FINAL WHERE period = {period:String}';
    let row = (await this.rows(select, { period }))[0];
    // Race-free: every process inserts its candidate with the same token, the engine keeps
    // only the first one to commit, and everyone then reads that one. When the row is still
    // missing, the token was used before (the salt was deleted since): every racer moves on to
    // the next token together.
    for (let attempt = 0; !row && attempt < SALT_ATTEMPTS; attempt++) {
      await this.insertObjects('salts', [{ period, secret: createSecret(), created_at: now }], `salt:${period}:${attempt}`);
      row = (await this.rows(select, { period }))[0];
    }
    if (!row) throw new AppError('store', `clickhouse: salt ${period} could not be stored`);
    return { period: String(row.period), secret: String(row.secret), createdAt: Number(row.created_at) };
  }

  async deleteSaltsBefore(olderThanMs: number): Promise<number> {
    const where = `created_at < toDateTime64({before:String}, 3, 'UTC')`;
    const params = { before: dateTime64Param(olderThanMs) };
    const count = Number((await this.rows(`SELECT count() AS n FROM salts FINAL WHERE ${where}`, params))[0]?.n ?? 0);
    // A mutation rewrites the parts, so the secrets are gone from disk, not only hidden.
    if (count > 0) await this.command(`ALTER TABLE salts DELETE WHERE ${where}`, params, { mutations_sync: '2' });
    return count;
  }

  // --- ingest ------------------------------------------------------------------------

  async ingestSegment(segment: SpoolSegment): Promise<number> {
    if (await this.hasSegment(segment.id)) return 0;
    // Events of a site removed since they were accepted are dropped: removing a site removes all
    // its events, also those still waiting in a spool (as in the other stores). Without
    // transactions a removal by another process between this read and the insert can still
    // leave that site's rows of this one segment behind (see SECURITY.md).
    const sites = new Set((await this.rows('SELECT id FROM sites FINAL')).map((r) => Number(r.id)));
    let inserted = 0;
    let chunk = 0;
    for await (const lines of readSegmentChunks(segment.path, INSERT_CHUNK_ROWS)) {
      const known = lines.filter((line) => sites.has(siteIdOf(line)));
      // The token counts every chunk, kept or not, so a retry sends each chunk under the same one.
      await this.insertJsonLines('events', EVENT_COLUMNS, known, `${segment.id}:${chunk++}`);
      inserted += known.length;
    }
    await this.insertObjects('ingested_segments', [{ id: segment.id, rows: inserted, ingested_at: Date.now() }], `segment:${segment.id}`);
    return inserted;
  }

  async hasSegment(segmentId: string): Promise<boolean> {
    return (await this.rows('SELECT 1 AS x FROM ingested_segments WHERE id = {id:String} LIMIT 1', { id: segmentId })).length > 0;
  }

  async recentSessions(sinceMs: number) {
    const rows = await this.rows(
      `SELECT site_id, toString(visitor_id) AS visitor_id, toString(argMax(session_id, ts)) AS session_id,
              toUnixTimestamp64Milli(max(ts)) AS last_ts
       FROM events WHERE ts >= fromUnixTimestamp64Milli({since:Int64}, 'UTC') GROUP BY site_id, visitor_id`,
      { since: sinceMs },
    );
    return rows.map((r) => ({
      site_id: Number(r.site_id), visitor_id: String(r.visitor_id), session_id: String(r.session_id), last_ts: Number(r.last_ts),
    }));
  }

  async insertEvents(rows: readonly EventRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
      const lines = rows.slice(i, i + INSERT_CHUNK_ROWS).map((row) => JSON.stringify(row));
      await this.insertJsonLines('events', EVENT_COLUMNS, lines);
    }
  }

  // --- queries -----------------------------------------------------------------------

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.rows(sql, namedParams(params));
  }

  async *stream(sql: string, params: readonly unknown[] = []): AsyncIterable<Row[]> {
    let header: unknown[][] = [];
    let pending: unknown[][] = [];
    try {
      for await (const rows of this.transport.streamCompact(sql, namedParams(params))) {
        let data = rows;
        if (header.length < 2) {
          const need = 2 - header.length;
          header = header.concat(rows.slice(0, need));
          data = rows.slice(need);
        }
        pending = pending.concat(data);
        while (pending.length >= STREAM_CHUNK_ROWS) {
          yield headedRows([...header, ...pending.slice(0, STREAM_CHUNK_ROWS)]);
          pending = pending.slice(STREAM_CHUNK_ROWS);
        }
      }
    } catch (err) {
      rethrow(err);
    }
    if (pending.length > 0) yield headedRows([...header, ...pending]);
  }

  async readOnlySql(sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
    return this.transport.isolated((client) => runReadOnly(client, sql, options));
  }
}
