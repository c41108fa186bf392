/**
 * Child process: opens a loaded DuckDB file the way the server does and times the dashboard
 * queries through the real query engine (parse, plan, compile, run) in this process, so the
 * parent can watch this process's memory alone.
 *
 * Warm timing: every query runs once untimed, then `runs` rounds over the whole set (a round
 * is one dashboard load); each query's figure is the median of its rounds.
 *
 * Input: one JSON argument (QueryInput). Output: `QUERY_JSON {...}` on stdout.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../../src/clock.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { DashboardQuery } from './dashboard-queries.js';

export interface QueryInput {
  file: string;
  domain: string;
  queries: DashboardQuery[];
  runs: number;
  /** "now" for the engine, ms since epoch UTC (only relative date ranges would read it). */
  nowMs: number;
}

export interface QueryTiming {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Result rows of the last run (a zero here means the query measured nothing). */
  rows: number;
}

export interface QueryOutput {
  queries: QueryTiming[];
  /** Peak resident set of this process over its whole life (VmHWM), MiB. */
  hwmMb: number;
  openMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as QueryInput;
  const openStarted = performance.now();
  // Read-only: the file may be a cached data set that later runs reuse as it is.
  const store = await DuckDbStore.open({ file: input.file, readOnly: true });
  const site = await store.getSite(input.domain);
  if (!site) throw new Error(`no site ${input.domain} in ${input.file}`);
  const openMs = performance.now() - openStarted;
  const env = { store, clock: fixedClock(input.nowMs) };
  const parsed = input.queries.map((q) => ({ name: q.name, body: q.body }));

  // Parsing is part of what a request costs, so it is inside the timed call.
  const runOnce = async (body: Record<string, unknown>) => runQuery(env, parseQuery(body), site);
  process.stderr.write('PHASE warmup\n');
  for (const q of parsed) await runOnce(q.body);
  process.stderr.write('PHASE timed\n');
  const times = new Map<string, number[]>(parsed.map((q) => [q.name, []]));
  const rows = new Map<string, number>();
  for (let round = 0; round < input.runs; round++) {
    for (const q of parsed) {
      const started = performance.now();
      const result = await runOnce(q.body);
      times.get(q.name)!.push(performance.now() - started);
      rows.set(q.name, result.results.length);
    }
  }
  await store.close();
  const output: QueryOutput = {
    queries: parsed.map((q) => {
      const t = times.get(q.name)!;
      return { name: q.name, medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), rows: rows.get(q.name) ?? 0 };
    }),
    hwmMb: peakRssMb(),
    openMs,
  };
  process.stdout.write(`QUERY_JSON ${JSON.stringify(output)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`QUERY_ERROR ${JSON.stringify(err instanceof Error ? err.message : String(err))}\n`);
  process.stderr.write(`query-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
