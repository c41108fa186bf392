/**
 * Property tests (fast-check) of the two edge parsers (issue 7): whatever a client sends,
 * request parsing (src/ingest/parse-request.ts) gives a Hit or AppError('bad_request'), and the
 * Stats API query parser (src/query/parse-query.ts) gives a Query or AppError('invalid_query');
 * never another exception. The values they return hold their documented invariants, and a
 * parsed hit always becomes a row every store can hold (no NUL, no lone surrogate, numbers in
 * their column types' range): a row a store refuses would be an acknowledged event lost, or a
 * spool segment retried forever.
 * Runs are bounded (numRuns) and seeded by fast-check; a failure prints its seed and path.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { fixedClock } from '../../src/clock.js';
import { AppError } from '../../src/errors.js';
import { openCountryLookup } from '../../src/ingest/geo.js';
import { isDrop, type Hit } from '../../src/ingest/hit.js';
import { decodeUtf8, parseEventBody, parseGifQuery } from '../../src/ingest/parse-request.js';
import { createPipeline, runPipeline, type Pipeline } from '../../src/ingest/pipeline.js';
import { SaltKeeper } from '../../src/ingest/salts.js';
import { SessionTracker } from '../../src/ingest/session.js';
import { SiteRegistry } from '../../src/ingest/site-registry.js';
import { createUserAgentParser } from '../../src/ingest/user-agent.js';
import { MAX_LIMIT, METRICS, type Query } from '../../src/query/model.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { EVENT_COLUMNS, type EventRow } from '../../src/store/event-row.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { eventBodyText, eventObject, json, pageUrl, queryBody, text } from './support/arbitraries.js';

const RUNS = Number(process.env.FOOTFALL_FUZZ_RUNS ?? 3000);

/** Runs `parse` and returns its value, or the AppError with the expected code; anything else fails the property. */
function valueOrTypedError<T>(parse: () => T, code: string, oneLine = true): T | AppError {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AppError && err.code === code && err.message.length > 0 && (!oneLine || !err.message.includes('\n'))) return err;
    throw new Error(`expected a value or AppError('${code}')${oneLine ? ' with a one-line message' : ''}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, { cause: err });
  }
}

function assertHitInvariants(hit: Hit): void {
  assert.equal(typeof hit.name, 'string');
  assert.ok(hit.name.length >= 1 && hit.name.length <= 120, `name length ${hit.name.length}`);
  const url = new URL(hit.url);
  assert.ok(url.protocol === 'http:' || url.protocol === 'https:');
  assert.ok(hit.title.length <= 500);
  assert.ok(hit.referrer.length <= 2000);
  for (const [k, v] of Object.entries(hit.props)) assert.ok(typeof v === 'string' && k.length > 0);
  assert.ok(Object.keys(hit.props).length <= 30);
  if (hit.revenue) assert.ok(Number.isFinite(hit.revenue.amount) && /^[A-Z]{3}$/.test(hit.revenue.currency));
  if (hit.screenWidth !== null) assert.ok(Number.isInteger(hit.screenWidth) && hit.screenWidth >= 0);
  if (hit.scrollDepth !== null) assert.ok(Number.isInteger(hit.scrollDepth) && hit.scrollDepth >= 0 && hit.scrollDepth <= 100);
  if (hit.engagementMs !== null) assert.ok(Number.isInteger(hit.engagementMs) && hit.engagementMs >= 0);
  assert.equal(typeof hit.hashMode, 'boolean');
  assert.equal(typeof hit.interactive, 'boolean');
}

// --- the row every store can hold ----------------------------------------------------------

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Integer column ranges shared by the stores' schemas (SMALLINT / INTEGER). */
const INT_RANGES: Partial<Record<keyof EventRow, [number, number]>> = {
  screen_width: [0, 32767], scroll_depth: [0, 100], engagement_ms: [0, 2 ** 31 - 1],
};

/** Columns that are never null: a missing one (e.g. a function that JSON drops) fails every store's NOT NULL. */
const TEXT_COLUMNS = EVENT_COLUMNS.filter((c) => !['site_id', 'ts', 'screen_width', 'revenue_amount', 'scroll_depth', 'engagement_ms', 'interactive', 'ip', 'headers'].includes(c));

function assertStorable(row: EventRow): void {
  for (const column of TEXT_COLUMNS) assert.equal(typeof row[column], 'string', `${column} is ${typeof row[column]}, not a string`);
  for (const column of EVENT_COLUMNS) {
    const value = row[column];
    if (typeof value === 'string') {
      assert.ok(!value.includes('\u0000'), `${column} holds NUL (Postgres text cannot): ${JSON.stringify(value)}`);
      assert.ok(!LONE_SURROGATE.test(value), `${column} holds a lone surrogate (not UTF-8; DuckDB drops the row, Postgres refuses the batch): ${JSON.stringify(value)}`);
    }
    const range = INT_RANGES[column];
    if (range && value !== null) {
      assert.ok(typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1], `${column} = ${value} is outside ${range}`);
    }
  }
  for (const column of ['props', 'query', 'headers'] as const) {
    const value = row[column];
    if (value === null) continue;
    // JSON text columns: \u0000 escapes are refused by Postgres jsonb casts and lone \ud800 escapes by every engine.
    assert.doesNotMatch(value, /\\u0000|\\ud[89ab][0-9a-f](?!\\ud[c-f])/i, `${column} holds an escape no store can read: ${value}`);
  }
}

let pipeline: Pipeline;
const clock = fixedClock(Date.UTC(2026, 4, 1, 12));
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

before(async () => {
  const store = await DuckDbStore.open({ file: ':memory:' });
  await store.migrate();
  await store.addSite({ domain: 'example.com', timezone: 'UTC', raw: true });
  const sites = new SiteRegistry(store);
  await sites.reload();
  const salts = new SaltKeeper(store, clock);
  await salts.refresh([24]);
  pipeline = createPipeline({ sites, salts, sessions: new SessionTracker(), country: openCountryLookup(), userAgent: createUserAgentParser() });
}, { timeout: 60_000 });

describe('request parsing never throws anything but AppError(bad_request)', { timeout: 120_000 }, () => {
  test('decodeUtf8: any bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), text.map((s) => new Uint8Array(Buffer.from(s)))), (bytes) => {
      const out = valueOrTypedError(() => decodeUtf8(Buffer.from(bytes)), 'bad_request');
      // Whatever decodes re-encodes to the same bytes (strict: no silent U+FFFD); only a leading BOM is dropped.
      const withoutBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
      if (typeof out === 'string') assert.deepEqual(Buffer.from(out), Buffer.from(withoutBom));
    }), { numRuns: RUNS });
  });

  test('parseEventBody: any text, JSON and mutated event bodies', () => {
    fc.assert(fc.property(eventBodyText, (body) => {
      const out = valueOrTypedError(() => parseEventBody(body), 'bad_request');
      if (!(out instanceof AppError)) assertHitInvariants(out);
    }), { numRuns: RUNS * 2 });
  });

  test('parseGifQuery: any query object (repeated keys become arrays)', () => {
    const value = fc.oneof(text, pageUrl, fc.array(text, { maxLength: 3 }), fc.constant(undefined), json);
    const query = fc.record({ url: value, t: value, ref: value }, { requiredKeys: [] })
      .chain((q) => fc.dictionary(text, value, { maxKeys: 3 }).map((extra) => ({ ...extra, ...q })));
    fc.assert(fc.property(query, (q) => {
      const out = valueOrTypedError(() => parseGifQuery(q as Record<string, unknown>), 'bad_request');
      if (!(out instanceof AppError)) assertHitInvariants(out);
    }), { numRuns: RUNS });
  });

  test('every accepted hit becomes a row every store can hold', () => {
    const hits = fc.oneof(
      eventObject.map((o) => JSON.stringify({ n: 'pageview', u: 'https://example.com/', ...o, d: 'example.com' })),
      fc.tuple(pageUrl, text, fc.oneof(text, pageUrl)).map(([u, t, ref]) => ({ u, t, ref })),
    );
    let rows = 0;
    fc.assert(fc.property(hits, text, (input, ua) => {
      let hit: Hit;
      try {
        hit = typeof input === 'string' ? parseEventBody(input) : parseGifQuery({ url: input.u, t: input.t, ref: input.ref });
      } catch (err) {
        if (err instanceof AppError) return;
        throw err;
      }
      // Headers as Node gives them: latin1 strings without NUL or CR/LF.
      const userAgent = `${UA} ${ua}`.replace(/[^\u0020-\u00ff]/g, '');
      const result = runPipeline(pipeline, hit, { ip: '203.0.113.9', userAgent, headers: { 'user-agent': userAgent, 'x-extra': userAgent }, receivedAt: clock.now() });
      if (isDrop(result)) return;
      rows++;
      assertStorable(result);
    }), { numRuns: RUNS * 2 });
    assert.ok(rows > RUNS / 4, `too few hits reached the row (${rows}); the generator is off`);
  });
});

describe('the query parser never throws anything but AppError(invalid_query)', { timeout: 120_000 }, () => {
  function assertQueryInvariants(q: Query): void {
    assert.ok(q.metrics.length >= 1 && q.metrics.every((m) => (METRICS as readonly string[]).includes(m)));
    assert.equal(new Set(q.metrics).size, q.metrics.length);
    assert.ok(q.dimensions.filter((d) => d.kind === 'time').length <= 1);
    assert.ok(Number.isInteger(q.pagination.limit) && q.pagination.limit >= 1 && q.pagination.limit <= MAX_LIMIT);
    assert.ok(Number.isInteger(q.pagination.offset) && q.pagination.offset >= 0);
    assert.ok(typeof q.siteId === 'string' && q.siteId.length > 0);
  }

  test('structured queries with every field of the wrong type', () => {
    let valid = 0;
    fc.assert(fc.property(queryBody, (body) => {
      // Through JSON, as the server receives it (drops undefined, turns -0 into 0).
      const out = valueOrTypedError(() => parseQuery(JSON.parse(JSON.stringify(body))), 'invalid_query', false);
      if (!(out instanceof AppError)) {
        valid++;
        assertQueryInvariants(out);
      }
    }), { numRuns: RUNS * 2 });
    assert.ok(valid > 0, 'no generated query was valid; the generator is off');
  });

  test('any JSON value, and deeply nested filters', () => {
    const deep = fc.integer({ min: 1, max: 5000 }).map((depth) => {
      let f: unknown = ['is', 'event:page', ['/']];
      for (let i = 0; i < depth; i++) f = i % 2 ? ['not', f] : ['and', [f]];
      return { site_id: 'example.com', metrics: ['visitors'], date_range: '7d', filters: [f] };
    });
    fc.assert(fc.property(fc.oneof(json, deep, fc.anything()), (body) => {
      valueOrTypedError(() => parseQuery(body), 'invalid_query', false);
    }), { numRuns: RUNS });
  });

  // Found by this file: checkKeys() echoed an unknown key verbatim, so a key holding a newline
  // made a two-line message (errors.ts promises one line). Keys are quoted now.
  test('error messages are one line, whatever the keys', () => {
    for (const body of [{ site_id: 'example.com', metrics: ['visitors'], date_range: '7d', 'a\nb': 1 }, { 'x\ny': 1 }]) {
      valueOrTypedError(() => parseQuery(body), 'invalid_query');
    }
  });
});
