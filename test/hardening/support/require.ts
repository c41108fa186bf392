/**
 * Skipping a test whose environment is missing (a Postgres server, Chromium) says why, and fails
 * instead under FOOTFALL_TEST_REQUIRE_ALL=1 so CI cannot pass by skipping.
 */
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

export { skipOrFail } from '../../helpers/require-all.js';

/**
 * A fresh database on the shared Postgres server (scripts/ci-postgres.sh), dropped by `drop()`;
 * a string says why there is none. Each test file uses its own database, so files run in parallel.
 */
export function sharedPostgresDatabase(tag: string): Promise<TestDatabase | string> {
  return createTestDatabase(`footfall_h_${tag}`);
}
