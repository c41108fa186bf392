/**
 * Runs async tasks one at a time. A DuckDB connection executes one statement at a time, and a
 * transaction must not interleave with other statements on the same connection.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
