/**
 * Bundles the bench's child-process entry points with esbuild (as scripts/build.mjs does for
 * the CLI), so children run on plain node: no TypeScript loader in their memory or start-up,
 * which matters when their RSS is what is measured. Output goes under .tmp/ in the repo so
 * that the bundles resolve node_modules like the rest of the code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Child entry points, by name, relative to the repo root. */
const CHILDREN = {
  'bare-gif-server': 'bench/ingest/bare-gif-server.ts',
  'load-client': 'bench/ingest/load-client.ts',
  'load-dataset': 'bench/query/load-dataset.ts',
  'query-child': 'bench/query/query-child.ts',
  'load-store': 'bench/query/load-store.ts',
  'store-query-child': 'bench/query/store-query-child.ts',
} as const;

export type ChildName = keyof typeof CHILDREN;
export type ChildScripts = Record<ChildName, string> & {
  /** Repo-relative source files each bundle was built from (what its behaviour depends on). */
  sources: Record<ChildName, string[]>;
};

/**
 * Builds every child script into `outdir` (one per bench process, so that concurrent runs
 * never rewrite a bundle another run is starting) and returns each bundle's path and sources.
 */
export async function bundleChildren(outdir = path.join(REPO_ROOT, '.tmp', 'bench-build', String(process.pid))): Promise<ChildScripts> {
  const entryPoints = Object.fromEntries(Object.entries(CHILDREN).map(([name, file]) => [name, path.join(REPO_ROOT, file)]));
  const result = await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: REPO_ROOT,
  });
  const names = Object.keys(CHILDREN) as ChildName[];
  const outputs = result.metafile.outputs;
  const sources = Object.fromEntries(names.map((name) => {
    const output = Object.entries(outputs).find(([file]) => path.basename(file) === `${name}.mjs`)?.[1];
    return [name, Object.keys(output?.inputs ?? {}).sort()];
  })) as Record<ChildName, string[]>;
  return { ...Object.fromEntries(names.map((name) => [name, path.join(outdir, `${name}.mjs`)])), sources } as ChildScripts;
}
