import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTracker } from '../../src/tracker/build.js';

test('the built tracker fits the 1,000-byte gzip budget', async (t) => {
  const built = await buildTracker();
  t.diagnostic(`tracker: ${built.minBytes} B minified, ${built.gzipBytes} B gzipped`);
  assert.ok(built.gzipBytes <= 1000, `tracker is ${built.gzipBytes} B gzipped, budget 1000`);
  assert.ok(built.minBytes > 0 && built.minBytes === Buffer.byteLength(built.code));
  assert.ok(built.code.includes('/api/event'));
  // No storage of any kind: the privacy model forbids it.
  assert.doesNotMatch(built.code, /cookie|localStorage|sessionStorage|indexedDB/);
  assert.doesNotThrow(() => new Function(built.code), 'minified output parses');
});
