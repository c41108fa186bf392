/**
 * The real `footfall serve` under test: bin/footfall.js on a fresh data directory, full
 * pipeline and durable spool, pinned to the server core. Sites are registered before it
 * starts (straight into its DuckDB file, faster than one CLI call per site), and stored
 * events are counted after it stopped, with the CLI, as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { duckDbFile } from '../../src/store/open-store.js';
import { stopChild, waitForOutput } from '../system/child-process.js';
import { REPO_ROOT } from '../system/bundle.js';
import { pinned, type Pinning } from '../system/cpu-pinning.js';

const BIN = path.join(REPO_ROOT, 'bin', 'footfall.js');

export interface FootfallServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM (the server flushes everything it acknowledged) and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Creates the data directory's database with the given sites. */
export async function registerSites(dataDir: string, domains: readonly string[]): Promise<void> {
  const store = await DuckDbStore.open({ file: duckDbFile(dataDir) });
  try {
    await store.migrate();
    for (const domain of domains) await store.addSite({ domain });
  } finally {
    await store.close();
  }
}

/**
 * Starts the server on loopback (whatever FOOTFALL_HOST says) with --trust-proxy so that the load's X-Forwarded-For addresses reach
 * the pipeline: visitor hashes and country lookups then vary as with real traffic.
 */
export async function startFootfall(dataDir: string, pinning: Pinning, nodeArgs: readonly string[] = []): Promise<FootfallServer> {
  const [command, args] = pinned(pinning, 'server', process.execPath, [...nodeArgs, BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--trust-proxy']);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const match = await waitForOutput(child, /listening on (http:\/\/\S+)/, 30_000, 'footfall serve');
  // The output pipes must keep draining, or a chatty server would block on a full pipe.
  child.stdout.resume();
  return {
    url: match[1]!,
    pid: child.pid!,
    child,
    async stop() {
      const code = await stopChild(child, 'SIGTERM', 15_000);
      if (code !== 0) process.stderr.write(`footfall serve exited with ${code}:\n${stderr}\n`);
      return code;
    },
  };
}

/** Prometheus text from GET /metrics as name{labels} -> value. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  const metrics = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const at = line.lastIndexOf(' ');
    metrics.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return metrics;
}

/** Sum of every series of a metric (all label sets). */
export function metricSum(metrics: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [key, value] of metrics) if (key === name || key.startsWith(`${name}{`)) sum += value;
  return sum;
}

/** Counts stored events with `footfall sql` (the server must be stopped, or it answers through it). */
export async function countStoredEvents(dataDir: string): Promise<number> {
  const child = spawn(process.execPath, [BIN, 'sql', 'SELECT count(*) AS n FROM events', '--format', 'json', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await stopChildAfter(child, 60_000);
  if (code !== 0) throw new Error(`footfall sql exited with ${code}: ${stderr}`);
  const rows = JSON.parse(stdout) as Array<{ n: number | string }>;
  return Number(rows[0]?.n);
}

/** Waits for a child to exit on its own, killing it after `timeoutMs`. */
async function stopChildAfter(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  return code;
}
