/** Runs CLI commands in-process against a store and captures their output. */
import { fixedClock } from '../../../src/clock.js';
import { runCommand } from '../../../src/cli/run-command.js';
import type { Store } from '../../../src/store/store.js';

export async function cli(store: Store, now: number, name: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(name, argv, {
    store, clock: fixedClock(now),
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  });
  return { code, stdout, stderr };
}
