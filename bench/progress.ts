/** Progress lines on stderr while the bench works (the final table goes to stdout). */
import { performance } from 'node:perf_hooks';

export class Progress {
  private readonly started = performance.now();

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  /** Seconds since the bench started. */
  get elapsedSec(): number {
    return (performance.now() - this.started) / 1000;
  }

  step(message: string): void {
    this.write(`[${this.elapsedSec.toFixed(1).padStart(6)}s] ${message}`);
  }
}

/** A silent Progress, for tests. */
export const quietProgress = (): Progress => new Progress(() => undefined);
