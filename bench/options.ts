/** What one bench run measures and how hard: presets (--quick, full, tiny for tests) plus flags. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadMode } from './query/dataset.js';
import { DEFAULT_END_MS } from './query/dataset.js';
import { REPO_ROOT } from './system/bundle.js';

export type Part = 'ingest' | 'query' | 'tracker';

export interface IngestOptions {
  /** Untimed max-rate load before measuring (JIT, connection set-up), seconds per server. */
  warmupSec: number;
  /** Max-rate rounds; bare and Footfall alternate within a round so machine drift hits both. */
  rounds: number;
  roundSec: number;
  /** Length of each constant-rate run (half load: one per round; sustained load), seconds. */
  constantSec: number;
  /** Target of the sustained-load memory run, requests/s (capped below Footfall's maximum). */
  sustainedRps: number;
  connections: number;
  /** Distinct requests in the mix. */
  mixSize: number;
  sites: number;
  seed: number;
}

export interface QueryOptions {
  events: number;
  sites: number;
  days: number;
  seed: number;
  endMs: number;
  /** Length of the dashboard's date range, days, ending on the last day with data. */
  rangeDays: number;
  /** Timed rounds (the median is reported). */
  runs: number;
  loadMode: LoadMode;
  batchRows: number;
  /** Re-sort every closed day after the load, as a server does over time (see LoadInput). */
  compactDays: boolean;
  /** Reuse a data set loaded by an earlier run with the same spec and sources (.tmp/bench-cache). */
  cache: boolean;
}

export interface BenchOptions {
  mode: string;
  parts: Set<Part>;
  stores: string[];
  ingest: IngestOptions;
  query: QueryOptions;
  /** Where latest.json goes; undefined writes nothing. */
  outFile: string | undefined;
  /** Run the server under node --cpu-prof and summarise where its time went (skews the figures). */
  profile: boolean;
  /** Server for `--stores postgres`: the bench creates a fresh database on it per run and drops it. */
  postgresUrl: string;
}

export const STORES = ['duckdb', 'postgres', 'clickhouse'] as const;

/** The Postgres the test helpers use (scripts/ci-postgres.sh), unless the environment names another. */
export function defaultPostgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.FOOTFALL_BENCH_POSTGRES_URL ?? env.FOOTFALL_TEST_PG_URL ?? 'postgres://footfall:footfall@127.0.0.1:5432/footfall_test';
}

const INGEST_BASE = { connections: 32, mixSize: 5000, sites: 3, seed: 42, sustainedRps: 10_000 };
const QUERY_BASE = { sites: 3, days: 30, seed: 42, endMs: DEFAULT_END_MS, rangeDays: 30, runs: 5, loadMode: 'segments' as LoadMode,
  // Two DuckDB row groups (2 x 122,880) per segment: each commit then writes whole row groups, where
  // other sizes left rewritten partial groups behind as free blocks (a 1M load: 57 MB file vs 39 MB).
  batchRows: 245_760, cache: true, compactDays: true };

export const PRESETS = {
  full: {
    ingest: { ...INGEST_BASE, warmupSec: 3, rounds: 3, roundSec: 8, constantSec: 8 },
    query: { ...QUERY_BASE, events: 10_000_000 },
  },
  quick: {
    ingest: { ...INGEST_BASE, warmupSec: 1, rounds: 1, roundSec: 3, constantSec: 3 },
    query: { ...QUERY_BASE, events: 1_000_000, compactDays: false },
  },
  /** For the test suite: every part runs, in seconds. */
  tiny: {
    ingest: { ...INGEST_BASE, warmupSec: 0.5, rounds: 1, roundSec: 1, constantSec: 1, mixSize: 300, sustainedRps: 1000 },
    query: { ...QUERY_BASE, events: 20_000, days: 30, runs: 2, batchRows: 5_000, cache: false },
  },
} satisfies Record<string, { ingest: IngestOptions; query: QueryOptions }>;

export const DEFAULT_OUT = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');

export const USAGE = `npm run bench [-- options]
  --quick              1M events, short load runs (under a minute)
  --events N           events for the query bench (default 10M, quick 1M)
  --only LIST          parts to run: ingest,query,tracker (default all)
  --stores LIST        stores for the query bench: duckdb,postgres,clickhouse (default duckdb);
                       each loads the same data set and runs the same dashboard queries
  --postgres-url URL   server for --stores postgres; a fresh database is created on it per
                       run and dropped (default FOOTFALL_BENCH_POSTGRES_URL, else the test server)
  --load-mode MODE     segments (NDJSON read by DuckDB, default) or appender
  --fresh              generate and load the data set even when an earlier run cached it
  --rounds N           max-rate rounds and half-load runs per server
  --out FILE           results file (default bench/results/latest.json)
  --profile            profile footfall serve (node --cpu-prof) during the ingest runs;
                       the profile goes beside the results file (figures are then skewed)`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} expects a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' }, events: { type: 'string' }, only: { type: 'string' }, stores: { type: 'string' },
      'load-mode': { type: 'string' }, 'postgres-url': { type: 'string' }, rounds: { type: 'string' }, out: { type: 'string' }, profile: { type: 'boolean' }, fresh: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const mode = values.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const parts = new Set<Part>(['ingest', 'query', 'tracker']);
  if (values.only !== undefined) {
    parts.clear();
    for (const part of values.only.split(',').map((p) => p.trim())) {
      if (part !== 'ingest' && part !== 'query' && part !== 'tracker') throw new Error(`--only: unknown part ${JSON.stringify(part)} (ingest, query, tracker)`);
      parts.add(part);
    }
  }
  const loadMode = values['load-mode'] ?? preset.query.loadMode;
  if (loadMode !== 'segments' && loadMode !== 'appender') throw new Error(`--load-mode: expected segments or appender, got ${JSON.stringify(loadMode)}`);
  const stores = [...new Set((values.stores ?? 'duckdb').split(',').map((s) => s.trim()).filter(Boolean))];
  for (const store of stores) {
    if (!(STORES as readonly string[]).includes(store)) throw new Error(`--stores: unknown store ${JSON.stringify(store)} (${STORES.join(', ')})`);
  }
  if (stores.length === 0) throw new Error(`--stores: name at least one store (${STORES.join(', ')})`);
  return {
    mode,
    parts,
    stores,
    ingest: { ...preset.ingest, rounds: positiveInt(values.rounds, '--rounds') ?? preset.ingest.rounds },
    query: {
      ...preset.query, events: positiveInt(values.events, '--events') ?? preset.query.events, loadMode,
      cache: preset.query.cache && !values.fresh,
    },
    outFile: values.out ?? DEFAULT_OUT,
    profile: values.profile ?? false,
    postgresUrl: values['postgres-url'] ?? defaultPostgresUrl(),
  };
}
