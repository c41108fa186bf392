/**
 * The shape of bench/results/latest.json. Figures are numbers, or null when a part could not
 * run (the table shows n/a and `notes` says why). Dotted names in the issue (ingest.ratio,
 * query.duckdb.total_ms, ...) are paths into this object.
 */
import type { MachineInfo } from './system/machine.js';

export interface IngestResults {
  footfall_rps: number | null;
  bare_rps: number | null;
  ratio: number | null;
  /** Latency at Footfall's maximum rate (closed loop), ms. */
  p50_ms: number | null;
  p99_ms: number | null;
  /** Constant-rate load at half of footfall_rps, latency from each request's due time, ms. */
  p99_ms_half_load: number | null;
  p50_ms_half_load: number | null;
  /** The bare server's p99 at the same constant rate: what the machine and client add alone, ms. */
  bare_p99_ms_half_load: number | null;
  /** p99 of each half-load run (the figure above is their median), ms. */
  p99_ms_half_load_runs: number[];
  half_load_rps: number | null;
  /** Events the server accepted and acknowledged (footfall_events_accepted_total). */
  acknowledged: number | null;
  /** Rows counted with `footfall sql` after the server stopped. */
  stored: number | null;
  /** Well-formed hits not counted (bots and the like), all reasons. */
  dropped: number | null;
  /** Requests answered with something other than 2xx/3xx, or failed, during every Footfall run. */
  errors: number | null;
  /** Constant-rate requests still unanswered 5 s after their run ended (the server fell behind). */
  timeouts: number | null;
  /** Rate of the sustained-load run that memory.load_mb was measured under, requests/s. */
  sustained_rps: number | null;
  /** Spool segments the server wrote to the store during the run, and their mean duration (ms). */
  flushes: number | null;
  flush_mean_ms: number | null;
  rounds: Array<{ bare_rps: number; footfall_rps: number }>;
}

export interface MemoryResults {
  idle_mb: number | null;
  idle_anon_mb: number | null;
  /** Peak RSS under the sustained (~10k/s) constant-rate load. */
  load_mb: number | null;
  load_anon_mb: number | null;
  /** Peak RSS at Footfall's maximum rate. */
  max_rate_mb: number | null;
  /** Peak RSS of the query process while it ran the dashboard set. */
  query_mb: number | null;
  query_anon_mb: number | null;
}

export interface StoreQueryResults {
  total_ms: number | null;
  max_query_ms: number | null;
  /** Median of the timed runs per query, ms, keyed `<query>_ms`. */
  queries: Record<string, number | null>;
  error?: string;
  // Set for the stores other than DuckDB (DuckDB's own are at query.*, memory.* and storage.*).
  /** Rows in the store's events table, and in the queried site. */
  events?: number | null;
  site_events?: number | null;
  /** Generating and inserting the data set, seconds (the store's batched insert). */
  load_s?: number | null;
  /** Post-load upkeep a running server does by itself (VACUUM ANALYZE, OPTIMIZE FINAL), seconds. */
  prepare_s?: number | null;
  /** Size of the events table (Postgres with indexes; ClickHouse active parts) per event, bytes. */
  bytes_per_event?: number | null;
  /** Peak RSS / anonymous memory of the Node process that ran the queries (with chdb: the engine too), MiB. */
  query_mb?: number | null;
  query_anon_mb?: number | null;
  /** Postgres only: peak summed RSS / anonymous memory of the server backends serving the queries, MiB. */
  server_mb?: number | null;
  server_anon_mb?: number | null;
}

export interface QueryResults {
  /** Rows in the events table (generated events minus bots). */
  events: number | null;
  generated: number | null;
  /** Rows of the site the dashboard queries (the largest). */
  site_events: number | null;
  date_range: [string, string] | null;
  load_s: number | null;
  load_mode: string;
  runs: number;
  duckdb: StoreQueryResults;
  [store: string]: StoreQueryResults | number | string | [string, string] | null;
}

export interface BudgetCheck {
  /** Path of the figure, e.g. 'ingest.ratio'. */
  key: string;
  label: string;
  value: number | null;
  /** Human form of the budget, e.g. '>= 0.5'. */
  budget: string;
  /** null when the figure is missing. */
  pass: boolean | null;
}

export interface BenchResults {
  version: 1;
  mode: string;
  started_at: string;
  duration_s: number;
  machine: MachineInfo;
  pinned: boolean;
  /** 1-minute load average at the end: compare with machine.loadAverage to spot a busy machine. */
  load_average_end: number;
  ingest: IngestResults;
  memory: MemoryResults;
  query: QueryResults;
  /** bytes_per_event is the file after CHECKPOINT; used_bytes_per_event leaves out free blocks. */
  storage: { bytes_per_event: number | null; used_bytes_per_event: number | null; file_bytes: number | null };
  tracker: { min_bytes: number | null; gzip_bytes: number | null };
  budgets: BudgetCheck[];
  notes: string[];
}

/** Every figure the issue requires in latest.json (dotted paths). */
export const REQUIRED_KEYS = [
  'ingest.footfall_rps', 'ingest.bare_rps', 'ingest.ratio', 'ingest.p50_ms', 'ingest.p99_ms', 'ingest.p99_ms_half_load',
  'ingest.acknowledged', 'ingest.stored', 'memory.idle_mb', 'memory.idle_anon_mb', 'memory.load_mb', 'memory.query_mb',
  'query.duckdb.total_ms', 'query.duckdb.max_query_ms', 'query.events', 'storage.bytes_per_event',
  'tracker.min_bytes', 'tracker.gzip_bytes',
] as const;

/** The value at a dotted path of an object (undefined when any step is missing). */
export function valueAt(object: unknown, dotted: string): unknown {
  let current: unknown = object;
  for (const part of dotted.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
