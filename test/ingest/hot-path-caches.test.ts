// The ingest hot path's caches and group commit give the same answers as the plain steps.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createBotCheck, dropBots } from '../../src/ingest/drop-bots.js';
import { Spool } from '../../src/ingest/spool.js';
import { SpoolBatch } from '../../src/ingest/spool-batch.js';
import { VisitorIdCache } from '../../src/ingest/visitor-cache.js';
import { visitorId } from '../../src/ingest/visitor.js';
import type { EventRow } from '../../src/store/event-row.js';
import { parseQueryString } from '../../src/server/routes/collect-query.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const request = (userAgent: string) => ({ ip: '203.0.113.9', userAgent, headers: {}, receivedAt: 0 });

describe('visitor id cache', () => {
  it('gives the HMAC ids, recomputes on a new salt and forgets everything on a new salt generation', () => {
    const cache = new VisitorIdCache(3);
    const a = cache.ids(1, 'salt-a', undefined, 1, '203.0.113.9', UA);
    assert.deepEqual(a, { current: visitorId('salt-a', 1, '203.0.113.9', UA), previous: undefined });
    // The period turned: the old current salt is now the previous one.
    const b = cache.ids(1, 'salt-b', 'salt-a', 1, '203.0.113.9', UA);
    assert.deepEqual(b, { current: visitorId('salt-b', 1, '203.0.113.9', UA), previous: a.current });
    // Site, IP and UA are all part of the key.
    assert.equal(cache.ids(1, 'salt-b', undefined, 2, '203.0.113.9', UA).current, visitorId('salt-b', 2, '203.0.113.9', UA));
    assert.equal(cache.ids(1, 'salt-b', undefined, 1, '203.0.113.10', UA).current, visitorId('salt-b', 1, '203.0.113.10', UA));
    assert.equal(cache.ids(1, 'salt-b', undefined, 1, '203.0.113.9', `${UA} x`).current, visitorId('salt-b', 1, '203.0.113.9', `${UA} x`));
    assert.equal(cache.size, 3, 'bounded: the oldest entry made room');
    cache.ids(2, 'salt-b', undefined, 1, '203.0.113.9', UA);
    assert.equal(cache.size, 1, 'a new salt generation starts over');
  });
});

describe('bot check cache', () => {
  it('agrees with isbot for browsers, crawlers and an empty User-Agent, asked twice', () => {
    const check = createBotCheck();
    for (const ua of [UA, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', '', 'curl/8.0']) {
      assert.deepEqual(check(request(ua)), dropBots(request(ua)), ua);
      assert.deepEqual(check(request(ua)), dropBots(request(ua)), `${ua} (cached)`);
    }
  });
});

describe('spool group commit', () => {
  const row = (pathname: string) => ({ site_id: 1, ts: 0, name: 'pageview', pathname }) as unknown as EventRow;

  it('writes the rows of one turn together and resolves every caller after the write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-batch-'));
    try {
      const spool = new Spool(dir);
      let writes = 0;
      const appendMany = spool.appendMany.bind(spool);
      spool.appendMany = (rows) => {
        writes++;
        appendMany(rows);
      };
      const batch = new SpoolBatch(spool);
      const pending = [batch.add(row('/a')), batch.add(row('/b')), batch.add(row('/c'))];
      assert.equal(spool.currentEvents, 0, 'nothing is acknowledged before the write');
      await Promise.all(pending);
      assert.equal(writes, 1);
      assert.equal(spool.currentEvents, 3);
      await batch.add(row('/d'));
      assert.equal(writes, 2);
      const segment = spool.rotate()!;
      const lines = fs.readFileSync(segment.path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { pathname: string }).pathname);
      assert.deepEqual(lines, ['/a', '/b', '/c', '/d']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects every caller of a failed write and keeps none of its rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-batch-'));
    try {
      const spool = new Spool(dir);
      spool.appendMany = () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      };
      const batch = new SpoolBatch(spool);
      const results = await Promise.allSettled([batch.add(row('/a')), batch.add(row('/b'))]);
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
      assert.equal(spool.currentEvents, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pixel query string (the fast path reads it as Fastify does)', () => {
  it('decodes pairs, keeps undecodable values as sent and turns repeated keys into arrays', () => {
    const q = parseQueryString('url=https%3A%2F%2Fexample.com%2Fx&t=A+title&ref=&flag&=v&bad=%E0%A4%A&url=2&__proto__=p');
    assert.equal(Object.getPrototypeOf(q), null);
    assert.deepEqual({ ...q }, {
      url: ['https://example.com/x', '2'], t: 'A title', ref: '', flag: '', '': 'v', bad: '%E0%A4%A', ['__proto__']: 'p',
    });
    assert.deepEqual({ ...parseQueryString('') }, {});
    assert.deepEqual({ ...parseQueryString('&&a=%2B1&') }, { a: '+1' });
  });
});
