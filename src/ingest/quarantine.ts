/**
 * Where a spool segment goes when the store keeps refusing its content (store-failure.ts):
 * `<data>/spool/quarantine/<segment id>.ndjson`, with `<segment id>.error.txt` beside it saying
 * when and why. The file is moved, not copied or deleted: its events were acknowledged, so they
 * stay on disk for a person to inspect, fix and replay (docs/operations.md). The spool's replay
 * at start-up reads only the spool directory itself, so a quarantined segment is never retried
 * by itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpoolSegment } from '../store/store.js';

export const QUARANTINE_DIR = 'quarantine';

export interface QuarantineRecord {
  /** Where the segment now is. */
  path: string;
  /** Where the error note is. */
  notePath: string;
}

/**
 * Moves the segment into the quarantine directory under `spoolDir` and writes the error note.
 * A rename within one file system: it needs no free space and is atomic, so a crash leaves the
 * segment either in the spool (retried at the next start) or in quarantine, never in both.
 */
export function quarantineSegment(spoolDir: string, segment: SpoolSegment, reason: string, attempts: number, now: number): QuarantineRecord {
  const dir = path.join(spoolDir, QUARANTINE_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, path.basename(segment.path));
  fs.renameSync(segment.path, target);
  const notePath = path.join(dir, `${segment.id}.error.txt`);
  const note = `segment ${segment.id} quarantined at ${new Date(now).toISOString()} after ${attempts} attempts\n`
    + `the store refused it: ${reason}\n`;
  try {
    fs.writeFileSync(notePath, note, { mode: 0o600 });
  } catch {
    // A full disk may refuse the note; the segment is safe and the log line says the same.
  }
  return { path: target, notePath };
}
