/**
 * The dashboard query bench on Postgres or ClickHouse (chdb): a child generates the same data
 * set as the DuckDB bench and loads it into a fresh store (a new Postgres database, dropped
 * afterwards; a chdb directory in the run's work dir), then a second child opens the store and
 * times the same dashboard queries while this process samples its memory (and, on Postgres,
 * the server backends'). A store that is not available is reported as n/a with the reason.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { QueryOptions } from '../options.js';
import type { Progress } from '../progress.js';
import type { StoreQueryResults } from '../results.js';
import { REPO_ROOT } from '../system/bundle.js';
import { GroupMemorySampler, type GroupMemory } from '../system/group-memory.js';
import { MemorySampler } from '../system/proc-memory.js';
import { dashboardQueries, rangeStart } from './dashboard-queries.js';
import type { StoreLoadInput, StoreLoadOutput } from './load-store.js';
import { createPostgresTarget, type PostgresTarget } from './postgres-target.js';
import type { QueryOutput } from './query-child.js';
import { runChild } from './run-child.js';
import type { StoreQueryInput } from './store-query-child.js';

export type BenchedStore = 'postgres' | 'clickhouse';

export interface StoreBenchContext {
  store: BenchedStore;
  options: QueryOptions;
  workDir: string;
  progress: Progress;
  scripts: { loadStore: string; storeQueryChild: string };
  postgresUrl: string;
}

export interface StoreBenchOutput {
  result: StoreQueryResults;
  dateRange: [string, string] | null;
  notes: string[];
}

/** Rows per Store.insertEvents call: each adapter splits it in its own statements (5k / 50k rows). */
const INSERT_BATCH_ROWS = 50_000;
/** A 10M load or query run on a slow store may take long; beyond this the child is stopped. */
const CHILD_TIMEOUT_MS = 45 * 60_000;

const round1 = (n: number) => Math.round(n * 10) / 10;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error text, or undefined when chdb (an optional package, not in package.json) can be loaded. */
function chdbMissing(): string | undefined {
  try {
    createRequire(path.join(REPO_ROOT, 'package.json')).resolve('chdb');
    return undefined;
  } catch {
    return 'the optional chdb package is not installed (npm install chdb; see scripts/ci-chdb.sh)';
  }
}

export function unavailable(reason: string): StoreQueryResults {
  return { total_ms: null, max_query_ms: null, queries: {}, error: reason, events: null, load_s: null };
}

export async function runStoreBench(ctx: StoreBenchContext): Promise<StoreBenchOutput> {
  const { store, options, progress } = ctx;
  let pgTarget: PostgresTarget | undefined;
  let url: string;
  if (store === 'postgres') {
    const target = await createPostgresTarget(ctx.postgresUrl);
    if (typeof target === 'string') return { result: unavailable(target), dateRange: null, notes: [`query.postgres: n/a (${target})`] };
    pgTarget = target;
    url = target.url;
  } else {
    const missing = chdbMissing();
    if (missing) return { result: unavailable(missing), dateRange: null, notes: [`query.clickhouse: n/a (${missing})`] };
    url = `chdb://${path.join(ctx.workDir, 'clickhouse')}`;
  }
  const notes: string[] = [];
  try {
    const loadInput: StoreLoadInput = {
      dataset: { events: options.events, sites: options.sites, days: options.days, seed: options.seed, endMs: options.endMs },
      url,
      batchRows: Math.min(INSERT_BATCH_ROWS, options.batchRows),
    };
    progress.step(`query: generating ${options.events.toLocaleString('en-US')} events into ${store} (${store === 'postgres' ? pgTarget!.database : 'chdb, in-process'})`);
    const load = await runChild<StoreLoadOutput>(ctx.scripts.loadStore, loadInput, 'LOAD', progress, undefined, CHILD_TIMEOUT_MS);
    progress.step(`query: ${store} loaded ${load.stored.toLocaleString('en-US')} rows in ${load.loadSec.toFixed(1)} s (${Math.round(load.stored / load.loadSec).toLocaleString('en-US')} rows/s), upkeep ${load.prepareSec.toFixed(1)} s`);

    const from = rangeStart(load.lastDay, options.rangeDays);
    const queries = dashboardQueries(load.siteDomain, from, load.lastDay);
    const queryInput: StoreQueryInput = { url, domain: load.siteDomain, queries, runs: options.runs, nowMs: options.endMs };
    const base: StoreQueryResults = {
      total_ms: null, max_query_ms: null, queries: Object.fromEntries(queries.map((q) => [`${q.name}_ms`, null])),
      events: load.stored, site_events: load.siteEvents, load_s: round1(load.loadSec), prepare_s: round1(load.prepareSec),
      bytes_per_event: load.tableBytes === null || load.stored === 0 ? null : round1(load.tableBytes / load.stored),
      query_mb: null, query_anon_mb: null,
      ...(store === 'postgres' ? { server_mb: null, server_anon_mb: null } : {}),
    };
    progress.step(`query: ${queries.length} dashboard queries on ${store} for ${from}..${load.lastDay}, warm, median of ${options.runs}`);
    let sampler: MemorySampler | undefined;
    const backends = pgTarget ? new GroupMemorySampler(() => pgTarget!.backendPids()).start() : undefined;
    let server: GroupMemory | undefined;
    try {
      const out = await runChild<QueryOutput>(ctx.scripts.storeQueryChild, queryInput, 'QUERY', progress, (pid) => {
        sampler = new MemorySampler(pid, 20).start();
      }, CHILD_TIMEOUT_MS);
      const peak = sampler!.stop();
      server = backends?.stop();
      const medians = out.queries.map((q) => q.medianMs);
      for (const q of out.queries) if (q.rows === 0) notes.push(`${store}: query ${q.name} returned no rows: its time measures an empty answer`);
      return {
        result: {
          ...base,
          total_ms: round1(medians.reduce((a, b) => a + b, 0)),
          max_query_ms: round1(Math.max(...medians)),
          queries: Object.fromEntries(out.queries.map((q) => [`${q.name}_ms`, round1(q.medianMs)])),
          query_mb: round1(Math.max(peak.rssMb, out.hwmMb)),
          query_anon_mb: round1(peak.anonMb),
          ...(server ? { server_mb: round1(server.rssMb), server_anon_mb: round1(server.anonMb) } : {}),
        },
        dateRange: [from, load.lastDay],
        notes,
      };
    } catch (err) {
      sampler?.stop();
      backends?.stop();
      notes.push(`query.${store}: queries n/a (${messageOf(err).split('\n')[0]})`);
      return { result: { ...base, error: messageOf(err) }, dateRange: [from, load.lastDay], notes };
    }
  } catch (err) {
    notes.push(`query.${store}: n/a (${messageOf(err).split('\n')[0]})`);
    return { result: unavailable(messageOf(err)), dateRange: null, notes };
  } finally {
    await pgTarget?.drop().catch((err: unknown) => notes.push(`could not drop the bench database ${pgTarget!.database}: ${messageOf(err)}`));
  }
}
