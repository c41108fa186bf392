/**
 * Opens a Postgres or ClickHouse store for the bench by its URL, and knows how to bring a
 * freshly loaded one to the state a running server reaches by itself (see load-store.ts).
 * Only these two adapters are imported: the DuckDB package would add to the memory the
 * query child reports.
 */
import { openClickHouseStore } from '../../src/store/clickhouse/open.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import type { Store } from '../../src/store/store.js';

export interface BenchStore {
  store: Store;
  /** Postgres: VACUUM ANALYZE events; ClickHouse: OPTIMIZE TABLE events FINAL. */
  settle(): Promise<void>;
}

export async function openBenchStore(url: string): Promise<BenchStore> {
  if (/^postgres(ql)?:/i.test(url)) {
    const store = await openPostgresStore(url);
    return { store, settle: async () => { await store.query('VACUUM ANALYZE events'); } };
  }
  const store = await openClickHouseStore(url);
  return { store, settle: async () => { await store.query('OPTIMIZE TABLE events FINAL'); } };
}
