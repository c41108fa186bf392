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
import { defaultPostgresUrl, parseBenchArgs, PRESETS, type BenchOptions } from '../../bench/options.js';
import { quietProgress } from '../../bench/progress.js';
import { REQUIRED_KEYS, valueAt, type BenchResults } from '../../bench/results.js';
import { runBench, writeResults } from '../../bench/run-bench.js';
import { buildRequestMix } from '../../bench/ingest/request-mix.js';
import { completeResponse } from '../../bench/ingest/load-client.js';
import { dashboardQueries } from '../../bench/query/dashboard-queries.js';
import { datasetSites, DEFAULT_END_MS } from '../../bench/query/dataset.js';
import { generateEvents } from '../../src/generate/generate-events.js';
import { skipOrFailWithout } from '../helpers/postgres.js';

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
      postgresUrl: defaultPostgresUrl(),
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

describe('bench: the dashboard set on Postgres and ClickHouse', () => {
  // What the bench says when a store cannot run here at all (then the test skips, or fails
  // under FOOTFALL_TEST_REQUIRE_ALL=1); any other error is a failure of the bench.
  const ABSENT = { postgres: /^no Postgres server/, clickhouse: /chdb package is not installed/ } as const;

  it('takes the stores and the Postgres server from the flags, and refuses an unknown store', () => {
    const options = parseBenchArgs(['--stores', 'duckdb, postgres,clickhouse', '--postgres-url', 'postgres://u:p@db:5433/x']);
    assert.ok(options !== 'help');
    assert.deepEqual(options.stores, ['duckdb', 'postgres', 'clickhouse']);
    assert.equal(options.postgresUrl, 'postgres://u:p@db:5433/x');
    const quick = parseBenchArgs(['--quick']);
    assert.ok(quick !== 'help');
    assert.deepEqual(quick.stores, ['duckdb'], 'the default stays DuckDB only (quick under 60 s)');
    assert.throws(() => parseBenchArgs(['--stores', 'duckdb,mysql']), /--stores: unknown store "mysql"/);
  });

  for (const store of ['postgres', 'clickhouse'] as const) {
    it(`loads the same data set into ${store} and reports every per-store figure`, { timeout: 120_000 }, async (t) => {
      const options: BenchOptions = {
        mode: 'tiny', parts: new Set(['query']), stores: ['duckdb', store],
        ingest: PRESETS.tiny.ingest, query: PRESETS.tiny.query, outFile: undefined, profile: false, postgresUrl: defaultPostgresUrl(),
      };
      const results = await runBench(options, quietProgress());
      const json = JSON.parse(JSON.stringify(results)) as BenchResults;
      const figures = json.query[store] as BenchResults['query']['duckdb'] | undefined;
      assert.ok(figures, `query.${store} is missing`);
      if (figures.error && ABSENT[store].test(figures.error)) {
        skipOrFailWithout(t, figures.error);
        return;
      }
      const notes = json.notes.join('; ');
      for (const key of ['total_ms', 'max_query_ms', 'load_s', 'events', 'site_events', 'bytes_per_event', 'query_mb'] as const) {
        const value = figures[key];
        assert.ok(typeof value === 'number' && Number.isFinite(value), `query.${store}.${key} is ${JSON.stringify(value)}; notes: ${notes}`);
      }
      if (store === 'postgres') assert.equal(typeof figures.server_anon_mb, 'number', 'Postgres backends were sampled');
      assert.deepEqual(Object.keys(figures.queries), Object.keys(json.query.duckdb.queries));
      for (const [name, ms] of Object.entries(figures.queries)) assert.ok(typeof ms === 'number' && ms > 0, `${store} ${name}: ${ms}`);
      // The total sums the unrounded medians; each shown figure is rounded to 0.1 ms.
      const sum = Object.values(figures.queries).reduce((a: number, b) => a + b!, 0);
      assert.ok(Math.abs(figures.total_ms! - sum) <= 0.05 * Object.keys(figures.queries).length + 1e-9, `total ${figures.total_ms} vs sum ${sum}`);
      // The same generator, spec and seed as DuckDB's load: the same rows, so the same counts.
      assert.equal(figures.events, json.query.events);
      assert.equal(figures.site_events, json.query.site_events);
      assert.ok(!json.notes.some((n) => /returned no rows|holds \d+ events/.test(n)), notes);
    });
  }

  it('reports a store it cannot reach as n/a with the reason, and still finishes the run', { timeout: 60_000 }, async () => {
    const options: BenchOptions = {
      mode: 'tiny', parts: new Set(['query']), stores: ['postgres'],
      ingest: PRESETS.tiny.ingest, query: PRESETS.tiny.query, outFile: undefined, profile: false,
      // A port nothing listens on (1 needs root to bind; connections to it are refused).
      postgresUrl: 'postgres://footfall:footfall@127.0.0.1:1/footfall_test',
    };
    const results = await runBench(options, quietProgress());
    const figures = results.query.postgres as BenchResults['query']['duckdb'] | undefined;
    assert.equal(figures?.total_ms, null);
    assert.match(figures?.error ?? '', /connection refused|ECONNREFUSED/);
    assert.ok(results.notes.some((n) => /^query\.postgres: n\/a \(no Postgres server at .*127\.0\.0\.1:1/.test(n)), results.notes.join('; '));
  });
});
