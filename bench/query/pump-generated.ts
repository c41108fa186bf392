/**
 * The loaders' common loop: generate the data set, skip bots, and hand rows to a store in
 * batches with one batch in flight (so memory and disk stay bounded), reporting progress.
 */
import { performance } from 'node:perf_hooks';
import { generateEvents, type GeneratorSite } from '../../src/generate/generate-events.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { DatasetSpec } from './dataset.js';

export interface BatchSink {
  add(row: EventRow): void;
  /** Rows added since the last hand-off. */
  readonly pending: number;
  /** Starts storing the pending rows; resolves once the store has them. */
  store(): Promise<unknown>;
}

export interface PumpResult {
  generated: number;
  bots: number;
  /** Generating and storing, seconds. */
  loadSec: number;
}

export async function pumpGenerated(dataset: DatasetSpec, sites: GeneratorSite[], sink: BatchSink, batchRows: number, label: string): Promise<PumpResult> {
  const started = performance.now();
  let generated = 0;
  let bots = 0;
  let lastProgress = started;
  let inFlight: Promise<unknown> = Promise.resolve();
  const handOff = async () => {
    await inFlight;
    if (sink.pending > 0) inFlight = sink.store();
  };
  for (const { row, hit } of generateEvents({ ...dataset, sites })) {
    generated++;
    if (hit.bot) {
      bots++;
      continue;
    }
    sink.add(row);
    if (sink.pending >= batchRows) await handOff();
    if (generated % 100_000 === 0 && performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      const rate = Math.round(generated / ((lastProgress - started) / 1000));
      process.stderr.write(`PROGRESS ${label}loaded ${generated.toLocaleString('en-US')} / ${dataset.events.toLocaleString('en-US')} events (${rate.toLocaleString('en-US')}/s)\n`);
    }
  }
  await handOff();
  await inFlight;
  return { generated, bots, loadSec: (performance.now() - started) / 1000 };
}
