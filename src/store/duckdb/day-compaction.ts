/**
 * Re-sorts each closed UTC day of events by (site_id, visitor_id, ts), once.
 *
 * Why: events arrive in time order, so neighbouring rows belong to different visitors and the
 * random 64-bit visitor_id and session_id columns cannot be compressed (8 B each of ~35 B per
 * event on the 10M bench). Sorted by visitor, each visitor's events form a run that DuckDB
 * stores once (RLE): both ids fall to ~2 B per event, while ts grows from ~2.7 to ~4.6 B
 * (time order is kept only within a visitor). Rows stay within their day, so the ts zone maps
 * still skip days outside a query's range, and within a day rows are grouped by site, so the
 * site_id zone maps now skip other sites' row groups too.
 *
 * A day is closed once an event an hour past its end is stored (spool flushes take seconds;
 * the hour covers a late replay). Events stored into a day after it was compacted (a replay
 * after a long outage) stay unsorted, which costs bytes, never answers. Ingest gives it about a
 * second per segment, so a store catching up on old days never holds the writer for long.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

const DAY_MS = 86_400_000;
/** How long after a day's end it is treated as closed. */
const CLOSE_AFTER_MS = 3_600_000;
/** Pause after a failed compaction (wall clock), so a persistent failure never slows every flush. */
const RETRY_AFTER_MS = 10 * 60_000;

export class DayCompactor {
  /** Start (UTC ms) of the first day not compacted yet; undefined until known. */
  private nextDayMs: number | undefined;
  /**
   * Wall-clock ms before which nothing is tried: the open day cannot close before an hour past
   * its end (events carry the server's receive time), so ingest skips the look-ups until then;
   * after a failure, a pause.
   */
  private notBefore = 0;
  /** The last failure, for diagnosis; compaction only saves bytes, so it never fails ingest. */
  lastError: unknown;

  constructor(private readonly conn: DuckDBConnection) {}

  /**
   * Compacts closed days, oldest first, until `budgetMs` have passed (at least one day when
   * one is closed: a day is never cut short). Returns how many were done.
   */
  async compactSome(transaction: <T>(task: () => Promise<T>) => Promise<T>, budgetMs: number): Promise<number> {
    const started = Date.now();
    // A bulk catch-up (no budget) looks even when ingest would wait.
    if (budgetMs === Infinity) this.notBefore = 0;
    let done = 0;
    while (Date.now() - started < budgetMs && (await this.compactNext(transaction)) !== undefined) done++;
    return done;
  }

  /**
   * Compacts the next day when it is closed. The caller holds the write lock and passes its
   * transaction runner; returns the day compacted (UTC ms) or undefined (none closed, or it
   * failed: the transaction rolled back and the day stays unsorted, which costs bytes, never
   * answers; the next day is tried after a pause).
   */
  async compactNext(transaction: <T>(task: () => Promise<T>) => Promise<T>): Promise<number | undefined> {
    if (Date.now() < this.notBefore) return undefined;
    const attempt: { day?: number } = {};
    try {
      return await this.tryNext(transaction, attempt);
    } catch (err) {
      this.lastError = err;
      // Skipped rather than retried: a day too big for the memory limit would fail every time.
      if (attempt.day !== undefined) this.nextDayMs = attempt.day + DAY_MS;
      this.notBefore = Date.now() + RETRY_AFTER_MS;
      return undefined;
    }
  }

  private async tryNext(transaction: <T>(task: () => Promise<T>) => Promise<T>, attempt: { day?: number }): Promise<number | undefined> {
    if (this.nextDayMs === undefined) {
      const done = await this.scalar('SELECT epoch_ms(max(day)) FROM compacted_days');
      if (done !== null) this.nextDayMs = done + DAY_MS;
    }
    // The next day that has events: days without any (a site paused, a stray old event) are
    // skipped rather than walked through one empty transaction and checkpoint at a time.
    const from = this.nextDayMs;
    const first = await this.scalar(from === undefined
      ? 'SELECT epoch_ms(min(ts)) FROM events'
      : `SELECT epoch_ms(min(ts)) FROM events WHERE ts >= epoch_ms(${from}::BIGINT)`);
    if (first === null) return undefined;
    const day = first - (((first % DAY_MS) + DAY_MS) % DAY_MS);
    const end = day + DAY_MS;
    // The ts zone maps make this look-up skip every row group before the day's end.
    const closed = await this.scalar(`SELECT 1 FROM events WHERE ts >= epoch_ms(${end + CLOSE_AFTER_MS}::BIGINT) LIMIT 1`);
    if (closed === null) {
      this.notBefore = end + CLOSE_AFTER_MS;
      return undefined;
    }
    attempt.day = day;
    await transaction(async () => {
      const range = `ts >= epoch_ms(${day}::BIGINT) AND ts < epoch_ms(${end}::BIGINT)`;
      await this.conn.run(`CREATE TEMP TABLE compact_day AS SELECT * FROM events WHERE ${range}`);
      await this.conn.run(`DELETE FROM events WHERE ${range}`);
      // Insertion order is preserved (DuckDB's default), so the rows land in this order.
      const moved = await this.conn.run('INSERT INTO events SELECT * FROM compact_day ORDER BY site_id, visitor_id, ts');
      await this.conn.run('DROP TABLE compact_day');
      await this.conn.run(`INSERT INTO compacted_days VALUES (epoch_ms(${day}::BIGINT), ${moved.rowsChanged}, now())`);
    });
    this.nextDayMs = end;
    // Frees the day's old blocks now, so the next rows reuse them instead of growing the file.
    await this.conn.run('CHECKPOINT');
    return day;
  }

  private async scalar(sql: string): Promise<number | null> {
    const value = (await this.conn.runAndReadAll(sql)).getRows()[0]?.[0];
    return value === null || value === undefined ? null : Number(value);
  }
}
