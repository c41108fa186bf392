/**
 * Child process: opens a loaded DuckDB file the way the server does and times the dashboard
 * queries through the real query engine in this process (time-dashboard.ts), so the parent
 * can watch this process's memory alone. Only DuckDB is imported here: the other stores'
 * clients would add to the memory this process reports.
 *
 * Input: one JSON argument (QueryInput). Output: `QUERY_JSON {...}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { peakRssMb, timeDashboard, type DashboardRun, type QueryTiming } from './time-dashboard.js';

export type { QueryTiming } from './time-dashboard.js';

export interface QueryInput extends DashboardRun {
  file: string;
}

export interface QueryOutput {
  queries: QueryTiming[];
  /** Peak resident set of this process over its whole life (VmHWM), MiB. */
  hwmMb: number;
  openMs: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as QueryInput;
  const openStarted = performance.now();
  // Read-only: the file may be a cached data set that later runs reuse as it is.
  const store = await DuckDbStore.open({ file: input.file, readOnly: true });
  const openMs = performance.now() - openStarted;
  const queries = await timeDashboard(store, input);
  await store.close();
  const output: QueryOutput = { queries, hwmMb: peakRssMb(), openMs };
  process.stdout.write(`QUERY_JSON ${JSON.stringify(output)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`QUERY_ERROR ${JSON.stringify(err instanceof Error ? err.message : String(err))}\n`);
  process.stderr.write(`query-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
