/**
 * Child process: the bench's own HTTP load generator, in two modes.
 * - 'constant' (open loop): request i is due at start + i/rate whether or not earlier ones
 *   were answered, and its latency counts from that due time, so a stalled server shows up in
 *   the tail instead of silently slowing the sender (no coordinated omission). wrk has no
 *   such mode and wrk2 is not packaged in Debian.
 * - 'closed' (max rate): each connection sends its next request as soon as the last one is
 *   answered; used for the max-rate runs only when wrk is not installed.
 *
 * It speaks HTTP/1.1 keep-alive over raw sockets with pre-serialised requests: node:http's
 * client (Agent keepAlive) topped out near 8k requests/s on one core of the bench machine,
 * below the rates this must hold, and its own queueing showed up as server latency.
 *
 * Input: one JSON argument (LoadClientInput). Output: one line `LOAD_CLIENT_JSON {...}`.
 * Bounded: warm-up plus duration, and whatever is still open graceSec after the end is
 * abandoned and counted as timed out; constant mode sends at most rate * seconds requests.
 */
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadRequest } from './load-request.js';

export interface LoadClientInput {
  mode: 'constant' | 'closed';
  url: string;
  /** Requests per second (constant mode). */
  rate: number;
  durationSec: number;
  connections: number;
  /** JSON file holding LoadRequest[]. */
  requestsFile: string;
  graceSec?: number;
  /** Seconds of the same load before measuring starts (connections open, JIT warms up); not counted. */
  warmupSec?: number;
}

export interface LoadClientOutput {
  /** Requests sent in the measured period. */
  scheduled: number;
  completed: number;
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  errors: number;
  timedOut: number;
  achievedRps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How far behind schedule the sender itself fell (ms): large values mean the client, not the server, was the limit. */
  maxSendLagMs: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function serialise(r: LoadRequest, host: string): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  let head = `${r.method} ${r.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [k, v] of Object.entries(r.headers)) head += `${k}: ${v}\r\n`;
  if (body) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  return body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);
}

/**
 * Length of the first complete response in `buffer` and its status, or undefined when more
 * bytes are needed. Handles Content-Length and chunked bodies, which is all a collector sends.
 */
export function completeResponse(buffer: Buffer): { length: number; status: number } | undefined {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd === -1) return undefined;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (lengthMatch) {
    const length = headerEnd + 4 + Number(lengthMatch[1]);
    return buffer.length >= length ? { length, status } : undefined;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buffer.indexOf(CHUNKED_END, headerEnd + 2);
    return end === -1 ? undefined : { length: end + CHUNKED_END.length, status };
  }
  return { length: headerEnd + 4, status };
}

interface Connection {
  socket: net.Socket;
  busy: { i: number; dueAt: number } | undefined;
  buffer: Buffer;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as LoadClientInput;
  const specs = JSON.parse(fs.readFileSync(input.requestsFile, 'utf8')) as LoadRequest[];
  const target = new URL(input.url);
  const wire = specs.map((r) => serialise(r, target.host));
  const closed = input.mode === 'closed';
  const warmupMs = (input.warmupSec ?? 0) * 1000;
  const endMs = warmupMs + input.durationSec * 1000;
  const intervalMs = closed ? 0 : 1000 / input.rate;
  const warmup = closed ? 0 : Math.round(input.rate * (input.warmupSec ?? 0));
  const total = closed ? Infinity : warmup + Math.max(1, Math.round(input.rate * input.durationSec));
  // Closed mode stores at most what one core could answer in the time; the rest is not timed.
  const capacity = closed ? Math.ceil(input.durationSec * 200_000) : total;
  const latencies = new Float64Array(capacity);
  let completed = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let sentMeasured = 0;
  let settled = 0;
  let maxSendLagMs = 0;
  let running = true;
  let start = 0;
  const queue: number[] = [];
  let queueHead = 0;
  const idle: Connection[] = [];

  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => { finish = resolve; });
  // Constant mode measures by index (exact counts); closed mode by the time a request was sent.
  const measuring = (i: number, dueAt: number) => (closed ? dueAt - start >= warmupMs && dueAt - start < endMs : i >= warmup);
  const settle = (i: number, dueAt: number, status: number | undefined) => {
    settled++;
    if (measuring(i, dueAt) && completed < capacity) {
      // Stored in completion order so that the first `completed` slots are exactly the answers.
      latencies[completed] = performance.now() - dueAt;
      completed++;
      if (status === undefined) errors++;
      else if (status >= 200 && status < 300) ok++;
      else non2xx++;
    }
    if (settled === total) finish();
  };

  const send = (conn: Connection, i: number, dueAt: number) => {
    conn.busy = { i, dueAt };
    if (measuring(i, dueAt)) sentMeasured++;
    conn.socket.write(wire[i % wire.length]!);
  };

  const dispatch = (conn: Connection) => {
    if (closed) {
      const now = performance.now();
      // Bounded in count too: no more requests than the latencies can record.
      if (running && now - start < endMs && sent < capacity) send(conn, sent++, now);
      else idle.push(conn);
      return;
    }
    if (queueHead < queue.length) {
      const i = queue[queueHead++]!;
      if (queueHead > 4096 && queueHead * 2 > queue.length) {
        queue.splice(0, queueHead);
        queueHead = 0;
      }
      send(conn, i, start + i * intervalMs);
    } else {
      idle.push(conn);
    }
  };

  const open = (): Promise<Connection> => new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    const conn: Connection = { socket, busy: undefined, buffer: Buffer.alloc(0) };
    socket.once('connect', () => resolve(conn));
    socket.once('error', reject);
    socket.on('data', (data: Buffer) => {
      conn.buffer = conn.buffer.length === 0 ? data : Buffer.concat([conn.buffer, data]);
      const response = completeResponse(conn.buffer);
      if (!response || !conn.busy) return;
      conn.buffer = conn.buffer.subarray(response.length);
      const done = conn.busy;
      conn.busy = undefined;
      settle(done.i, done.dueAt, response.status);
      dispatch(conn);
    });
    socket.on('close', () => {
      if (conn.busy) settle(conn.busy.i, conn.busy.dueAt, undefined);
      conn.busy = undefined;
      const at = idle.indexOf(conn);
      if (at !== -1) idle.splice(at, 1);
      // A connection the server closed is replaced, so the offered load stays what was asked.
      if (running) void open().then(dispatch, () => undefined);
    });
  });

  const connections = await Promise.all(Array.from({ length: input.connections }, open));
  start = performance.now();
  if (closed) {
    for (const conn of connections) dispatch(conn);
  } else {
    for (const conn of connections) idle.push(conn);
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
      if (sent < due && sent >= warmup) maxSendLagMs = Math.max(maxSendLagMs, now - (start + sent * intervalMs));
      while (sent < due) {
        queue.push(sent++);
        const conn = idle.pop();
        if (conn) dispatch(conn);
      }
      // Busy-polling keeps the schedule tight; the client has a core of its own when pinned.
      if (sent < total) setImmediate(tick);
    };
    tick();
  }

  const graceMs = endMs + (input.graceSec ?? 5) * 1000;
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, closed ? endMs : graceMs).unref());
  await Promise.race([allDone, deadline]);
  if (closed) {
    // Let the requests in flight at the end answer (they were sent inside the window).
    const drained = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (connections.every((c) => !c.busy)) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, (input.graceSec ?? 5) * 1000))]);
  }
  running = false;
  for (const conn of connections) conn.socket.destroy();
  const measured = latencies.slice(0, completed).sort();

  const output: LoadClientOutput = {
    scheduled: closed ? sentMeasured : total - warmup,
    completed,
    ok,
    non2xx,
    errors,
    timedOut: (closed ? sentMeasured : total - warmup) - completed,
    achievedRps: completed / input.durationSec,
    p50Ms: percentile(measured, 50),
    p90Ms: percentile(measured, 90),
    p99Ms: percentile(measured, 99),
    maxMs: percentile(measured, 100),
    maxSendLagMs,
  };
  process.stdout.write(`LOAD_CLIENT_JSON ${JSON.stringify(output)}\n`);
  process.exit(0);
}

// Only run when executed as a script, so that completeResponse can be imported by tests.
if (process.argv[1] && /load-client\.(ts|mjs|js)$/.test(process.argv[1])) void main();
