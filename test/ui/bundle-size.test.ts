/** Budget of issue 5: the dashboard's JavaScript is at most 100 KB gzipped. Builds into a temp dir. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../helpers/server.js';

const BUDGET_BYTES = 100 * 1024;

test('the dashboard bundle fits 100 KB gzipped and its page has no inline script or style', (t) => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'footfall-ui-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import('./scripts/build-ui.mjs'); await m.buildUi(${JSON.stringify(out)});`], { cwd: REPO_ROOT });
  const assets = readdirSync(path.join(out, 'assets'));
  const js = assets.filter((f) => f.endsWith('.js'));
  assert.equal(js.length, 1, `one script, got ${assets.join(', ')}`);
  let gzipped = 0;
  let raw = 0;
  for (const file of js) {
    const data = readFileSync(path.join(out, 'assets', file));
    raw += data.length;
    gzipped += gzipSync(data, { level: 9 }).length;
  }
  t.diagnostic(`dashboard JS: ${raw} B minified, ${gzipped} B gzipped (budget ${BUDGET_BYTES})`);
  assert.ok(gzipped <= BUDGET_BYTES, `dashboard JS is ${gzipped} B gzipped, budget ${BUDGET_BYTES}`);
  const html = readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script>');
  assert.doesNotMatch(html, /<style|style=/, 'no inline style');
});

test('no dashboard source writes HTML from strings (visitor-sent text is only ever a text node)', () => {
  const dir = path.join(REPO_ROOT, 'src/ui');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  assert.ok(files.length > 10);
  for (const file of files) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(source, /dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/, file);
  }
});
