/**
 * Child process: generates a data set and loads it into a fresh DuckDB file, then
 * checkpoints and closes it so that its size is what a running server would keep on disk.
 *
 * Two ways in, both public Store methods, selectable to compare them:
 * - 'segments': rows are written as NDJSON segments exactly like the collector's spool and
 *   handed to Store.ingestSegment, so DuckDB parses them on its own threads while this thread
 *   generates the next segment (one segment in flight);
 * - 'appender': Store.insertEvents in big batches (DuckDB's appender, one call per value).
 *
 * Input: one JSON argument (LoadInput). Progress on stderr; result `LOAD_JSON {...}` on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import { addDatasetSites, type LoadInput, type LoadOutput } from './dataset.js';
import { pumpGenerated, type BatchSink } from './pump-generated.js';
import { localDate } from '../stats.js';

/** Bytes of NDJSON gathered before one write(2): few syscalls without holding a whole segment. */
const WRITE_CHUNK = 1 << 20;

class SegmentWriter {
  private fd: number | undefined;
  private buffer = '';
  private count = 0;
  private index = 0;
  private file = '';

  constructor(private readonly dir: string) {}

  get rows(): number {
    return this.count;
  }

  add(row: EventRow): void {
    if (this.fd === undefined) {
      this.file = path.join(this.dir, `bench-${String(this.index++).padStart(6, '0')}.ndjson`);
      this.fd = fs.openSync(this.file, 'w');
    }
    this.buffer += `${JSON.stringify(row)}\n`;
    this.count++;
    if (this.buffer.length >= WRITE_CHUNK) this.writeOut();
  }

  /** Closes the current segment and returns it (undefined when empty). */
  close(): { id: string; path: string } | undefined {
    if (this.fd === undefined) return undefined;
    this.writeOut();
    fs.closeSync(this.fd);
    this.fd = undefined;
    this.count = 0;
    return { id: path.basename(this.file, '.ndjson'), path: this.file };
  }

  private writeOut(): void {
    if (this.buffer && this.fd !== undefined) fs.writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as LoadInput;
  const { dataset } = input;
  fs.mkdirSync(input.spoolDir, { recursive: true });
  const store = await DuckDbStore.open({ file: input.file, spoolDir: input.spoolDir });
  await store.migrate();
  const sites = await addDatasetSites(store, dataset);
  const largest = sites[0]!;

  const writer = new SegmentWriter(input.spoolDir);
  let batch: EventRow[] = [];
  const sink: BatchSink = input.mode === 'segments'
    ? {
      add: (row) => writer.add(row),
      get pending() { return writer.rows; },
      store: () => {
        const segment = writer.close()!;
        return store.ingestSegment(segment).then(() => fs.rmSync(segment.path, { force: true }));
      },
    }
    : {
      add: (row) => { batch.push(row); },
      get pending() { return batch.length; },
      store: () => {
        const rows = batch;
        batch = [];
        return store.insertEvents(rows);
      },
    };
  const { generated, bots, loadSec } = await pumpGenerated(dataset, sites, sink, input.batchRows, '');
  // A server re-sorts each day for compression an hour after it closes (day-compaction.ts);
  // a month loaded in minutes leaves part of that undone, so it is finished here, outside load_s.
  if (input.compactDays) {
    const compactStarted = performance.now();
    const compacted = await store.compactClosedDays();
    process.stderr.write(`PROGRESS compacted ${compacted} more closed days in ${((performance.now() - compactStarted) / 1000).toFixed(1)} s\n`);
  }

  const counts = await store.query(
    `SELECT count(*) AS stored, count(*) FILTER (WHERE site_id = $1) AS site_events,
            epoch_ms(min(ts) FILTER (WHERE site_id = $1)) AS first_ts, epoch_ms(max(ts) FILTER (WHERE site_id = $1)) AS last_ts
     FROM events`,
    [largest.id],
  );
  const c = counts[0]!;
  // close() checkpoints: the file then holds every row and the WAL is gone.
  await store.close();
  const wal = `${input.file}.wal`;
  const fileBytes = fs.statSync(input.file).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
  // Blocks freed by rewrites stay in the file until reused: the used figure shows the data alone.
  const reopened = await DuckDbStore.open({ file: input.file, readOnly: true });
  const size = (await reopened.query('SELECT used_blocks, block_size FROM pragma_database_size()'))[0]!;
  await reopened.close();

  const output: LoadOutput = {
    generated,
    stored: Number(c.stored),
    bots,
    siteEvents: Number(c.site_events),
    siteDomain: largest.domain,
    firstDay: localDate(Number(c.first_ts), largest.timezone),
    lastDay: localDate(Number(c.last_ts), largest.timezone),
    loadSec,
    fileBytes,
    usedBytes: Number(size.used_blocks) * Number(size.block_size),
  };
  process.stdout.write(`LOAD_JSON ${JSON.stringify(output)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`load-dataset failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
