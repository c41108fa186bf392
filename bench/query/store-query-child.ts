/**
 * Child process: opens a loaded Postgres or ClickHouse store by URL and times the dashboard
 * queries through the real query engine in this process (time-dashboard.ts), like
 * query-child.ts does for DuckDB. With chdb the engine runs inside this process, so its memory
 * is this process's; with Postgres the work happens in the server's backends (the parent
 * samples those separately).
 *
 * Input: one JSON argument (StoreQueryInput). Output: `QUERY_JSON {...}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { openBenchStore } from './open-bench-store.js';
import { peakRssMb, timeDashboard, type DashboardRun } from './time-dashboard.js';
import type { QueryOutput } from './query-child.js';

export interface StoreQueryInput extends DashboardRun {
  url: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as StoreQueryInput;
  const openStarted = performance.now();
  const { store } = await openBenchStore(input.url);
  const openMs = performance.now() - openStarted;
  try {
    const queries = await timeDashboard(store, input);
    const output: QueryOutput = { queries, hwmMb: peakRssMb(), openMs };
    process.stdout.write(`QUERY_JSON ${JSON.stringify(output)}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stdout.write(`QUERY_ERROR ${JSON.stringify(err instanceof Error ? err.message : String(err))}\n`);
  process.stderr.write(`store-query-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
