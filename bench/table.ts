/** The human summary printed at the end of a run: every figure, its budget and pass/fail. */
import type { BenchResults, BudgetCheck, StoreQueryResults } from './results.js';

type Cell = string;

/** Left-aligned text columns, right-aligned numbers, separated by two spaces. */
export function formatTable(header: Cell[], rows: Cell[][], numeric: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: Cell[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatValue(value: unknown, digits = 1): string {
  if (value === null || value === undefined) return 'n/a';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function verdict(check: BudgetCheck | undefined): string {
  if (!check) return '';
  if (check.pass === null) return 'n/a';
  return check.pass ? 'pass' : 'FAIL';
}

/** Rows of a store other than DuckDB (no budgets: those are DuckDB's); n/a rows when it could not run. */
function otherStoreRows(prefix: string, store: StoreQueryResults, row: (key: string, value: unknown) => Cell[]): Cell[][] {
  const rows = Object.entries(store.queries).map(([name, value]) => row(`${prefix}.queries.${name}`, value));
  rows.push(row(`${prefix}.total_ms`, store.total_ms), row(`${prefix}.max_query_ms`, store.max_query_ms));
  for (const key of ['events', 'load_s', 'prepare_s', 'bytes_per_event', 'query_mb', 'server_anon_mb'] as const) {
    if (key in store) rows.push(row(`${prefix}.${key}`, store[key]));
  }
  return rows;
}

/** Rows: [figure path, value, budget, verdict]. */
export function resultRows(results: BenchResults): Cell[][] {
  const budgetOf = new Map(results.budgets.map((b) => [b.key, b]));
  const row = (key: string, value: unknown, digits = 1): Cell[] => {
    const check = budgetOf.get(key);
    return [key, formatValue(value, digits), check?.budget ?? '', verdict(check)];
  };
  const { ingest, memory, query, storage, tracker } = results;
  const rows: Cell[][] = [
    row('ingest.bare_rps', ingest.bare_rps),
    row('ingest.footfall_rps', ingest.footfall_rps),
    row('ingest.ratio', ingest.ratio, 3),
    row('ingest.p50_ms', ingest.p50_ms, 2),
    row('ingest.p99_ms', ingest.p99_ms, 2),
    row('ingest.half_load_rps', ingest.half_load_rps),
    row('ingest.p99_ms_half_load', ingest.p99_ms_half_load, 2),
    row('ingest.bare_p99_ms_half_load', ingest.bare_p99_ms_half_load, 2),
    row('ingest.acknowledged', ingest.acknowledged),
    row('ingest.stored', ingest.stored),
    row('memory.idle_mb', memory.idle_mb),
    row('memory.idle_anon_mb', memory.idle_anon_mb),
    row('memory.load_mb', memory.load_mb),
    row('memory.load_anon_mb', memory.load_anon_mb),
    row('memory.max_rate_mb', memory.max_rate_mb),
    row('memory.query_mb', memory.query_mb),
    row('memory.query_anon_mb', memory.query_anon_mb),
    row('query.events', query.events),
    row('query.site_events', query.site_events),
    row('query.load_s', query.load_s),
  ];
  for (const [name, value] of Object.entries(query.duckdb.queries)) rows.push(row(`query.duckdb.queries.${name}`, value));
  rows.push(
    row('query.duckdb.total_ms', query.duckdb.total_ms),
    row('query.duckdb.max_query_ms', query.duckdb.max_query_ms),
  );
  for (const [store, value] of Object.entries(query)) {
    if (store === 'duckdb' || typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    rows.push(...otherStoreRows(`query.${store}`, value, row));
  }
  rows.push(
    row('storage.bytes_per_event', storage.bytes_per_event),
    row('storage.used_bytes_per_event', storage.used_bytes_per_event),
    row('tracker.min_bytes', tracker.min_bytes),
    row('tracker.gzip_bytes', tracker.gzip_bytes),
  );
  return rows;
}

export function formatResults(results: BenchResults): string {
  const m = results.machine;
  const head = `Footfall bench (${results.mode}) ${results.started_at}: ${m.cpus} cores ${m.cpuModel}, ${Math.round(m.memoryMb / 1024)} GB, node ${m.node}, ` +
    `${results.pinned ? 'server and load pinned to separate cores' : 'not pinned'}, load average ${m.loadAverage} -> ${results.load_average_end}, ${results.duration_s.toFixed(0)} s`;
  const table = formatTable(['figure', 'value', 'budget', 'verdict'], resultRows(results), [false, true, false, false]);
  const notes = results.notes.length ? `\nnotes:\n${results.notes.map((n) => `  - ${n}`).join('\n')}` : '';
  return `${head}\n\n${table}\n${notes}`;
}
