/**
 * Country, browser, OS and device are derived from the IP and User-Agent that define the visitor
 * hash, so every event of a visit carries the same value (model.ts): a visit has them even when
 * none of its events in the range is a page view, while its source (from its first page view)
 * is then ''. The conformance suite checks the same rule on every store against the reference.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import { eventRow } from '../store/adapter-checks.js';
import { openTempStore } from './support/dataset.js';

const DAY2 = Date.UTC(2024, 2, 2);

test('a visit without a page view in the range keeps its country and browser, and has no source', async () => {
  const { store, dir } = await openTempStore('footfall-visitor-attrs-');
  try {
    const site = await store.addSite({ domain: 'attrs.example', timezone: 'UTC' });
    const a = { site_id: site.id, session_id: '101', visitor_id: '201', country: 'DE', browser: 'Firefox', referrer_source: 'Google' };
    const b = { site_id: site.id, session_id: '102', visitor_id: '202', country: 'FR', browser: 'Chrome', referrer_source: 'Bing' };
    await store.insertEvents([
      // Visit a: its page view is the evening before the range, its custom event inside it.
      eventRow({ ...a, ts: DAY2 - 10 * 60_000, name: 'pageview' }),
      eventRow({ ...a, ts: DAY2 + 5 * 60_000, name: 'Signup', interactive: true }),
      eventRow({ ...b, ts: DAY2 + 10 * 3_600_000, name: 'pageview' }),
    ]);
    const ask = (metrics: string[], dimension: string) => runQuery({ store, clock: fixedClock(DAY2 + 86_400_000) },
      parseQuery({ site_id: site.domain, date_range: ['2024-03-02', '2024-03-02'], metrics, dimensions: [dimension] }), site);
    // Per event (event shape), per visit (visits asked) and with the total in the same statement.
    const countries = await ask(['visitors', 'visits'], 'visit:country');
    assert.deepEqual(countries.results.map((r) => [r.dimensions[0], ...r.metrics]).sort(), [['DE', 1, 1], ['FR', 1, 1]]);
    const countryVisitors = await ask(['visitors'], 'visit:country');
    assert.deepEqual(countryVisitors.results.map((r) => [r.dimensions[0], ...r.metrics]).sort(), [['DE', 1], ['FR', 1]]);
    const browsers = await ask(['visitors', 'percentage'], 'visit:browser');
    assert.deepEqual(browsers.results.map((r) => [r.dimensions[0], ...r.metrics]).sort(), [['Chrome', 1, 50], ['Firefox', 1, 50]]);
    const sources = await ask(['visitors', 'visits'], 'visit:source');
    assert.deepEqual(sources.results.map((r) => [r.dimensions[0], ...r.metrics]).sort(), [['', 1, 1], ['Bing', 1, 1]]);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
