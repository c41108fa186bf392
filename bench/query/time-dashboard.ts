/**
 * Times the dashboard queries on an open store through the real query engine (parse, plan,
 * compile, run), in the calling process, the same way for every store.
 *
 * Warm timing: every query runs once untimed, then `runs` rounds over the whole set (a round
 * is one dashboard load); each query's figure is the median of its rounds.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../../src/clock.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import type { Store } from '../../src/store/store.js';
import type { DashboardQuery } from './dashboard-queries.js';
import { median } from '../stats.js';

export interface DashboardRun {
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

/** Peak resident set of this process over its whole life (VmHWM), MiB. */
export function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Runs the set warm `runs` times on `store` and returns each query's timings. */
export async function timeDashboard(store: Store, run: DashboardRun): Promise<QueryTiming[]> {
  const site = await store.getSite(run.domain);
  if (!site) throw new Error(`no site ${run.domain} in the store`);
  const env = { store, clock: fixedClock(run.nowMs) };
  // Parsing is part of what a request costs, so it is inside the timed call.
  const runOnce = async (body: Record<string, unknown>) => runQuery(env, parseQuery(body), site);
  process.stderr.write('PHASE warmup\n');
  for (const q of run.queries) await runOnce(q.body);
  process.stderr.write('PHASE timed\n');
  const times = new Map<string, number[]>(run.queries.map((q) => [q.name, []]));
  const rows = new Map<string, number>();
  for (let round = 0; round < run.runs; round++) {
    for (const q of run.queries) {
      const started = performance.now();
      const result = await runOnce(q.body);
      times.get(q.name)!.push(performance.now() - started);
      rows.set(q.name, result.results.length);
    }
  }
  return run.queries.map((q) => {
    const t = times.get(q.name)!;
    return { name: q.name, medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), rows: rows.get(q.name) ?? 0 };
  });
}
