/**
 * A test whose environment is missing (a Postgres server, Chromium, chdb) is skipped with the
 * reason printed, or fails under FOOTFALL_TEST_REQUIRE_ALL=1, so CI cannot pass by skipping.
 */
import assert from 'node:assert/strict';

export const REQUIRE_ALL = process.env.FOOTFALL_TEST_REQUIRE_ALL === '1';

export function skipOrFail(t: { skip(message?: string): void }, reason: string): void {
  if (REQUIRE_ALL) assert.fail(`required test cannot run (FOOTFALL_TEST_REQUIRE_ALL=1): ${reason}`);
  t.skip(reason);
}
