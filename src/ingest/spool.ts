/**
 * The append-only spool that makes an acknowledgement durable. Every accepted event is
 * written (one JSON line, one write(2)) to the current segment file before the collector
 * answers, so it survives kill -9 of the process. Segments are closed on flush and handed to
 * the store, which records each segment id with its rows; a segment left over by a crash is
 * replayed at start-up.
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

  /** Appends one event to the current segment; returns when the kernel has it. */
  append(row: EventRow): void {
    if (this.fd === undefined) this.openSegment();
    fs.writeSync(this.fd!, `${JSON.stringify(row)}\n`);
    this.current!.events++;
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
  }
}

function countLines(file: string): number {
  const data = fs.readFileSync(file);
  let lines = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
  return lines;
}
