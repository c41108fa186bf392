/** The dialect of each store kind. */
import type { DialectName } from '../../store/store.js';
import { clickhouseDialect } from './clickhouse-dialect.js';
import type { Dialect } from './dialect.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { postgresDialect } from './postgres-dialect.js';

const DIALECTS: Record<DialectName, Dialect> = {
  duckdb: duckdbDialect,
  postgres: postgresDialect,
  clickhouse: clickhouseDialect,
};

export function dialectFor(name: DialectName): Dialect {
  return DIALECTS[name];
}
