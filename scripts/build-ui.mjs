// Builds the dashboard (src/ui, Preact + uPlot) into dist/ui: hashed assets and an index.html
// that links them (no inline script or style, so the strict CSP holds). Called by build.mjs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export async function buildUi(outDir = 'dist/ui') {
  rmSync(outDir, { recursive: true, force: true });
  const assets = path.join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: 'src/ui/main.tsx' },
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`dashboard build produced ${outputs.join(', ')}`);
  const html = readFileSync('src/ui/index.html', 'utf8').replace('%JS%', js).replace('%CSS%', css);
  writeFileSync(path.join(outDir, 'index.html'), html);
  return { js: path.join(assets, js), css: path.join(assets, css) };
}
