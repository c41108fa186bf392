/**
 * One bench run: tracker size, ingest + memory, queries + storage, then the budget checks.
 * Each part that fails is reported as n/a with a note; the run itself always completes, so a
 * missing engine or tool costs its own figures and nothing else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBudgets } from './budgets.js';
import { runIngestBench } from './ingest/ingest-bench.js';
import { wrkAvailable } from './ingest/wrk.js';
import { DEFAULT_OUT, type BenchOptions } from './options.js';
import type { Progress } from './progress.js';
import { runQueryBench } from './query/query-bench.js';
import { runStoreBench } from './query/store-bench.js';
import type { BenchResults, IngestResults, MemoryResults, QueryResults, StoreQueryResults } from './results.js';
import { bundleChildren, REPO_ROOT } from './system/bundle.js';
import { detectPinning } from './system/cpu-pinning.js';
import { formatProfile, summarizeProfile } from './system/cpu-profile.js';
import { machineInfo } from './system/machine.js';
import { measureTracker } from './tracker-bench.js';

function emptyIngest(): IngestResults {
  return {
    footfall_rps: null, bare_rps: null, ratio: null, p50_ms: null, p99_ms: null, p99_ms_half_load: null, p50_ms_half_load: null, p99_ms_half_load_runs: [], bare_p99_ms_half_load: null,
    half_load_rps: null, acknowledged: null, stored: null, dropped: null, errors: null, timeouts: null, sustained_rps: null, flushes: null, flush_mean_ms: null, rounds: [],
  };
}

function emptyStore(error?: string): StoreQueryResults {
  return { total_ms: null, max_query_ms: null, queries: {}, ...(error ? { error } : {}) };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function runBench(options: BenchOptions, progress: Progress): Promise<BenchResults> {
  const startedAt = new Date();
  const machine = machineInfo();
  const pinning = detectPinning();
  const notes: string[] = [];
  if (pinning.note) notes.push(pinning.note);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-bench-'));
  progress.step(`bench ${options.mode}: ${machine.cpus} cores (${machine.cpuModel}), load average ${machine.loadAverage}, work dir ${workDir}`);
  if (machine.loadAverage > 0.5) notes.push(`load average was ${machine.loadAverage} at the start: other work on the machine skews the figures`);

  let ingest = emptyIngest();
  const memory: MemoryResults = {
    idle_mb: null, idle_anon_mb: null, load_mb: null, load_anon_mb: null, max_rate_mb: null, query_mb: null, query_anon_mb: null,
  };
  const query: QueryResults = {
    events: null, generated: null, site_events: null, date_range: null, load_s: null,
    load_mode: options.query.loadMode, runs: options.query.runs, duckdb: emptyStore(),
  };
  const storage: BenchResults['storage'] = { bytes_per_event: null, used_bytes_per_event: null, file_bytes: null };
  let tracker: BenchResults['tracker'] = { min_bytes: null, gzip_bytes: null };

  const buildDir = path.join(REPO_ROOT, '.tmp', 'bench-build', String(process.pid));
  try {
    const scripts = await bundleChildren(buildDir);

    if (options.parts.has('tracker')) {
      try {
        tracker = await measureTracker();
        progress.step(`tracker: ${tracker.min_bytes} B minified, ${tracker.gzip_bytes} B gzipped`);
      } catch (err) {
        notes.push(`tracker: n/a (${messageOf(err)})`);
      }
    }

    if (options.parts.has('ingest')) {
      const useWrk = await wrkAvailable();
      if (!useWrk) notes.push('wrk is not installed (apt-get install -y wrk): max-rate runs used the bench\'s Node client, which may cap the bare server\'s rate');
      try {
        const profileDir = options.profile ? path.join(workDir, 'profile') : undefined;
        const out = await runIngestBench({
          options: options.ingest, pinning, workDir, progress, profileDir, useWrk,
          scripts: { bareServer: scripts['bare-gif-server'], loadClient: scripts['load-client'] },
        });
        ingest = out.ingest;
        Object.assign(memory, out.memory);
        notes.push(...out.notes);
        if (out.profileFile) {
          const kept = path.join(path.dirname(options.outFile ?? DEFAULT_OUT), 'footfall-serve.cpuprofile');
          fs.mkdirSync(path.dirname(kept), { recursive: true });
          fs.copyFileSync(out.profileFile, kept);
          progress.step(`${formatProfile(summarizeProfile(kept))}\n  (profile: ${kept}; open it in Chrome DevTools)`);
        }
      } catch (err) {
        notes.push(`ingest: n/a (${messageOf(err).split('\n')[0]})`);
        progress.step(`ingest failed: ${messageOf(err)}`);
      }
    }

    if (options.parts.has('query')) {
      if (options.stores.includes('duckdb')) {
        try {
          const out = await runQueryBench({
            options: options.query, workDir, progress,
            scripts: { loadDataset: scripts['load-dataset'], queryChild: scripts['query-child'] },
            loaderSources: scripts.sources['load-dataset'],
          });
          query.events = out.load.stored;
          query.generated = out.load.generated;
          query.site_events = out.load.siteEvents;
          query.date_range = out.dateRange;
          query.load_s = Math.round(out.load.loadSec * 10) / 10;
          query.duckdb = {
            ...out.duckdb, events: out.load.stored, site_events: out.load.siteEvents, load_s: query.load_s,
            bytes_per_event: Math.round((out.load.fileBytes / out.load.stored) * 10) / 10,
            query_mb: out.memory.query_mb, query_anon_mb: out.memory.query_anon_mb,
          };
          storage.file_bytes = out.load.fileBytes;
          storage.bytes_per_event = Math.round((out.load.fileBytes / out.load.stored) * 10) / 10;
          storage.used_bytes_per_event = Math.round((out.load.usedBytes / out.load.stored) * 10) / 10;
          Object.assign(memory, out.memory);
          notes.push(...out.notes);
          if (out.duckdb.total_ms !== null) progress.step(`query: dashboard total ${out.duckdb.total_ms} ms, slowest ${out.duckdb.max_query_ms} ms`);
        } catch (err) {
          notes.push(`query: n/a (${messageOf(err).split('\n')[0]})`);
          progress.step(`query bench failed: ${messageOf(err)}`);
        }
      }
      const duckdbEvents = query.events;
      for (const store of options.stores) {
        if (store !== 'postgres' && store !== 'clickhouse') continue;
        const out = await runStoreBench({
          store, options: options.query, workDir, progress, postgresUrl: options.postgresUrl,
          scripts: { loadStore: scripts['load-store'], storeQueryChild: scripts['store-query-child'] },
        }).catch((err: unknown) => ({ result: emptyStore(messageOf(err)), dateRange: null, notes: [`query.${store}: n/a (${messageOf(err).split('\n')[0]})`] }));
        query[store] = out.result;
        notes.push(...out.notes);
        if (out.result.total_ms !== null) progress.step(`query: ${store} dashboard total ${out.result.total_ms} ms, slowest ${out.result.max_query_ms} ms`);
        // The same generator, spec and seed: a different count means a store lost or added rows.
        if (duckdbEvents !== null && typeof out.result.events === 'number' && out.result.events !== duckdbEvents) {
          notes.push(`query.${store}: holds ${out.result.events} events where DuckDB holds ${duckdbEvents}`);
        }
        if (query.date_range === null && out.dateRange) query.date_range = out.dateRange;
        if (query.events === null && typeof out.result.events === 'number') query.events = out.result.events;
      }
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.rmSync(buildDir, { recursive: true, force: true });
  }

  const partial: Omit<BenchResults, 'budgets'> = {
    version: 1,
    mode: options.mode,
    started_at: startedAt.toISOString(),
    duration_s: Math.round(progress.elapsedSec * 10) / 10,
    machine,
    pinned: pinning.enabled,
    load_average_end: Number((os.loadavg()[0] ?? 0).toFixed(2)),
    ingest, memory, query, storage, tracker,
    notes,
  };
  return { ...partial, budgets: checkBudgets(partial) };
}

/** Writes the results as pretty JSON (creating the directory). */
export function writeResults(results: BenchResults, file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
