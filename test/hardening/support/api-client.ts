/** Small HTTP helpers for the security tests: JSON calls with a bearer key, answers as text. */
import { createHash } from 'node:crypto';
import { runCli } from '../../helpers/server.js';
import assert from 'node:assert/strict';

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

export async function call(baseUrl: string, method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** `footfall key create ...` on a data dir (through the running server when there is one); returns the key. */
export async function createKey(dataDir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const created = await runCli(dataDir, ['key', 'create', ...args], { env });
  assert.equal(created.code, 0, created.stderr);
  return created.stdout.trim();
}

/** The sha256 the store keeps of an API key (what a leak of api_keys would show). */
export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
