/**
 * A raw HTTP/1.1 client over one TCP connection per request: fetch refuses the malformed
 * requests the fuzzer must send (invalid header bytes, odd methods, broken framing), so requests
 * are written as bytes and only the status line of the answer is read. Loopback only.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Request target, raw bytes allowed. */
  target: string | Buffer;
  /** Header lines; values may hold any byte (latin1 strings or buffers). */
  headers: Array<[string, string | Buffer]>;
  body?: Buffer;
  /** Adds Content-Length for the body (default true; false for chunked or lying framing). */
  contentLength?: boolean;
  /** Whole request bytes, replacing everything above (malformed request lines). */
  raw?: Buffer;
}

export type RawOutcome =
  | { kind: 'status'; status: number; head: string }
  /** The server closed without answering. */
  | { kind: 'closed' }
  | { kind: 'error'; code: string }
  | { kind: 'timeout' };

const CRLF = Buffer.from('\r\n');

export function encodeRequest(request: RawRequest): Buffer {
  if (request.raw) return request.raw;
  const parts: Buffer[] = [Buffer.from(`${request.method} `, 'latin1'), Buffer.isBuffer(request.target) ? request.target : Buffer.from(request.target, 'latin1'), Buffer.from(' HTTP/1.1\r\n')];
  for (const [name, value] of request.headers) {
    parts.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), CRLF);
  }
  if (request.body && request.contentLength !== false) parts.push(Buffer.from(`Content-Length: ${request.body.length}\r\n`));
  parts.push(CRLF);
  if (request.body) parts.push(request.body);
  return Buffer.concat(parts);
}

/**
 * Sends the bytes on a new connection and resolves with the answer's status. `abortAfterWrite`
 * closes the connection right after writing (a client that goes away mid-request).
 */
export function sendRaw(port: number, bytes: Buffer, options: { timeoutMs: number; abortAfterWrite?: boolean }): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let head = '';
    let settled = false;
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs);
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.abortAfterWrite) finish({ kind: 'closed' });
      });
    });
    socket.on('data', (chunk: Buffer) => {
      // The status line is all we judge; keep reading (bounded) until it is complete.
      if (head.length < 2048) head += chunk.toString('latin1', 0, Math.min(chunk.length, 2048));
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (match && head.includes('\r\n')) finish({ kind: 'status', status: Number(match[1]), head: head.split('\r\n\r\n')[0]! });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      finish(match ? { kind: 'status', status: Number(match[1]), head } : { kind: 'error', code: err.code ?? err.message });
    });
    socket.on('close', () => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      finish(match ? { kind: 'status', status: Number(match[1]), head } : { kind: 'closed' });
    });
  });
}
