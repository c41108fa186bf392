/**
 * Servers that cannot outlive their test: a failed assertion must not leave `footfall serve`
 * running, because its pipes would keep the test process (and a whole `npm test`) alive.
 */
import type { TestContext } from 'node:test';
import { startServer, type RunningServer, type StartOptions } from '../../helpers/server.js';

export function isRunning(server: RunningServer): boolean {
  return server.process.exitCode === null && server.process.signalCode === null;
}

/** startServer, killed (-9) when the test ends if it is still running. */
export async function startManaged(t: Pick<TestContext, 'after'>, options: StartOptions = {}): Promise<RunningServer> {
  const server = await startServer(options);
  t.after(async () => {
    if (isRunning(server)) await server.kill9();
  });
  return server;
}
