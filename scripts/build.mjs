// Builds the server/CLI bundle (dist/cli.js). esbuild takes well under a second, so npm start and npm test run it every time.
import { build } from 'esbuild';
import { buildUi } from './build-ui.mjs';

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The dashboard's static files (dist/ui), served by the server at /.
await buildUi();
