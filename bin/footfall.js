#!/usr/bin/env node
// The `footfall` command: runs the bundled CLI built by scripts/build.mjs (npm install/start/test build it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  console.error('footfall: dist/cli.js is missing; run `npm run build` first');
  process.exit(1);
}
await import(bundle);
