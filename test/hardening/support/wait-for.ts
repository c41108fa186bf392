/** Polling for a condition with a deadline, as the hardening tests wait for recovery. */
import assert from 'node:assert/strict';
import { sleep } from './seeded.js';

/** Polls `check` every 100 ms; resolves with the ms it took, fails the test after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(100);
  }
  assert.fail(`${what}: not within ${timeoutMs} ms`);
}
