/**
 * The append-only spool that makes an acknowledgement durable. Every accepted event is
 * written (one JSON line each; the events of one event-loop turn in one write(2): see
 * spool-batch.ts) to the current segment file before the collector
 * answers, so it survives kill -9 of the process. Segments are closed on flush and handed to
 * the store, which records each segment id with its rows; a segment left over by a crash is
 * replayed at start-up.
 *
 * A write that fails (disk full: ENOSPC, or a file size limit: EFBIG) throws and is not
 * acknowledged; whatever part of its line reached the file is cut off again, so the next line
 * starts clean. (Readers also skip a cut-short last line: see store/segment-lines.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventRow } from '../store/event-row.js';
import type { SpoolSegment } from '../store/store.js';

export interface ClosedSegment extends SpoolSegment {
  /** Events in the segment (counted lines for leftovers). */
  events: number;
}

const SUFFIX = '.ndjson';

export class Spool {
  private fd: number | undefined;
  private current: ClosedSegment | undefined;
  /** Bytes of whole lines in the open segment: where a failed write is cut back to. */
  private currentBytes = 0;
  /** Segments closed early because a failed write could not be cut back (see append). */
  private sealed: ClosedSegment[] = [];

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  /** Segments already on disk (from before a crash or an unfinished shutdown), oldest first. */
  leftovers(): ClosedSegment[] {
    return fs.readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX))
      .sort()
      .map((f) => {
        const file = path.join(this.dir, f);
        return { id: f.slice(0, -SUFFIX.length), path: file, events: countLines(file) };
      });
  }

  /**
   * Appends one event to the current segment; returns when the kernel has it. Throws when the
   * line could not be written whole (the event must then not be acknowledged).
   */
  append(row: EventRow): void {
    this.appendMany([row]);
  }

  /**
   * Appends events as one write(2) (the collector batches those accepted in one event-loop
   * turn); returns when the kernel has all of them. Throws when they could not all be written
   * whole: none of them may then be acknowledged, and none stays in the segment.
   */
  appendMany(rows: readonly EventRow[]): void {
    if (rows.length === 0) return;
    if (this.fd === undefined) this.openSegment();
    const fd = this.fd!;
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    const line = Buffer.from(text);
    let written = 0;
    try {
      // A regular file takes the line in one write(2); a short count means the disk filled up
      // mid-line, and the next write reports why.
      while (written < line.length) written += fs.writeSync(fd, line, written);
    } catch (err) {
      if (written > 0) this.cutBack(fd);
      throw err;
    }
    this.currentBytes += line.length;
    this.current!.events += rows.length;
  }

  /** Segments closed because of a failed write since the last call (to be stored like rotated ones). */
  takeSealed(): ClosedSegment[] {
    const sealed = this.sealed;
    this.sealed = [];
    return sealed;
  }

  /** True while the segment file is on disk (someone may have removed it by hand). */
  exists(segment: SpoolSegment): boolean {
    return fs.existsSync(segment.path);
  }

  /** Events in the open segment. */
  get currentEvents(): number {
    return this.current?.events ?? 0;
  }

  /** Closes the open segment (if it holds events) and returns it; the next append opens a new one. */
  rotate(): ClosedSegment | undefined {
    if (this.fd === undefined || !this.current || this.current.events === 0) return undefined;
    fs.closeSync(this.fd);
    const closed = this.current;
    this.fd = undefined;
    this.current = undefined;
    return closed;
  }

  /**
   * Removes the start of a line a failed write left at the end of the segment. Shrinking a file
   * needs no free space, so this only fails on a broken disk; the segment is then closed as it
   * is (its readers skip the cut-short line) and the next event goes to a new one.
   */
  private cutBack(fd: number): void {
    try {
      fs.ftruncateSync(fd, this.currentBytes);
    } catch {
      fs.closeSync(fd);
      if (this.current && this.current.events > 0) this.sealed.push(this.current);
      else if (this.current) fs.rmSync(this.current.path, { force: true });
      this.fd = undefined;
      this.current = undefined;
    }
  }

  /** Deletes a segment once the store has committed it. */
  remove(segment: SpoolSegment): void {
    fs.rmSync(segment.path, { force: true });
  }

  close(): ClosedSegment | undefined {
    return this.rotate();
  }

  private openSegment(): void {
    // Time first so that a directory listing sorts segments oldest first.
    const id = `${Date.now().toString().padStart(14, '0')}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const file = path.join(this.dir, id + SUFFIX);
    this.fd = fs.openSync(file, 'a', 0o600);
    this.current = { id, path: file, events: 0 };
    this.currentBytes = 0;
  }
}

function countLines(file: string): number {
  const data = fs.readFileSync(file);
  let lines = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
  return lines;
}
