/**
 * `npm run bench [-- --quick]`: measures Footfall against its performance budgets and prints
 * a table. Always exits 0 when the run completes: it is a benchmark, not a test; the verdict
 * column and bench/results/latest.json carry the outcome.
 */
import { parseBenchArgs, USAGE } from './options.js';
import { Progress } from './progress.js';
import { runBench, writeResults } from './run-bench.js';
import { formatResults } from './table.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\nusage: ${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`usage: ${USAGE}\n`);
    return;
  }
  const progress = new Progress();
  const results = await runBench(options, progress);
  process.stdout.write(`\n${formatResults(results)}\n`);
  if (options.outFile) {
    writeResults(results, options.outFile);
    progress.step(`results written to ${options.outFile}`);
  }
}

await main();
