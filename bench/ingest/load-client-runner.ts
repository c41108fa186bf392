/** Runs the bench's load client (load-client.ts) as a child pinned to the load core. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exited } from '../system/child-process.js';
import { pinned, type Pinning } from '../system/cpu-pinning.js';
import type { LoadClientInput, LoadClientOutput } from './load-client.js';
import type { LoadRequest } from './load-request.js';

export interface LoadClientOptions {
  mode: LoadClientInput['mode'];
  url: string;
  /** Requests per second (constant mode; ignored in closed mode). */
  rate: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
  requests: readonly LoadRequest[];
  workDir: string;
  pinning: Pinning;
  /** The bundled load-client script. */
  script: string;
}

export async function runLoadClient(options: LoadClientOptions): Promise<LoadClientOutput> {
  const requestsFile = path.join(options.workDir, 'requests.json');
  fs.writeFileSync(requestsFile, JSON.stringify(options.requests));
  const input: LoadClientInput = {
    mode: options.mode, url: options.url, rate: options.rate, durationSec: options.durationSec, warmupSec: options.warmupSec,
    connections: options.connections, requestsFile, graceSec: 5,
  };
  const [command, args] = pinned(options.pinning, 'load', process.execPath, [options.script, JSON.stringify(input)]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const guard = setTimeout(() => child.kill('SIGKILL'), (options.warmupSec + options.durationSec + 30) * 1000);
  const code = await exited(child);
  clearTimeout(guard);
  const line = /^LOAD_CLIENT_JSON (.+)$/m.exec(output);
  if (!line?.[1]) throw new Error(`load client exited with ${code} without results:\n${output}`);
  return JSON.parse(line[1]) as LoadClientOutput;
}
