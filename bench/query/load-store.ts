/**
 * Child process: generates the query bench's data set (the same generator, spec and seed as
 * the DuckDB loader, so the same rows) and loads it into a Postgres or ClickHouse store named
 * by a URL, through the store's public batched insert (Store.insertEvents: json_to_recordset
 * statements on Postgres, JSONEachRow inserts on ClickHouse). One batch is in flight while the
 * next is generated, so generating overlaps the server's (or engine's) work.
 *
 * After the load it brings the store to the state a running server reaches on its own, and
 * times that apart (`prepareSec`): Postgres `VACUUM ANALYZE events` (what autovacuum does
 * after a bulk load: planner statistics and the visibility map), ClickHouse `OPTIMIZE TABLE
 * events FINAL` (the background merges of a long-running server, done at once).
 *
 * Input: one JSON argument (StoreLoadInput). Progress on stderr; `LOAD_JSON {...}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { SqlParams } from '../../src/query/compile/dialect.js';
import { dialectFor } from '../../src/query/compile/dialects.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/store.js';
import { addDatasetSites, type DatasetSpec, type LoadOutput } from './dataset.js';
import { openBenchStore } from './open-bench-store.js';
import { pumpGenerated, type BatchSink } from './pump-generated.js';
import { localDate } from '../stats.js';

export interface StoreLoadInput {
  dataset: DatasetSpec;
  /** postgres://… (a fresh, empty database) or chdb://<dir>. */
  url: string;
  /** Rows per Store.insertEvents call. */
  batchRows: number;
}

/** As the DuckDB loader's output, with the store's own size and upkeep in place of file sizes. */
export interface StoreLoadOutput extends Omit<LoadOutput, 'fileBytes' | 'usedBytes'> {
  /** VACUUM ANALYZE / OPTIMIZE FINAL after the load, seconds. */
  prepareSec: number;
  /** Bytes of the events table (Postgres: with its indexes and TOAST; ClickHouse: active parts on disk). */
  tableBytes: number | null;
}

async function siteCounts(store: Store, siteId: number): Promise<{ stored: number; site: number; first: number; last: number }> {
  const dialect = dialectFor(store.dialect);
  const total = await store.query('SELECT count(*) AS n FROM events');
  const params = new SqlParams(dialect);
  const site = await store.query(
    `SELECT count(*) AS n, ${dialect.epochMs('min(ts)')} AS first_ts, ${dialect.epochMs('max(ts)')} AS last_ts FROM events WHERE site_id = ${params.add(siteId)}`,
    params.values,
  );
  const row = site[0] ?? {};
  return { stored: Number(total[0]?.n ?? 0), site: Number(row.n ?? 0), first: Number(row.first_ts), last: Number(row.last_ts) };
}

async function tableBytes(store: Store): Promise<number | null> {
  const sql = store.dialect === 'postgres'
    ? `SELECT pg_total_relation_size('events') AS b`
    : `SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active AND database = currentDatabase() AND table = 'events'`;
  const value = (await store.query(sql))[0]?.b;
  return value === null || value === undefined ? null : Number(value);
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as StoreLoadInput;
  const { dataset } = input;
  const opened = await openBenchStore(input.url);
  const store = opened.store;
  await store.migrate();
  const sites = await addDatasetSites(store, dataset);
  const largest = sites[0]!;

  let batch: EventRow[] = [];
  const sink: BatchSink = {
    add: (row) => { batch.push(row); },
    get pending() { return batch.length; },
    store: () => {
      const rows = batch;
      batch = [];
      return store.insertEvents(rows);
    },
  };
  const { generated, bots, loadSec } = await pumpGenerated(dataset, sites, sink, input.batchRows, `${store.dialect}: `);

  const prepareStarted = performance.now();
  process.stderr.write(`PROGRESS ${store.dialect}: loaded in ${loadSec.toFixed(1)} s; ${store.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'OPTIMIZE FINAL'}\n`);
  await opened.settle();
  const prepareSec = (performance.now() - prepareStarted) / 1000;

  const c = await siteCounts(store, largest.id);
  const bytes = await tableBytes(store).catch(() => null);
  await store.close();
  const output: StoreLoadOutput = {
    generated, stored: c.stored, bots, siteEvents: c.site, siteDomain: largest.domain,
    firstDay: localDate(c.first, largest.timezone), lastDay: localDate(c.last, largest.timezone),
    loadSec, prepareSec, tableBytes: bytes,
  };
  process.stdout.write(`LOAD_JSON ${JSON.stringify(output)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`LOAD_ERROR ${JSON.stringify(err instanceof Error ? err.message : String(err))}\n`);
  process.stderr.write(`load-store failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
