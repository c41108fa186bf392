/**
 * Group commit for the spool: the events accepted during one event-loop turn are written with
 * one write(2) (Spool.appendMany) right after the turn's I/O callbacks (setImmediate), and
 * each caller's promise settles only once that write returned. An acknowledgement therefore
 * still means "in the spool file", at one system call per turn instead of one per event.
 */
import type { EventRow } from '../store/event-row.js';
import type { Spool } from './spool.js';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SpoolBatch {
  private rows: EventRow[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly spool: Spool) {}

  /** Resolves when the row is in the spool file; rejects (and nothing of its batch is kept) when the write failed. */
  add(row: EventRow): Promise<void> {
    this.rows.push(row);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.write());
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Rows waiting for the next write. */
  get size(): number {
    return this.rows.length;
  }

  private write(): void {
    const rows = this.rows;
    const waiters = this.waiters;
    this.rows = [];
    this.waiters = [];
    this.scheduled = false;
    try {
      this.spool.appendMany(rows);
    } catch (err) {
      for (const waiter of waiters) waiter.reject(err);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}
