/** Opens the store the configuration names. The composition roots (serve, CLI) call this. */
import path from 'node:path';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Directory of spool segments the store may read (DuckDB reads them itself). */
  spoolDir?: string;
}

export function duckDbFile(dataDir: string): string {
  return path.join(dataDir, 'footfall.duckdb');
}

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<Store> {
  let store: Store;
  switch (config.store) {
    case 'duckdb':
      store = await DuckDbStore.open({ file: duckDbFile(config.dataDir), spoolDir: options.spoolDir });
      break;
    default:
      throw new AppError('config', `store ${config.store} is not available in this build`);
  }
  await store.migrate();
  return store;
}
