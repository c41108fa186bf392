/** footfall goal / key / generate, run in-process against a temporary DuckDB store. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/clock.js';
import { parseQuery } from '../../src/query/parse-query.js';
import { runQuery } from '../../src/query/run-query.js';
import type { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { hashApiKey } from '../../src/query/access.js';
import { cli } from './support/command-context.js';
import { openTempStore } from './support/dataset.js';

const NOW = Date.UTC(2024, 3, 2, 12);
let store: DuckDbStore;
let dir: string;
before(async () => { ({ store, dir } = await openTempStore('footfall-cli-')); });
after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('footfall generate', () => {
  test('inserts deterministic events, creating the sites', async () => {
    const r = await cli(store, NOW, 'generate', ['--events', '3000', '--sites', '2', '--days', '5', '--seed', '9', '--end', '2024-04-01']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^inserted \d+ events into site1\.example, site2\.example \(\d+ bot hits dropped\)/);
    const [inserted, bots] = /inserted (\d+) .*\((\d+) bot/.exec(r.stdout)!.slice(1).map(Number);
    assert.equal(inserted! + bots!, 3000);
    const sites = await store.listSites();
    assert.deepEqual(sites.map((s) => [s.domain, s.timezone]), [['site1.example', 'Europe/Berlin'], ['site2.example', 'America/New_York']]);
    const counted = await store.query('select count(*) as n, min(ts) as first from events');
    assert.equal(counted[0]!.n, inserted);
    assert.ok(Number(counted[0]!.first) >= Date.UTC(2024, 2, 28));
  });

  test('--out writes the same rows as NDJSON, --hits the raw hits', async () => {
    const file = path.join(dir, 'rows.ndjson');
    const args = ['--events', '500', '--sites', '2', '--days', '2', '--seed', '4', '--end', '2024-04-01', '--out', file];
    assert.equal((await cli(store, NOW, 'generate', args)).code, 0);
    const first = fs.readFileSync(file, 'utf8');
    assert.equal((await cli(store, NOW, 'generate', args)).code, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), first, 'same seed, same bytes');
    const rows = first.trim().split('\n').map((l) => JSON.parse(l) as { site_id: number; visitor_id: string });
    assert.ok(rows.length > 400 && rows.length <= 500);
    assert.ok(rows.every((r) => /^-?\d+$/.test(r.visitor_id)));
    const hits = path.join(dir, 'hits.ndjson');
    assert.equal((await cli(store, NOW, 'generate', [...args.slice(0, -1), hits, '--hits'])).code, 0);
    const hitLines = fs.readFileSync(hits, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { url: string; bot: boolean });
    assert.equal(hitLines.length, 500);
    assert.ok(hitLines.every((h) => h.url.startsWith('https://')));
  });

  test('rejects bad options', async () => {
    for (const argv of [[], ['--events', 'many'], ['--events', '10', '--days', '0'], ['--events', '10', '--hits'], ['--events', '10', '--end', '2024-13-01']]) {
      const r = await cli(store, NOW, 'generate', argv);
      assert.notEqual(r.code, 0, argv.join(' '));
    }
  });
});

describe('footfall goal', () => {
  test('add, list, use in a query, remove', async () => {
    assert.equal((await cli(store, NOW, 'goal', ['add', 'site1.example', '--event', 'Signup'])).code, 0);
    const page = await cli(store, NOW, 'goal', ['add', 'site1.example', '--page', '/blog*']);
    assert.match(page.stdout, /^added goal \d+: Visit \/blog\*/);
    const list = JSON.parse((await cli(store, NOW, 'goal', ['list', 'site1.example', '--format', 'json'])).stdout) as Array<{ id: number; name: string }>;
    assert.deepEqual(list.map((g) => g.name), ['Signup', 'Visit /blog*']);
    const site = (await store.getSite('site1.example'))!;
    const result = await runQuery({ store, clock: fixedClock(NOW) }, parseQuery({ site_id: 'site1.example', metrics: ['visitors'], date_range: '7d', dimensions: ['event:goal'] }), site);
    assert.deepEqual(result.results.map((r) => r.dimensions[0]).sort(), ['Signup', 'Visit /blog*']);
    assert.equal((await cli(store, NOW, 'goal', ['remove', 'site1.example', String(list[0]!.id)])).code, 0);
    assert.equal((await store.listGoals(site.id)).length, 1);
  });

  test('rejects bad goals', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['add', 'site1.example'], /exactly one of --event/],
      [['add', 'site1.example', '--event', 'A', '--page', '/b'], /exactly one of --event/],
      [['add', 'site1.example', '--page', 'thanks'], /starts with \//],
      [['add', 'nowhere.example', '--event', 'A'], /no site nowhere\.example/],
      [['remove', 'site1.example', 'x'], /needs a goal <id>/],
      [['remove', 'site1.example', '999'], /no goal 999/],
      [['rename', 'site1.example'], /usage/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(store, NOW, 'goal', argv);
      assert.notEqual(r.code, 0, argv.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

describe('footfall key', () => {
  test('prints the key once and stores only its hash', async () => {
    const r = await cli(store, NOW, 'key', ['create', '--name', 'dashboard', '--site', 'site2.example']);
    assert.equal(r.code, 0, r.stderr);
    const key = r.stdout.trim();
    assert.match(key, /^ff_[A-Za-z0-9_-]{43}$/);
    assert.match(r.stderr, /shown only this once/);
    const stored = await store.findApiKeyByHash(hashApiKey(key));
    assert.ok(stored);
    assert.deepEqual(stored.siteIds, [(await store.getSite('site2.example'))!.id]);
    const dump = JSON.stringify(await store.query('select * from api_keys'));
    assert.ok(!dump.includes(key), 'the key itself is not stored');
  });

  test('rejects bad keys', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['create'], /--name <name> is required/],
      [['create', '--name', 'x', '--site', 'nowhere.example'], /no site nowhere\.example/],
      [['create', '--name', 'x', '--admin', '--site', 'site1.example'], /drop --site/],
      [['revoke', 'abc'], /needs a key <id>/],
      [['revoke', '999'], /no API key 999/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(store, NOW, 'key', argv);
      assert.notEqual(r.code, 0, argv.join(' '));
      assert.match(r.stderr, message);
    }
  });
});
