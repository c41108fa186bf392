/**
 * The query, storage and query-memory bench for DuckDB: one child process generates and
 * loads the data set (then checkpoints and closes the file), a second opens the file afresh
 * and runs the dashboard queries while this process samples its memory. Separate processes
 * keep the loader's memory out of the query figure, as in a server that has been restarted.
 * Loaded data sets are cached between runs (dataset-cache.ts) unless the options say not to.
 */
import path from 'node:path';
import type { QueryOptions } from '../options.js';
import type { Progress } from '../progress.js';
import type { StoreQueryResults } from '../results.js';
import { MemorySampler } from '../system/proc-memory.js';
import { dashboardQueries, rangeStart } from './dashboard-queries.js';
import { addToCache, datasetKey, findCached } from './dataset-cache.js';
import type { LoadInput, LoadOutput } from './dataset.js';
import type { QueryInput, QueryOutput } from './query-child.js';
import { runChild } from './run-child.js';

export interface QueryBenchContext {
  options: QueryOptions;
  workDir: string;
  scripts: { loadDataset: string; queryChild: string };
  /** Source files of the loader bundle (part of the data set cache key). */
  loaderSources: readonly string[];
  progress: Progress;
}

export interface QueryBenchOutput {
  load: LoadOutput;
  duckdb: StoreQueryResults;
  dateRange: [string, string];
  memory: { query_mb: number | null; query_anon_mb: number | null };
  notes: string[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function runQueryBench(ctx: QueryBenchContext): Promise<QueryBenchOutput> {
  const { options, progress } = ctx;
  const notes: string[] = [];
  const loadInput: LoadInput = {
    dataset: { events: options.events, sites: options.sites, days: options.days, seed: options.seed, endMs: options.endMs },
    file: path.join(ctx.workDir, 'query-data', 'footfall.duckdb'),
    spoolDir: path.join(ctx.workDir, 'query-data', 'spool'),
    mode: options.loadMode,
    batchRows: options.batchRows,
    compactDays: options.compactDays,
  };
  if (!options.compactDays) {
    notes.push('closed days were re-sorted only as far as the load itself got (a server does all of them over time): storage per event is above the steady state; a full run compacts every day');
  }
  const key = options.cache ? datasetKey(loadInput, ctx.loaderSources) : undefined;
  const cached = key ? findCached(key) : undefined;
  let load: LoadOutput;
  let file = loadInput.file;
  if (cached) {
    ({ load, file } = cached);
    notes.push(`data set reused from ${path.relative(process.cwd(), cached.file)} (same seed, spec and sources); query.load_s is from the run that loaded it (--fresh loads again)`);
    progress.step(`query: reusing the loaded data set ${cached.file} (${load.stored.toLocaleString('en-US')} rows; --fresh to load again)`);
  } else {
    progress.step(`query: generating ${options.events.toLocaleString('en-US')} events (${options.sites} sites, ${options.days} days, seed ${options.seed}) into DuckDB (${options.loadMode})`);
    load = await runChild<LoadOutput>(ctx.scripts.loadDataset, loadInput, 'LOAD', progress);
    progress.step(`query: loaded ${load.stored.toLocaleString('en-US')} rows in ${load.loadSec.toFixed(1)}s (${Math.round(load.stored / load.loadSec).toLocaleString('en-US')} rows/s), file ${(load.fileBytes / 1e6).toFixed(1)} MB`);
    if (key) file = addToCache(key, file, load);
  }

  const from = rangeStart(load.lastDay, options.rangeDays);
  const queries = dashboardQueries(load.siteDomain, from, load.lastDay);
  const queryInput: QueryInput = { file, domain: load.siteDomain, queries, runs: options.runs, nowMs: options.endMs };
  progress.step(`query: ${queries.length} dashboard queries on ${load.siteDomain} (${load.siteEvents.toLocaleString('en-US')} events) for ${from}..${load.lastDay}, warm, median of ${options.runs}`);
  let sampler: MemorySampler | undefined;
  let duckdb: StoreQueryResults;
  let memory: QueryBenchOutput['memory'] = { query_mb: null, query_anon_mb: null };
  try {
    const out = await runChild<QueryOutput>(ctx.scripts.queryChild, queryInput, 'QUERY', progress, (pid) => {
      sampler = new MemorySampler(pid, 20).start();
    });
    const peak = sampler!.stop();
    const medians = out.queries.map((q) => q.medianMs);
    duckdb = {
      total_ms: round1(medians.reduce((a, b) => a + b, 0)),
      max_query_ms: round1(Math.max(...medians)),
      queries: Object.fromEntries(out.queries.map((q) => [`${q.name}_ms`, round1(q.medianMs)])),
    };
    for (const q of out.queries) if (q.rows === 0) notes.push(`query ${q.name} returned no rows: its time measures an empty answer`);
    memory = { query_mb: round1(Math.max(peak.rssMb, out.hwmMb)), query_anon_mb: round1(peak.anonMb) };
  } catch (err) {
    sampler?.stop();
    const message = err instanceof Error ? err.message : String(err);
    notes.push(`DuckDB queries: n/a (${message.split('\n')[0]})`);
    duckdb = { total_ms: null, max_query_ms: null, queries: Object.fromEntries(queries.map((q) => [`${q.name}_ms`, null])), error: message };
  }
  return { load, duckdb, dateRange: [from, load.lastDay], memory, notes };
}
