/** The deterministic generator: same seed same events, realistic shape, what the collector would store. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isbot } from 'isbot';
import { defaultSites, generateEvents, type GenerateOptions } from '../../src/generate/generate-events.js';
import { Prng, WeightedSampler } from '../../src/generate/prng.js';
import { referrerSource, utmSourceName } from '../../src/ingest/source.js';
import { parseUserAgent } from '../../src/ingest/user-agent.js';
import { queryParamsJson, utmFields } from '../../src/ingest/utm.js';

const END = Date.UTC(2024, 3, 5);
const options = (over: Partial<GenerateOptions> = {}): GenerateOptions => ({ seed: 42, events: 20_000, sites: defaultSites(3), days: 30, endMs: END, ...over });
const digest = (o: GenerateOptions) => {
  const h = createHash('sha256');
  for (const e of generateEvents(o)) h.update(JSON.stringify(e));
  return h.digest('hex');
};
const all = [...generateEvents(options())];

describe('generator', () => {
  test('is deterministic for a seed and differs between seeds', () => {
    assert.equal(digest(options({ events: 5000 })), digest(options({ events: 5000 })));
    assert.notEqual(digest(options({ events: 5000 })), digest(options({ events: 5000, seed: 43 })));
  });

  test('yields exactly the count, in time order, ending near the end of the window', () => {
    assert.equal(all.length, 20_000);
    for (let i = 1; i < all.length; i++) assert.ok(all[i]!.row.ts >= all[i - 1]!.row.ts, `out of order at ${i}`);
    assert.ok(all[0]!.row.ts >= END - 30 * 86_400_000);
    const last = all[all.length - 1]!.row.ts;
    assert.ok(Math.abs(last - END) < 3 * 86_400_000, `last event ${new Date(last).toISOString()}`);
  });

  test('sites cover a DST zone on each side of the Atlantic and UTC; every third is raw', () => {
    assert.deepEqual(defaultSites(3).map((s) => [s.timezone, s.raw]), [['Europe/Berlin', false], ['America/New_York', false], ['UTC', true]]);
    const raw = all.filter((e) => e.row.site_id === 3);
    assert.ok(raw.length > 0 && raw.every((e) => e.row.ip === e.hit.ip && JSON.parse(e.row.headers!)['user-agent'] === e.hit.userAgent));
    assert.ok(all.filter((e) => e.row.site_id !== 3).every((e) => e.row.ip === null && e.row.headers === null));
  });

  test('visits: one visitor and attributes per visit, strictly increasing times, 1-20 page views', () => {
    const visits = new Map<string, typeof all>();
    for (const e of all) visits.set(e.row.session_id, [...(visits.get(e.row.session_id) ?? []), e]);
    const pageviewCounts: number[] = [];
    for (const [id, events] of visits) {
      assert.match(id, /^-?\d{1,19}$/);
      const first = events[0]!.row;
      assert.equal(first.name, 'pageview', 'a visit starts with a page view');
      for (const e of events) {
        assert.equal(e.row.visitor_id, first.visitor_id);
        assert.equal(e.row.browser, first.browser);
        assert.equal(e.row.country, first.country);
      }
      const counted = events.filter((e) => e.row.name !== 'engagement');
      for (let i = 1; i < counted.length; i++) assert.ok(counted[i]!.row.ts > counted[i - 1]!.row.ts);
      pageviewCounts.push(events.filter((e) => e.row.name === 'pageview').length);
    }
    assert.ok(Math.min(...pageviewCounts) >= 1 && Math.max(...pageviewCounts) <= 20);
    assert.ok(pageviewCounts.filter((n) => n === 1).length > pageviewCounts.length * 0.25, 'many single-page visits');
    assert.ok(pageviewCounts.some((n) => n >= 10), 'some long visits');
    const visitors = new Set(all.map((e) => e.row.visitor_id));
    assert.ok(visitors.size < visits.size, 'visitors come back');
  });

  test('rows are what the collector derives from the hits', () => {
    for (const { row, hit } of all.slice(0, 3000)) {
      const url = new URL(hit.url);
      const ua = parseUserAgent(hit.userAgent);
      assert.equal(row.hostname, url.hostname);
      assert.equal(row.pathname, url.pathname);
      assert.equal(row.title, hit.title);
      assert.equal(row.query, queryParamsJson(url.searchParams));
      const utm = utmFields(url.searchParams);
      assert.deepEqual([row.utm_source, row.utm_medium, row.utm_campaign, row.utm_term, row.utm_content], Object.values(utm));
      const source = referrerSource(hit.referrer, url.hostname);
      assert.equal(row.referrer_source, source || utmSourceName(utm.utm_source));
      assert.equal(row.referrer, source ? hit.referrer : '');
      assert.deepEqual([row.browser, row.browser_version, row.os, row.os_version, row.device], [ua.browser, ua.browser_version, ua.os, ua.os_version, ua.device]);
      assert.equal(row.screen_width, hit.screenWidth);
      assert.equal(row.props, JSON.stringify(hit.props ?? {}));
      assert.equal(row.ts, hit.ts);
      assert.equal(row.interactive, hit.interactive);
      if (row.name === 'engagement') assert.ok(row.scroll_depth !== null && row.engagement_ms !== null && row.engagement_ms >= 0);
      else assert.ok(row.scroll_depth === null && row.engagement_ms === null);
    }
  });

  test('mix: bots, user agents, countries, sources, campaigns, custom events with props', () => {
    const bots = all.filter((e) => e.hit.bot);
    assert.ok(bots.length > 0 && bots.length < all.length * 0.08, `${bots.length} bot hits`);
    assert.ok(bots.every((e) => isbot(e.hit.userAgent)), 'bot hits are recognised as bots');
    const humans = all.filter((e) => !e.hit.bot);
    assert.ok(humans.every((e) => !isbot(e.hit.userAgent)), 'browser hits are not mistaken for bots');
    const distinct = (f: (e: (typeof all)[number]) => string) => new Set(humans.map(f)).size;
    assert.ok(distinct((e) => e.hit.userAgent) >= 18);
    assert.ok(distinct((e) => `${e.row.browser}/${e.row.os}`) >= 10);
    assert.ok(distinct((e) => e.row.device) >= 3);
    assert.ok(distinct((e) => e.row.country) >= 15);
    assert.ok(distinct((e) => e.row.referrer_source) >= 10);
    assert.ok(distinct((e) => e.row.utm_campaign) >= 5);
    const names = new Set(humans.map((e) => e.row.name));
    for (const n of ['pageview', 'engagement', 'Signup', 'Download', 'Outbound Link: Click', 'Video Progress']) assert.ok(names.has(n), n);
    assert.ok(humans.filter((e) => e.row.name === 'Signup').every((e) => ['free', 'pro', 'team'].includes(JSON.parse(e.row.props).plan)));
    assert.ok(humans.some((e) => e.row.name === 'Video Progress' && !e.row.interactive));
    // Zipf: the most viewed page of site1 has several times the views of the tenth.
    const counts = new Map<string, number>();
    for (const e of humans) if (e.row.site_id === 1 && e.row.name === 'pageview') counts.set(e.row.pathname, (counts.get(e.row.pathname) ?? 0) + 1);
    const ranked = [...counts.values()].sort((a, b) => b - a);
    assert.ok(ranked[0]! > 4 * ranked[9]!, `top ${ranked[0]} vs tenth ${ranked[9]}`);
  });

  test('streams with flat memory', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let n = 0;
    for (const e of generateEvents(options({ events: 300_000, seed: 5 }))) {
      if (++n % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      void e;
    }
    assert.equal(n, 300_000);
    assert.ok(peak - before < 20e6, `heap grew ${((peak - before) / 1e6).toFixed(1)} MB`);
  });
});

describe('prng', () => {
  test('sfc32 is deterministic and roughly uniform; samplers follow their weights', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const xs = Array.from({ length: 10_000 }, () => a.float());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b.float()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02);
    const sampler = new WeightedSampler([1, 3]);
    const prng = new Prng(2);
    let ones = 0;
    for (let i = 0; i < 10_000; i++) if (sampler.sample(prng) === 1) ones++;
    assert.ok(Math.abs(ones / 10_000 - 0.75) < 0.02);
  });
});
