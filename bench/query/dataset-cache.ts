/**
 * Keeps loaded data sets between runs (in .tmp/bench-cache/, git-ignored): generating and
 * loading 10M events costs minutes, and the same seed always gives the same file. The key
 * hashes the data set spec with every source file the loader is built from (generator,
 * store, the ingest steps the generator borrows) and the DuckDB package version, so any
 * change there loads afresh. Only the newest entries are kept.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../system/bundle.js';
import type { LoadInput, LoadOutput } from './dataset.js';

export const CACHE_DIR = path.join(REPO_ROOT, '.tmp', 'bench-cache');
const KEEP = 3;

/**
 * Key of a load: the spec, the content of every source file bundled into the loader (from
 * esbuild's metafile, so exactly what it runs) and the DuckDB package version.
 */
export function datasetKey(input: Pick<LoadInput, 'dataset' | 'mode' | 'batchRows' | 'compactDays'>, loaderSources: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ dataset: input.dataset, mode: input.mode, batchRows: input.batchRows, compactDays: input.compactDays }));
  for (const file of [...loaderSources, 'node_modules/@duckdb/node-api/package.json']) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(REPO_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

export interface CachedDataset {
  file: string;
  load: LoadOutput;
}

export function findCached(key: string): CachedDataset | undefined {
  const file = path.join(CACHE_DIR, `${key}.duckdb`);
  const meta = path.join(CACHE_DIR, `${key}.json`);
  if (!fs.existsSync(file) || !fs.existsSync(meta)) return undefined;
  fs.utimesSync(meta, new Date(), new Date());
  return { file, load: JSON.parse(fs.readFileSync(meta, 'utf8')) as LoadOutput };
}

/** Moves a freshly loaded file into the cache and returns its new path; prunes old entries. */
export function addToCache(key: string, file: string, load: LoadOutput): string {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const target = path.join(CACHE_DIR, `${key}.duckdb`);
  try {
    fs.renameSync(file, target);
  } catch {
    // Another filesystem (TMPDIR elsewhere): copy instead.
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(path.join(CACHE_DIR, `${key}.json`), JSON.stringify(load));
  const entries = fs.readdirSync(CACHE_DIR).filter((f) => f.endsWith('.json'))
    .map((f) => ({ key: f.slice(0, -5), at: fs.statSync(path.join(CACHE_DIR, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of entries.slice(KEEP)) {
    for (const ext of ['.json', '.duckdb', '.duckdb.wal']) fs.rmSync(path.join(CACHE_DIR, old.key + ext), { force: true });
  }
  return target;
}
