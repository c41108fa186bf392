/**
 * The performance budgets of docs/ARCHITECTURE (2-core machine, one run) as checks on a
 * results object. The bench reports them; it never fails on them (it is not a test).
 */
import type { BenchResults, BudgetCheck } from './results.js';
import { valueAt } from './results.js';

interface Budget {
  key: string;
  label: string;
  op: '<=' | '>=' | '==';
  /** A number, or the dotted path of another figure (stored == acknowledged). */
  limit: number | string;
  unit?: string;
}

export const BUDGETS: readonly Budget[] = [
  { key: 'ingest.ratio', label: 'ingest rate vs bare node:http', op: '>=', limit: 0.5 },
  { key: 'ingest.p99_ms_half_load', label: 'ingest p99 at half load', op: '<=', limit: 5, unit: 'ms' },
  { key: 'ingest.stored', label: 'stored == acknowledged', op: '==', limit: 'ingest.acknowledged' },
  { key: 'query.duckdb.total_ms', label: 'dashboard set, DuckDB', op: '<=', limit: 300, unit: 'ms' },
  { key: 'query.duckdb.max_query_ms', label: 'slowest dashboard query', op: '<=', limit: 100, unit: 'ms' },
  { key: 'memory.idle_mb', label: 'RSS idle', op: '<=', limit: 128, unit: 'MB' },
  { key: 'memory.load_mb', label: 'RSS under ~10k events/s', op: '<=', limit: 192, unit: 'MB' },
  { key: 'memory.query_mb', label: 'RSS during dashboard queries', op: '<=', limit: 400, unit: 'MB' },
  { key: 'storage.bytes_per_event', label: 'storage per event', op: '<=', limit: 25, unit: 'B' },
  { key: 'tracker.gzip_bytes', label: 'tracker gzipped', op: '<=', limit: 1000, unit: 'B' },
];

function numberAt(results: unknown, key: string): number | null {
  const value = valueAt(results, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function checkBudgets(results: Omit<BenchResults, 'budgets'>): BudgetCheck[] {
  return BUDGETS.map((b) => {
    const value = numberAt(results, b.key);
    const limit = typeof b.limit === 'number' ? b.limit : numberAt(results, b.limit);
    const budget = typeof b.limit === 'number' ? `${b.op} ${b.limit.toLocaleString('en-US')}${b.unit ? ` ${b.unit}` : ''}` : `${b.op} ${b.limit}`;
    let pass: boolean | null = null;
    if (value !== null && limit !== null) {
      pass = b.op === '<=' ? value <= limit : b.op === '>=' ? value >= limit : value === limit;
    }
    return { key: b.key, label: b.label, value, budget, pass };
  });
}
