/**
 * What the store holds, read by the test itself (not through the product): the DuckDB file
 * opened read-only once no server holds it, or Postgres through a plain client. Used to compare
 * stored keys with acknowledged keys, and duplicates, without the console's row cap.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DuckDbStore } from '../../../src/store/duckdb/duckdb-store.js';
import { duckDbFile } from '../../../src/store/open-store.js';
import type { RunningServer } from '../../helpers/server.js';

/** pathname -> number of stored rows, for paths starting with `prefix`. */
export type StoredCounts = Map<string, number>;

export async function storedInDuckDb(dataDir: string, prefix: string): Promise<StoredCounts> {
  const store = await DuckDbStore.open({ file: duckDbFile(dataDir), readOnly: true });
  try {
    const rows = await store.query('SELECT pathname, count(*) AS n FROM events WHERE starts_with(pathname, $1) GROUP BY 1', [prefix]);
    return new Map(rows.map((r) => [String(r.pathname), Number(r.n)]));
  } finally {
    await store.close();
  }
}

export async function storedInPostgres(url: string, prefix: string): Promise<StoredCounts> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pathname: string; n: string }>(
      'SELECT pathname, count(*) AS n FROM events WHERE starts_with(pathname, $1) GROUP BY 1', [prefix],
    );
    return new Map(rows.map((r) => [r.pathname, Number(r.n)]));
  } finally {
    await client.end();
  }
}

/**
 * The exactly-once contract: every acknowledged key stored, nothing stored twice, nothing
 * stored that was never sent. (Sent but unacknowledged keys may be stored: the answer was lost
 * when the process died after the spool write.)
 */
export function assertExactlyOnce(stored: StoredCounts, acknowledged: Set<string>, sent: Set<string>, label: string): void {
  const missing = [...acknowledged].filter((k) => !stored.has(k));
  const duplicated = [...stored].filter(([, n]) => n > 1);
  const unknown = [...stored.keys()].filter((k) => !sent.has(k));
  assert.deepEqual(missing.slice(0, 10), [], `${label}: ${missing.length} acknowledged events are not stored`);
  assert.deepEqual(duplicated.slice(0, 10), [], `${label}: ${duplicated.length} events stored more than once`);
  assert.deepEqual(unknown.slice(0, 10), [], `${label}: ${unknown.length} stored events were never sent`);
}

/** Resident set size of a process in MB (Linux /proc), or undefined once it is gone. */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; reports the peak and the last value. */
export function sampleRss(pid: number | undefined, everyMs = 200): { stop: () => { peakMb: number; lastMb: number; samples: number } } {
  let peakMb = 0;
  let lastMb = 0;
  let samples = 0;
  const tick = () => {
    const mb = rssMb(pid);
    if (mb === undefined) return;
    samples++;
    lastMb = mb;
    peakMb = Math.max(peakMb, mb);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return { peakMb, lastMb, samples };
    },
  };
}

export interface Health {
  status: string;
  accepted: number;
  stored: number;
  queue_depth: number;
}

export async function health(server: RunningServer): Promise<Health> {
  const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as Health;
}

/** One counter of /metrics (summing labelled series that match `name{...}`). */
export async function metric(server: RunningServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

/** Waits (bounded) until the collector has nothing left to store. */
export async function waitForDrained(server: RunningServer, timeoutMs: number): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last = await health(server);
  while (last.queue_depth > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await health(server);
  }
  return last;
}

/** The spool segment files still waiting in `<dataDir>/spool` (none once everything is stored). */
export function spoolSegments(dataDir: string): string[] {
  const dir = path.join(dataDir, 'spool');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')) : [];
}
