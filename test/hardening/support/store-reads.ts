/**
 * Reads what a store holds through `footfall sql` in its own process, for any store (chdb binds
 * one data directory per process, so the test process itself must not open one). The console's
 * 10,000-row cap bounds the distinct paths a test may read this way.
 */
import assert from 'node:assert/strict';
import { runCli } from '../../helpers/server.js';
import type { StoredCounts } from './stored.js';

export async function sqlRows(dataDir: string, env: NodeJS.ProcessEnv, sql: string): Promise<Array<Record<string, unknown>>> {
  const answer = await runCli(dataDir, ['sql', sql, '--format', 'json'], { env });
  assert.equal(answer.code, 0, answer.stderr);
  assert.ok(!/cut at/.test(answer.stderr), `the console cut the result: ${sql}`);
  return JSON.parse(answer.stdout) as Array<Record<string, unknown>>;
}

/** pathname -> stored rows, for paths starting with `prefix` (a plain LIKE-free filter in JS). */
export async function storedViaCli(dataDir: string, env: NodeJS.ProcessEnv, prefix: string): Promise<StoredCounts> {
  const rows = await sqlRows(dataDir, env, 'select pathname, count(*) as n from events group by pathname');
  return new Map(rows.filter((r) => String(r.pathname).startsWith(prefix)).map((r) => [String(r.pathname), Number(r.n)]));
}
