/**
 * Runs a bundled bench child script with one JSON argument, relays its `PROGRESS` lines and
 * returns the JSON it prints after `<TAG>_JSON` (or throws with `<TAG>_ERROR` / its stderr).
 */
import { spawn } from 'node:child_process';
import type { Progress } from '../progress.js';
import { exited } from '../system/child-process.js';

export async function runChild<T>(
  script: string, input: unknown, tag: string, progress: Progress, onSpawn?: (pid: number) => void, timeoutMs = 20 * 60_000,
): Promise<T> {
  const child = spawn(process.execPath, [script, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr = (stderr + text).slice(-8000);
    for (const line of text.split('\n')) if (line.startsWith('PROGRESS ')) progress.step(`query: ${line.slice(9)}`);
  });
  let timedOut = false;
  const guard = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await exited(child);
  clearTimeout(guard);
  const match = new RegExp(`^${tag}_JSON (.+)$`, 'm').exec(stdout);
  if (!match?.[1]) {
    const error = new RegExp(`^${tag}_ERROR (.+)$`, 'm').exec(stdout);
    if (error?.[1]) throw new Error(String(JSON.parse(error[1])));
    if (timedOut) throw new Error(`child stopped after its ${Math.round(timeoutMs / 60_000)} min limit:\n${stderr}`);
    throw new Error(`child exited with ${code}:\n${stderr}`);
  }
  return JSON.parse(match[1]) as T;
}
