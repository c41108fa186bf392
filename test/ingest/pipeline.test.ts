// The ingest steps together, on an in-memory DuckDB store (sites and salts) with a fixed clock.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { openCountryLookup } from '../../src/ingest/geo.js';
import type { Hit, RequestInfo } from '../../src/ingest/hit.js';
import { isDrop } from '../../src/ingest/hit.js';
import { parseEventBody } from '../../src/ingest/parse-request.js';
import { createPipeline, runPipeline } from '../../src/ingest/pipeline.js';
import { SaltKeeper } from '../../src/ingest/salts.js';
import { SessionTracker } from '../../src/ingest/session.js';
import { SiteRegistry } from '../../src/ingest/site-registry.js';
import { createUserAgentParser } from '../../src/ingest/user-agent.js';
import type { EventRow } from '../../src/store/event-row.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const clock = fixedClock(Date.UTC(2026, 2, 28, 23, 50));
let run: (hit: Hit, request: RequestInfo) => EventRow | { drop: string };
let salts: SaltKeeper;

const request = (patch: Partial<RequestInfo> = {}): RequestInfo => ({ ip: '81.2.69.160', userAgent: UA, headers: { 'user-agent': UA }, receivedAt: clock.now(), ...patch });
const hit = (body: Record<string, unknown>) => parseEventBody(JSON.stringify({ n: 'pageview', d: 'example.com', ...body }));
const row = (result: ReturnType<typeof run>): EventRow => {
  assert.ok(!isDrop(result), `dropped: ${JSON.stringify(result)}`);
  return result as EventRow;
};

before(async () => {
  const store = await DuckDbStore.open({ file: ':memory:' });
  await store.migrate();
  await store.addSite({ domain: 'example.com', timezone: 'Europe/London' });
  const sites = new SiteRegistry(store);
  await sites.reload();
  salts = new SaltKeeper(store, clock);
  await salts.refresh([24]);
  const pipeline = createPipeline({ sites, salts, sessions: new SessionTracker(), country: openCountryLookup(), userAgent: createUserAgentParser() });
  run = (h, r) => runPipeline(pipeline, h, r);
});

describe('ingest pipeline', () => {
  it('derives source, UTM, browser, OS, device and country without keeping IP or UA', () => {
    const r = row(run(hit({ u: 'https://www.example.com/shop?utm_medium=social&utm_campaign=spring', r: 'https://t.co/abc', w: 390 }), request()));
    assert.equal(r.hostname, 'example.com');
    assert.equal(r.pathname, '/shop');
    assert.equal(r.referrer_source, 'Twitter');
    assert.equal(r.utm_medium, 'social');
    assert.equal(r.utm_campaign, 'spring');
    assert.equal(r.browser, 'Mobile Safari');
    assert.equal(r.os, 'iOS');
    assert.equal(r.device, 'Mobile');
    assert.equal(r.country, 'GB');
    assert.equal(r.ip, null);
    assert.equal(r.headers, null);
    assert.match(r.visitor_id, /^-?\d+$/);
  });

  it('treats a referrer on the site itself as no source', () => {
    const r = row(run(hit({ u: 'https://example.com/b', r: 'https://blog.example.com/a' }), request()));
    assert.equal(r.referrer_source, '');
    assert.equal(r.referrer, '');
  });

  it('keeps the hash as part of the path in hash mode', () => {
    assert.equal(row(run(hit({ u: 'https://example.com/app#/settings', h: 1 }), request())).pathname, '/app#/settings');
    assert.equal(row(run(hit({ u: 'https://example.com/app#/settings' }), request())).pathname, '/app');
  });

  it('gives different visitors different ids and keeps one visit across the daily salt rotation', async () => {
    const first = row(run(hit({ u: 'https://example.com/1' }), request()));
    const other = row(run(hit({ u: 'https://example.com/1' }), request({ ip: '81.2.69.161' })));
    assert.notEqual(first.visitor_id, other.visitor_id);
    clock.advance(20 * 60_000); // past UTC midnight: a new salt period
    await salts.refresh();
    const second = row(run(hit({ u: 'https://example.com/2' }), request()));
    assert.equal(second.session_id, first.session_id);
    assert.equal(second.visitor_id, first.visitor_id);
    clock.advance(31 * 60_000); // 30 minutes idle end the visit
    const third = row(run(hit({ u: 'https://example.com/3' }), request()));
    assert.notEqual(third.session_id, first.session_id);
    assert.notEqual(third.visitor_id, first.visitor_id, 'a new day hashes under a new salt');
  });

  it('does not start a visit from an engagement event', () => {
    const result = run(hit({ n: 'engagement', u: 'https://example.com/x', sd: 50, e: 1000 }), request({ ip: '198.51.100.1' }));
    assert.deepEqual(result, { drop: 'no_visit' });
  });

  it('stores IP and headers (minus cookies) only for a raw site', async () => {
    const store = await DuckDbStore.open({ file: ':memory:' });
    await store.migrate();
    await store.addSite({ domain: 'raw.example', raw: true });
    const sites = new SiteRegistry(store);
    await sites.reload();
    const rawSalts = new SaltKeeper(store, clock);
    await rawSalts.refresh([24]);
    const pipeline = createPipeline({ sites, salts: rawSalts, sessions: new SessionTracker(), country: () => '', userAgent: createUserAgentParser() });
    const r = row(runPipeline(pipeline, hit({ d: 'raw.example', u: 'https://raw.example/' }), request({ headers: { 'user-agent': UA, cookie: 'secret=1' } })));
    assert.equal(r.ip, '81.2.69.160');
    assert.deepEqual(JSON.parse(r.headers!), { 'user-agent': UA });
  });
});
