/** Tracker size: the script as /script.js serves it (minified), and gzipped (level 9). */
import { stop as stopEsbuild } from 'esbuild';
import { buildTracker } from '../src/tracker/build.js';

export async function measureTracker(): Promise<{ min_bytes: number; gzip_bytes: number }> {
  try {
    const tracker = await buildTracker();
    return { min_bytes: tracker.minBytes, gzip_bytes: tracker.gzipBytes };
  } finally {
    // esbuild's service process would otherwise keep the bench alive after the last step.
    await stopEsbuild();
  }
}
