/**
 * Builds the browser tracker (src/tracker/script.ts) into the minified IIFE served at /script.js.
 * Nothing is cached here (no module-level state): callers build once at start-up and keep the result.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The built tracker and its sizes in bytes (UTF-8 code, and gzip level 9 of it). */
export interface BuiltTracker {
  code: string;
  minBytes: number;
  gzipBytes: number;
}

/**
 * Finds script.ts: beside this module when run from source (tsx), or under src/tracker/ when
 * this module was bundled into dist/cli.js (then import.meta.url points into dist/).
 */
function scriptPath(): string {
  const candidates = [new URL('./script.ts', import.meta.url), new URL('../src/tracker/script.ts', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`tracker source not found; looked at ${candidates.map((c) => fileURLToPath(c)).join(', ')}`);
}

/**
 * Bundles and minifies the tracker with esbuild (IIFE, ES2017) in memory.
 * @returns the code plus its minified and gzipped sizes in bytes.
 */
export async function buildTracker(): Promise<BuiltTracker> {
  const result = await build({
    entryPoints: [scriptPath()],
    write: false,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'silent',
    // The repo tsconfig's strict mode would add a "use strict" prologue: bytes the tracker does not need.
    tsconfigRaw: {},
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for the tracker');
  // esbuild ends the file with a newline; the served script does not need it.
  const code = file.text.trimEnd();
  return {
    code,
    minBytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
  };
}
