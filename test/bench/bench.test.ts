/**
 * The bench's correctness parts, at tiny sizes (the figures themselves are the bench's job,
 * not a test's): the generator is deterministic for a seed, a short load against the real
 * server stores exactly what it acknowledged, and latest.json has every required figure.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PRESETS, type BenchOptions } from '../../bench/options.js';
import { quietProgress } from '../../bench/progress.js';
import { REQUIRED_KEYS, valueAt, type BenchResults } from '../../bench/results.js';
import { runBench, writeResults } from '../../bench/run-bench.js';
import { buildRequestMix } from '../../bench/ingest/request-mix.js';
import { completeResponse } from '../../bench/ingest/load-client.js';
import { dashboardQueries } from '../../bench/query/dashboard-queries.js';
import { datasetSites, DEFAULT_END_MS } from '../../bench/query/dataset.js';
import { generateEvents } from '../../src/generate/generate-events.js';

function take(seed: number, count: number) {
  const sites = datasetSites({ sites: 3 });
  return [...generateEvents({ seed, events: count, sites, days: 30, endMs: DEFAULT_END_MS })];
}

describe('bench: generator and request mix', () => {
  it('yields the same events for the same seed, and different ones for another seed', () => {
    const a = take(7, 3000);
    const b = take(7, 3000);
    assert.equal(a.length, 3000);
    assert.deepEqual(a, b);
    const c = take(8, 3000);
    assert.notDeepEqual(a.map((e) => e.row), c.map((e) => e.row));
  });

  it('builds the same request mix for a seed, with both collector endpoints and real browser agents', () => {
    const first = buildRequestMix({ count: 500, sites: 3, seed: 3 });
    assert.deepEqual(first, buildRequestMix({ count: 500, sites: 3, seed: 3 }));
    const paths = new Set(first.requests.map((r) => r.path.split('?')[0]));
    assert.deepEqual([...paths].sort(), ['/a.gif', '/api/event']);
    assert.ok(first.requests.some((r) => r.headers['User-Agent']?.includes('Mozilla/5.0 (Windows')));
    for (const r of first.requests.filter((x) => x.method === 'POST')) assert.doesNotThrow(() => JSON.parse(r.body!));
  });

  it('defines the dashboard query set over the requested range', () => {
    const queries = dashboardQueries('site1.example', '2026-04-01', '2026-04-30');
    assert.equal(queries.length, 12);
    for (const q of queries) assert.deepEqual(q.body.date_range, ['2026-04-01', '2026-04-30']);
  });
});

describe('bench: load client response framing', () => {
  it('finds complete responses by Content-Length and chunked framing, and waits for partial ones', () => {
    const gif = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\ncontent-length: 3\r\n\r\nGIFHTTP/1.1 202');
    assert.deepEqual(completeResponse(gif), { length: gif.length - 'HTTP/1.1 202'.length, status: 200 });
    assert.equal(completeResponse(Buffer.from('HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\no')), undefined);
    const chunked = Buffer.from('HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    assert.deepEqual(completeResponse(chunked), { length: chunked.length, status: 400 });
  });
});

describe('bench: tiny end-to-end run', () => {
  it('stores exactly what the server acknowledged and writes every required figure', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-bench-test-'));
    const outFile = path.join(dir, 'latest.json');
    const options: BenchOptions = {
      mode: 'tiny',
      parts: new Set(['ingest', 'query', 'tracker']),
      stores: ['duckdb'],
      ingest: PRESETS.tiny.ingest,
      query: PRESETS.tiny.query,
      outFile,
      profile: false,
    };
    try {
      const results = await runBench(options, quietProgress());
      writeResults(results, outFile);
      const json = JSON.parse(fs.readFileSync(outFile, 'utf8')) as BenchResults;

      assert.ok((json.ingest.acknowledged ?? 0) > 100, `acknowledged ${json.ingest.acknowledged}; notes: ${json.notes.join('; ')}`);
      assert.equal(json.ingest.stored, json.ingest.acknowledged);
      for (const key of REQUIRED_KEYS) {
        const value = valueAt(json, key);
        assert.ok(typeof value === 'number' && Number.isFinite(value), `${key} is ${JSON.stringify(value)}; notes: ${json.notes.join('; ')}`);
      }
      assert.equal(Object.keys(json.query.duckdb.queries).length, 12);
      for (const [name, ms] of Object.entries(json.query.duckdb.queries)) assert.ok(typeof ms === 'number' && ms > 0, `${name}: ${ms}`);
      assert.ok(json.query.events! > 0 && json.query.events! < PRESETS.tiny.query.events, 'bots are generated but not loaded');
      assert.ok(json.budgets.length >= 10);
      assert.ok(json.budgets.every((b) => typeof b.pass === 'boolean'), JSON.stringify(json.budgets));
      assert.equal(json.budgets.find((b) => b.key === 'ingest.stored')?.pass, true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
