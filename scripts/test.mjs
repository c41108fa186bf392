// Runs every test/**/*.test.ts with node's test runner (Node 20's --test takes no globs).
// --test-force-exit: a file whose tests are done must not hang the run on a leftover handle;
// --test-timeout: no single test may run longer than 10 minutes.
// Extra arguments narrow the run to files whose path contains one of them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync('test', { recursive: true })
  .map((f) => path.join('test', String(f)))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=600000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
