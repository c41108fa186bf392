/**
 * Opens the store the configuration (or a store URL) names, and runs its migrations. The
 * composition roots (serve, CLI) call this; nothing else knows which adapters exist.
 */
import path from 'node:path';
import type { Config, StoreKind } from '../config.js';
import { AppError } from '../errors.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import { openPostgresStore } from './postgres/open.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Directory of spool segments the store may read (DuckDB reads them itself). */
  spoolDir?: string;
  /** Skip migrations (read-only tools that must not change a schema). */
  skipMigrations?: boolean;
}

export function duckDbFile(dataDir: string): string {
  return path.join(dataDir, 'footfall.duckdb');
}

/** What a store URL names: `postgres://…`, `clickhouse://…` / `http(s)://…`, `chdb://<dir>`, `duckdb:<data dir or .duckdb file>` or a bare path. */
export interface StoreTarget {
  kind: StoreKind;
  /** URL for postgres/clickhouse; the .duckdb file for duckdb. */
  location: string;
}

export function parseStoreUrl(url: string): StoreTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', location: url };
  if (scheme === 'clickhouse' || scheme === 'clickhouses' || scheme === 'http' || scheme === 'https' || scheme === 'chdb') return { kind: 'clickhouse', location: url };
  if (scheme === 'duckdb' || scheme === undefined || scheme.length === 1 /* C: on Windows */) {
    const target = scheme === 'duckdb' ? url.replace(/^duckdb:(\/\/)?/i, '') : url;
    if (!target) throw new AppError('bad_request', `duckdb: the store URL needs a path (duckdb:<data dir>)`);
    return { kind: 'duckdb', location: target.endsWith('.duckdb') ? path.resolve(target) : duckDbFile(path.resolve(target)) };
  }
  throw new AppError('bad_request', `unknown store URL scheme ${scheme}: (use duckdb:<dir>, postgres://, clickhouse:// or chdb://)`);
}

export async function openStoreTarget(target: StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  let store: Store;
  switch (target.kind) {
    case 'duckdb':
      store = await DuckDbStore.open({ file: target.location, spoolDir: options.spoolDir });
      break;
    case 'postgres':
      store = await openPostgresStore(target.location);
      break;
    case 'clickhouse':
      store = await openClickHouse(target.location);
      break;
  }
  if (!options.skipMigrations) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  return store;
}

/**
 * DuckDB and in-process ClickHouse (chdb://) allow one process per store: no other collector can
 * share it (so there is no open visit to look up elsewhere), and the CLI must go through the
 * server that holds it.
 */
export function isSingleProcessStore(config: Pick<Config, 'store' | 'databaseUrl'>): boolean {
  return config.store === 'duckdb' || /^chdb:/i.test(config.databaseUrl ?? '');
}

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  if (config.store === 'duckdb') return openStoreTarget({ kind: 'duckdb', location: duckDbFile(config.dataDir) }, options);
  if (!config.databaseUrl) {
    throw new AppError('config', `FOOTFALL_DATABASE_URL / --database-url is required with store ${config.store}`);
  }
  return openStoreTarget({ kind: config.store, location: config.databaseUrl }, options);
}

async function openClickHouse(url: string): Promise<Store> {
  // Loaded on demand: the ClickHouse client is only needed by people who use it.
  const module = (await import('./clickhouse/open.js').catch(() => undefined)) as { openClickHouseStore?: (url: string) => Promise<Store> } | undefined;
  if (!module?.openClickHouseStore) throw new AppError('config', 'clickhouse: this build has no ClickHouse adapter');
  return module.openClickHouseStore(url);
}
