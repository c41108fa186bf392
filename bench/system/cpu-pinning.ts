/**
 * Which core each side of a load test runs on. With two or more cores and `taskset`, the
 * server under test gets core 0 and the load generator core 1, so they never compete for a
 * core and the server's rate is its own; DuckDB's threads inherit the server's core, which
 * is what a one-core deployment would see. With one core (or no taskset) nothing is pinned.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export type Role = 'server' | 'load';

export interface Pinning {
  enabled: boolean;
  /** Core list per role, as taskset -c takes it. */
  cores: Record<Role, string>;
  /** Why pinning is off, when it is. */
  note?: string;
}

export function detectPinning(): Pinning {
  const cpus = os.availableParallelism();
  const cores = { server: '0', load: '1' };
  if (cpus < 2) return { enabled: false, cores, note: `only ${cpus} core: server and load share it` };
  const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return { enabled: false, cores, note: 'taskset not available: processes not pinned' };
  return { enabled: true, cores };
}

/** The command and arguments that run `command args` on the cores of `role`. */
export function pinned(pinning: Pinning, role: Role, command: string, args: readonly string[]): [string, string[]] {
  if (!pinning.enabled) return [command, [...args]];
  return ['taskset', ['-c', pinning.cores[role], command, ...args]];
}
