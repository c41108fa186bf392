/**
 * The only module that reads process.env. Flags override FOOTFALL_* variables; every bad
 * key is reported at once (fail fast, listing all of them).
 */
import path from 'node:path';
import { AppError } from './errors.js';

export type StoreKind = 'duckdb' | 'postgres' | 'clickhouse';

export interface Config {
  host: string;
  port: number;
  /** Absolute path of the data directory (DuckDB file, spool, server.json). */
  dataDir: string;
  /** Base URL the trackers point at; undefined means "derive from the request". */
  publicUrl: string | undefined;
  /** Only when true is X-Forwarded-For believed. */
  trustProxy: boolean;
  store: StoreKind;
  databaseUrl: string | undefined;
  /** Spool segments are flushed to the store at least this often (ms). */
  flushIntervalMs: number;
  /** ...or as soon as a segment holds this many events. */
  flushMaxEvents: number;
  /** Accepted events not yet in the store beyond which new API writes get 503. */
  maxPendingEvents: number;
  logLevel: string;
}

/** Flag values as parsed from the command line (undefined = not given). */
export type ConfigFlags = Partial<Record<keyof Config, string | boolean | undefined>>;

const ENV_KEYS: Record<keyof Config, string> = {
  host: 'FOOTFALL_HOST',
  port: 'FOOTFALL_PORT',
  dataDir: 'FOOTFALL_DATA_DIR',
  publicUrl: 'FOOTFALL_PUBLIC_URL',
  trustProxy: 'FOOTFALL_TRUST_PROXY',
  store: 'FOOTFALL_STORE',
  databaseUrl: 'FOOTFALL_DATABASE_URL',
  flushIntervalMs: 'FOOTFALL_FLUSH_INTERVAL_MS',
  flushMaxEvents: 'FOOTFALL_FLUSH_MAX_EVENTS',
  maxPendingEvents: 'FOOTFALL_MAX_PENDING_EVENTS',
  logLevel: 'FOOTFALL_LOG_LEVEL',
};

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw = (key: keyof Config): string | boolean | undefined => {
    const flag = flags[key];
    if (flag !== undefined) return flag;
    const value = env[ENV_KEYS[key]];
    return value === undefined || value === '' ? undefined : value;
  };
  const int = (key: keyof Config, fallback: number, min: number, max: number): number => {
    const value = raw(key);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${ENV_KEYS[key]} / --${flagName(key)}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return n;
  };
  const bool = (key: keyof Config): boolean => {
    const value = raw(key);
    if (value === undefined || value === false) return false;
    if (value === true) return true;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    problems.push(`${ENV_KEYS[key]}: expected true or false, got ${JSON.stringify(value)}`);
    return false;
  };
  const str = (key: keyof Config): string | undefined => {
    const value = raw(key);
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') {
      problems.push(`--${flagName(key)} needs a value`);
      return undefined;
    }
    return value;
  };

  const publicUrl = str('publicUrl');
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+/i.test(publicUrl)) {
    problems.push(`FOOTFALL_PUBLIC_URL: expected an http(s) URL, got ${JSON.stringify(publicUrl)}`);
  }
  const store = (str('store') ?? 'duckdb') as StoreKind;
  if (!['duckdb', 'postgres', 'clickhouse'].includes(store)) {
    problems.push(`FOOTFALL_STORE / --store: expected duckdb, postgres or clickhouse, got ${JSON.stringify(store)}`);
  }

  const config: Config = {
    host: str('host') ?? '127.0.0.1',
    port: int('port', 8000, 0, 65535),
    dataDir: path.resolve(str('dataDir') ?? './data'),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    trustProxy: bool('trustProxy'),
    store,
    databaseUrl: str('databaseUrl'),
    flushIntervalMs: int('flushIntervalMs', 1000, 10, 60_000),
    flushMaxEvents: int('flushMaxEvents', 20_000, 1, 1_000_000),
    maxPendingEvents: int('maxPendingEvents', 1_000_000, 100, 100_000_000),
    logLevel: str('logLevel') ?? 'warn',
  };
  if (problems.length > 0) {
    throw new AppError('config', `bad configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return config;
}

function flagName(key: string): string {
  if (key === 'dataDir') return 'data';
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
