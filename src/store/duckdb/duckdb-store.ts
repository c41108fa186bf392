/**
 * The embedded default store: one DuckDB file in the data directory, one writer process.
 * File access from SQL is disabled engine-wide (only the spool directory is readable, so a
 * closed spool segment is inserted by DuckDB itself, off the Node event loop).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';
import { AppError, messageOf } from '../../errors.js';
import { EVENT_COLUMNS, type EventRow } from '../event-row.js';
import type { ReadOnlySqlOptions, Row, Salt, SpoolSegment, SqlResult, Store } from '../store.js';
import { DUCKDB_MIGRATIONS } from './migrations.js';
import { runReadOnly } from './read-only-console.js';
import { Serial } from './serial.js';
import { plainRow } from './values.js';
import { DuckDbMetadata } from './duckdb-metadata.js';
import { DayCompactor } from './day-compaction.js';
import { SaltFile } from './salt-file.js';

export interface DuckDbStoreOptions {
  /** Path of the database file. */
  file: string;
  /** Directory of spool segments, the only one SQL may read files from. */
  spoolDir?: string;
  /** Open without write access (CLI while no server runs; several readers may share). */
  readOnly?: boolean;
  /** DuckDB's memory limit, MiB (default DEFAULT_MEMORY_LIMIT_MB). */
  memoryLimitMb?: number;
}

/**
 * Memory DuckDB may hold (cached blocks, hash tables), MiB. DuckDB's default is 80% of RAM, so
 * a server keeps every block it ever read: on the 10M-event bench the dashboard's process peaked
 * near 700 MB. Past the limit DuckDB evicts cached blocks (re-read from the OS page cache) and
 * spills operators to its temp directory (default: `<file>.tmp` beside the database, inside the
 * data dir; spilling works with external access disabled: a 5M-row sort of every column ran at
 * this limit). Lower is not safe: with two threads a sort of wide rows (export of a raw-mode
 * site, ORDER BY ts) failed to pin its blocks at 160 MiB.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 176;

/** Writer time, ms, that closed-day compaction may take after one ingested segment. */
const COMPACT_BUDGET_MS = 1000;

/** Column list with the DuckDB type read_json must produce for each spool field. */
const SPOOL_JSON_COLUMNS = {
  site_id: 'INTEGER', ts: 'BIGINT', name: 'VARCHAR', hostname: 'VARCHAR', pathname: 'VARCHAR',
  title: 'VARCHAR', query: 'VARCHAR', referrer: 'VARCHAR', referrer_source: 'VARCHAR',
  utm_source: 'VARCHAR', utm_medium: 'VARCHAR', utm_campaign: 'VARCHAR', utm_term: 'VARCHAR',
  utm_content: 'VARCHAR', country: 'VARCHAR', browser: 'VARCHAR', browser_version: 'VARCHAR',
  os: 'VARCHAR', os_version: 'VARCHAR', device: 'VARCHAR', screen_width: 'SMALLINT',
  visitor_id: 'VARCHAR', session_id: 'VARCHAR', props: 'VARCHAR', revenue_amount: 'DOUBLE',
  revenue_currency: 'VARCHAR', scroll_depth: 'SMALLINT', engagement_ms: 'INTEGER',
  interactive: 'BOOLEAN', ip: 'VARCHAR', headers: 'VARCHAR',
} satisfies Record<(typeof EVENT_COLUMNS)[number], string>;

const SPOOL_SELECT = EVENT_COLUMNS.map((c) => {
  if (c === 'ts') return 'epoch_ms(ts) AS ts';
  if (c === 'visitor_id' || c === 'session_id') return `CAST(${c} AS BIGINT) AS ${c}`;
  return c;
}).join(', ');

/** The salt file of the database file `file`: `footfall.duckdb` -> `footfall.duckdb.salts`. */
export function saltFilePath(file: string): string {
  return `${file}.salts`;
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class DuckDbStore extends DuckDbMetadata implements Store {
  readonly dialect = 'duckdb' as const;
  private readonly writeLock = new Serial();
  private readonly readLock = new Serial();
  private readonly consoleLock = new Serial();
  private readonly days: DayCompactor;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly consoleConn: DuckDBConnection,
    private readonly readOnly: boolean,
    private readonly salts: SaltFile,
  ) {
    super();
    this.days = new DayCompactor(writer);
  }

  static async open(options: DuckDbStoreOptions): Promise<DuckDbStore> {
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.file, {
        access_mode: options.readOnly ? 'READ_ONLY' : 'READ_WRITE',
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // DuckDB counts the machine's cores, not the ones this process may use (taskset, cpusets):
        // extra threads on a shared core only add switching (a spool segment's insert took twice
        // the CPU with 2 threads on 1 core: 12.6 vs 6.5 us per event).
        threads: String(os.availableParallelism()),
      });
    } catch (err) {
      const message = messageOf(err);
      if (/lock/i.test(message)) {
        throw new AppError('unavailable', `duckdb: ${options.file} is held by another process (is footfall serve running on this data dir?)`);
      }
      throw new AppError('store', `duckdb: cannot open ${options.file}: ${message}`);
    }
    const writer = await instance.connect();
    // Settings are instance-wide: fix them once, then lock them so no SQL can change them.
    await writer.run("SET TimeZone = 'UTC'");
    await writer.run(`SET memory_limit = '${Math.floor(options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB)}MiB'`);
    // Freed memory goes back to the system soon (a background thread, and after any task that
    // freed more than 8 MiB) rather than staying in the allocator's caches.
    await writer.run('SET allocator_background_threads = true');
    await writer.run(`SET allocator_flush_threshold = '8MiB'`);
    await writer.run(`SET allocator_bulk_deallocation_flush_threshold = '8MiB'`);
    if (options.spoolDir) {
      const dir = path.resolve(options.spoolDir) + path.sep;
      await writer.run(`SET allowed_directories = [${sqlString(dir)}]`);
    }
    await writer.run('SET enable_external_access = false');
    await writer.run('SET lock_configuration = true');
    // Salts live beside the database file, not in it (salt-file.ts says why).
    let salts: SaltFile;
    try {
      salts = options.file === ':memory:' ? SaltFile.inMemory() : SaltFile.open(saltFilePath(options.file), !!options.readOnly);
    } catch (err) {
      writer.closeSync();
      instance.closeSync();
      throw err;
    }
    const store = new DuckDbStore(instance, writer, await instance.connect(), await instance.connect(), !!options.readOnly, salts);
    return store;
  }

  async migrate(): Promise<void> {
    if (this.readOnly) return;
    await this.writeLock.run(async () => {
      await this.writer.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)');
      const done = await this.writer.runAndReadAll('SELECT coalesce(max(version), -1) AS v FROM schema_migrations');
      const current = Number(done.getRows()[0]?.[0] ?? -1);
      for (let version = current + 1; version < DUCKDB_MIGRATIONS.length; version++) {
        await this.transaction(async () => {
          await this.writer.run(DUCKDB_MIGRATIONS[version]!);
          await this.writer.run('INSERT INTO schema_migrations VALUES ($1, now())', [version]);
        });
      }
      // Salts kept in the salts table by earlier versions move to the salt file.
      const legacy = (await this.writer.runAndReadAll('SELECT period, secret, epoch_ms(created_at) AS created_at FROM salts')).getRowObjectsJS();
      for (const row of legacy) this.salts.add({ period: String(row.period), secret: String(row.secret), createdAt: Number(row.created_at) });
      if (legacy.length > 0) await this.writer.run('DELETE FROM salts');
    });
  }

  async close(): Promise<void> {
    await this.writeLock.run(async () => {
      if (!this.readOnly) await this.writer.run('CHECKPOINT').catch(() => undefined);
      this.consoleConn.closeSync();
      this.reader.closeSync();
      this.writer.closeSync();
      this.instance.closeSync();
      this.salts.close();
    });
  }

  // --- salts -------------------------------------------------------------------------

  async getOrCreateSalt(period: string, createSecret: () => string, now: number): Promise<Salt> {
    return this.write(async () => {
      this.salts.add({ period, secret: createSecret(), createdAt: now });
      return this.salts.get(period)!;
    });
  }

  async deleteSaltsBefore(olderThanMs: number): Promise<number> {
    return this.write(async () => this.salts.deleteBefore(olderThanMs));
  }

  // --- ingest ------------------------------------------------------------------------

  async ingestSegment(segment: SpoolSegment): Promise<number> {
    return this.write(async () => {
      const stored = await this.insertSegment(segment);
      // Once a day, the day that just closed is re-sorted for compression (day-compaction.ts);
      // a bulk load of past days catches up about a second per segment.
      if (stored > 0) await this.days.compactSome((task) => this.transaction(task), COMPACT_BUDGET_MS);
      return stored;
    });
  }

  /** Re-sorts every closed day not compacted yet (ingest does one per segment); returns days done. */
  async compactClosedDays(): Promise<number> {
    return this.write(() => this.days.compactSome((task) => this.transaction(task), Infinity));
  }

  private insertSegment(segment: SpoolSegment): Promise<number> {
    return this.transaction(async () => {
      const seen = await this.writer.runAndReadAll('SELECT 1 FROM ingested_segments WHERE id = $1', [segment.id]);
      if (seen.currentRowCount > 0) return 0;
      // A line cut short by a crash mid-write parses as all-null and is skipped. Events of a site
      // removed since they were accepted are dropped: removing a site removes all its events.
      // The site ids go in as a list: a join with sites made DuckDB buffer a big segment in memory.
      const columns = Object.entries(SPOOL_JSON_COLUMNS).map(([k, t]) => `${k}: '${t}'`).join(', ');
      const sites = (await this.writer.runAndReadAll('SELECT id FROM sites')).getRows().map((r) => Number(r[0]));
      const result = await this.writer.run(
        `INSERT INTO events SELECT ${SPOOL_SELECT} FROM read_json(${sqlString(segment.path)},
           format = 'newline_delimited', columns = {${columns}}, ignore_errors = true)
         WHERE site_id IS NOT NULL AND ts IS NOT NULL AND name IS NOT NULL AND site_id IN (${sites.length ? sites.join(', ') : 'NULL'})`,
      );
      await this.writer.run('INSERT INTO ingested_segments VALUES ($1, $2, now())', [segment.id, result.rowsChanged]);
      return result.rowsChanged;
    });
  }

  async hasSegment(segmentId: string): Promise<boolean> {
    const rows = await this.query('SELECT 1 AS x FROM ingested_segments WHERE id = $1', [segmentId]);
    return rows.length > 0;
  }

  async recentSessions(sinceMs: number) {
    const rows = await this.query(
      `SELECT site_id, CAST(visitor_id AS VARCHAR) AS visitor_id, CAST(arg_max(session_id, ts) AS VARCHAR) AS session_id,
              epoch_ms(max(ts)) AS last_ts
       FROM events WHERE ts >= epoch_ms($1::BIGINT) GROUP BY site_id, visitor_id`,
      [sinceMs],
    );
    return rows.map((r) => ({
      site_id: Number(r.site_id), visitor_id: String(r.visitor_id), session_id: String(r.session_id), last_ts: Number(r.last_ts),
    }));
  }

  async insertEvents(rows: readonly EventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.write(async () => {
      const appender = await this.writer.createAppender('events');
      for (const row of rows) {
        for (const column of EVENT_COLUMNS) {
          const value = row[column];
          if (column === 'ts') appender.appendTimestamp(new DuckDBTimestampValue(BigInt(row.ts) * 1000n));
          else if (column === 'visitor_id' || column === 'session_id') appender.appendBigInt(BigInt(value as string));
          else if (value === null) appender.appendNull();
          else if (typeof value === 'boolean') appender.appendBoolean(value);
          else if (typeof value === 'number') {
            if (column === 'revenue_amount') appender.appendDouble(value);
            else if (column === 'site_id' || column === 'engagement_ms') appender.appendInteger(value);
            else appender.appendSmallInt(value);
          } else appender.appendVarchar(String(value));
        }
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
    });
  }

  // --- queries -----------------------------------------------------------------------

  async query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.readLock.run(async () => {
      const reader = await this.reader.runAndReadAll(sql, params as DuckDBValue[]);
      return reader.getRowObjectsJS().map(plainRow);
    });
  }

  async *stream(sql: string, params: readonly unknown[] = []): AsyncIterable<Row[]> {
    // A dedicated connection per stream so that a slow consumer never blocks other queries.
    const connection = await this.instance.connect();
    try {
      const result = await connection.stream(sql, params as DuckDBValue[]);
      for await (const rows of result.yieldRowObjectJs()) {
        yield rows.map(plainRow);
      }
    } finally {
      connection.closeSync();
    }
  }

  async readOnlySql(sql: string, options: ReadOnlySqlOptions): Promise<SqlResult> {
    return this.consoleLock.run(() => runReadOnly(this.consoleConn, sql, options));
  }

  // --- helpers -----------------------------------------------------------------------

  protected async exec(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.write(async () => (await this.writer.run(sql, params as DuckDBValue[])).rowsChanged);
  }

  protected async execInTransaction(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<void> {
    await this.write(() => this.transaction(async () => {
      for (const [sql, params] of statements) await this.writer.run(sql, params as DuckDBValue[]);
    }));
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    if (this.readOnly) return Promise.reject(new AppError('unavailable', 'duckdb: the store is open read-only'));
    return this.writeLock.run(task);
  }

  /** Runs `task` inside BEGIN/COMMIT on the writer connection (caller holds the write lock). */
  private async transaction<T>(task: () => Promise<T>): Promise<T> {
    await this.writer.run('BEGIN TRANSACTION');
    try {
      const result = await task();
      await this.writer.run('COMMIT');
      return result;
    } catch (err) {
      await this.writer.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
}
