/** Small helpers for the processes the bench starts: wait for a line, stop with a deadline. */
import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first match of `pattern` in the child's stdout (stderr is collected for
 * the error message). Rejects when the child exits first or `timeoutMs` passes.
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} did not print ${pattern} within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    const onStdout = (data: Buffer) => {
      stdout += data.toString();
      const match = pattern.exec(stdout);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onStderr = (data: Buffer) => {
      stderr += data.toString();
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what} exited with ${code}:\n${stdout}${stderr}`));
    };
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.on('exit', onExit);
  });
}

/** Resolves with the exit code once the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Sends `signal`, waits up to `timeoutMs`, then SIGKILLs. Resolves with the exit code. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return done;
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([done, timeout]);
  clearTimeout(timer);
  if (first !== 'timeout') return first;
  child.kill('SIGKILL');
  return done;
}
