/**
 * Runs the real `footfall` binary for tests: `serve` on a free loopback port over a temp data
 * dir, and CLI commands against the same data dir. No mocks: what users run is what is tested.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO_ROOT, 'bin', 'footfall.js');

export const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Temp dirs made by this test process, removed when it exits. */
const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDataDir(prefix = 'footfall-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `footfall <args...> --data <dataDir>` and collects its output. */
export function runCli(dataDir: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data', dataDir], {
      env: { ...process.env, FOOTFALL_LOG_LEVEL: 'silent', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; resolves with the exit code and how long the exit took (ms). */
  stop(): Promise<{ code: number | null; ms: number }>;
  /** SIGKILL and wait. */
  kill9(): Promise<void>;
  cli(args: string[], options?: { env?: NodeJS.ProcessEnv; stdin?: string }): Promise<CliResult>;
}

export interface StartOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
}

/** Starts `footfall serve --port 0` and resolves once it prints the URL it listens on. */
export function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, FOOTFALL_LOG_LEVEL: 'silent', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`footfall serve did not start within 20 s:\n${output}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          dataDir,
          process: child,
          output: () => output,
          async stop() {
            const started = Date.now();
            child.kill('SIGTERM');
            const code = await exited;
            return { code, ms: Date.now() - started };
          },
          async kill9() {
            child.kill('SIGKILL');
            await exited;
          },
          cli: (args, cliOptions) => runCli(dataDir, args, cliOptions),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`footfall serve exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Sends a classic pixel hit. */
export async function sendGif(baseUrl: string, params: { url: string; t?: string; ref?: string }, userAgent = DESKTOP_UA, headers: Record<string, string> = {}) {
  const query = new URLSearchParams({ url: params.url, t: params.t ?? '', ref: params.ref ?? '' });
  return fetch(`${baseUrl}/a.gif?${query}`, { headers: { 'user-agent': userAgent, ...headers } });
}

/** Waits until `footfall sql` (through the server) sees `expected` rows for a count query. */
export async function waitForCount(server: RunningServer, sql: string, expected: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const result = await server.cli(['sql', sql, '--format', 'json']);
    if (result.code === 0) {
      const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      last = Number(Object.values(rows[0] ?? {})[0]);
      if (last === expected) return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}
